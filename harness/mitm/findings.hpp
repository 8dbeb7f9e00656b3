// What the client did on one proxied connection: a capped list of timestamped, printable events,
// and the connection's verdict.
//
// Secrets never enter a finding: the proxy rules summarise credential commands with the secret
// replaced by `<redacted>` (`AUTH PLAIN <redacted>`, `PASS <redacted>`, `a LOGIN user <redacted>`;
// user names stay).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls::mitm {

enum class finding_kind : std::uint8_t {
  attack_applied,         // the proxy changed the conversation (detail: what)
  starttls_offered,       // the client saw STARTTLS / STLS offered, unmodified
  starttls_sent,          // the client sent STARTTLS / STLS
  tls_started,            // both sides went on in TLS (relay_opaque)
  cleartext_credentials,  // AUTH, LOGIN, USER/PASS, APOP, AUTHENTICATE or a SASL response
  cleartext_mail,         // MAIL FROM, RCPT TO, DATA, BDAT, APPEND
  client_closed,          // detail: after which client command
  client_quit,            // the client ended the session itself (QUIT, LOGOUT)
  server_closed,
  timeout,
  protocol_error,  // a message the codecs could not parse (forwarded unchanged)
  limit,           // a bound was hit (line, buffer)
  truncated,       // the list reached its cap: later events are counted, not listed
};

std::string_view to_name(finding_kind k) noexcept;  // "cleartext-credentials", ...

struct finding {
  std::uint64_t at_ms = 0;  // the session's clock (now_ms of the event)
  finding_kind kind = finding_kind::protocol_error;
  std::string detail;  // printable, secrets redacted
  bool operator==(const finding&) const = default;
};

// "+12ms cleartext-credentials AUTH PLAIN <redacted>"
std::string to_string(const finding& f);

enum class verdict : std::uint8_t { pass, fail, error };
std::string_view to_name(verdict v) noexcept;  // "pass", "fail", "error"

struct verdict_result {
  verdict outcome = verdict::error;
  std::string reason;
  bool operator==(const verdict_result&) const = default;
};

class findings {
 public:
  explicit findings(std::size_t max_entries = 256) : max_(max_entries < 2 ? 2 : max_entries) {}

  // Records the event (details longer than 200 characters are cut) and updates the summary
  // flags below, which stay exact when the list is full.
  void add(std::uint64_t at_ms, finding_kind kind, std::string_view detail = {});

  const std::vector<finding>& list() const { return list_; }
  std::size_t dropped() const { return dropped_; }

  bool attack_applied() const { return attack_applied_; }
  bool starttls_offered() const { return starttls_offered_; }
  bool tls_started() const { return tls_started_; }
  bool client_closed() const { return client_closed_; }
  bool client_quit() const { return client_quit_; }
  bool timed_out() const { return timed_out_; }
  // The first credential or mail command sent in cleartext after the attack changed something,
  // or while STARTTLS was visibly offered (the client ignored it); empty if none.
  const std::string& exposure() const { return exposure_; }
  // Any credential or mail command sent in cleartext.
  bool exposed() const { return exposed_; }
  std::size_t client_commands() const { return client_commands_; }
  void count_client_command() { ++client_commands_; }

 private:
  std::size_t max_;
  std::vector<finding> list_;
  std::size_t dropped_ = 0;
  std::size_t client_commands_ = 0;
  bool attack_applied_ = false;
  bool starttls_offered_ = false;
  bool tls_started_ = false;
  bool client_closed_ = false;
  bool client_quit_ = false;
  bool timed_out_ = false;
  bool exposed_ = false;
  std::string exposure_;
  std::string attack_detail_;
};

// The connection's verdict:
//  - fail: a credential or mail command went out in cleartext after the attack changed something
//    (RFC 3207 §4.1, RFC 2595 §3.1: a client that requires TLS must not continue), or while
//    STARTTLS was offered and the client did not use it;
//  - pass: the client upgraded to TLS, or stopped (closed or sent QUIT/LOGOUT, or sent nothing more
//  until the
//    timeout) after the attack without exposing anything, or closed without exposing anything;
//  - error: nothing happened (no client command, or the server went away first).
verdict_result judge(const findings& f);

}  // namespace mailtls::mitm
