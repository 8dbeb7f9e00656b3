// Fault injection for the harness's self-test (`mailtls-server --inject-bug NAME`): each mode
// reproduces one known class of STARTTLS / implicit-TLS bug, so the test suite can prove that the
// scenarios meant to catch it do. Off by default; when on, the greeting and the log say so.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mailtls::server {

enum class bug : std::uint8_t {
  smtp_starttls_injection,     // plaintext pipelined after STARTTLS answered inside TLS
                               // (CVE-2011-0411)
  pop3_stls_injection,         // same for POP3 STLS (CVE-2021-38084 class)
  imap_starttls_injection,     // same for IMAP STARTTLS (CVE-2011-1926 class)
  submission_auth_before_tls,  // 587 offers and accepts AUTH before STARTTLS
  pop3_auth_before_tls,        // 110 accepts USER/PASS/AUTH before STLS
  imap_login_before_tls,       // 143 accepts LOGIN/AUTHENTICATE before STARTTLS
  imap_no_logindisabled,       // 143 omits LOGINDISABLED before TLS (still refuses LOGIN)
  smtp_state_not_reset,        // EHLO/MAIL state survives STARTTLS (RFC 3207 §4.2)
  starttls_readvertised,       // STARTTLS/STLS still listed after TLS is up
  starttls_argument_accepted,  // "STARTTLS x" / "STLS x" / "a STARTTLS x" accepted
  second_starttls_accepted,    // STARTTLS inside TLS answered with 220/OK
  tls10_accepted,              // TLS 1.0 and 1.1 handshakes succeed (RFC 8996)
  smtp_auth_on_25,             // port 25 offers AUTH
  smtp_open_relay,             // port 25 relays to non-local domains without AUTH
  implicit_cleartext,          // 465/993/995 speak cleartext instead of TLS
  imap_preauth,                // 143 greets with * PREAUTH before any authentication
  bare_lf_end_of_data,         // DATA also ends on \n.\n (SMTP smuggling, CVE-2023-51764)
};

struct bug_info {
  bug id;
  std::string_view name;  // the --inject-bug spelling, e.g. "smtp-starttls-injection"
  std::string_view description;
};

std::span<const bug_info> all_bugs() noexcept;
std::optional<bug> parse_bug(std::string_view name) noexcept;
std::string_view to_string(bug b) noexcept;

// A set of injected bugs.
class bug_set {
 public:
  void add(bug b) { bits_ |= mask(b); }
  bool has(bug b) const { return (bits_ & mask(b)) != 0; }
  bool empty() const { return bits_ == 0; }

 private:
  static std::uint32_t mask(bug b) { return std::uint32_t{1} << static_cast<unsigned>(b); }
  std::uint32_t bits_ = 0;
};

}  // namespace mailtls::server
