// What the proxy needs to know about one protocol (SMTP, POP3, IMAP): how to frame and read each
// direction with the codecs, which reply answers which command, and how to rewrite. The
// protocol-neutral logic (attacks, buffers, findings) is in proxy_session.
//
// Both parse functions follow codec/parse_result.hpp: complete consumes one message, need_more
// everything given, error the offending message (which the session forwards unchanged). After
// complete or error the session calls client_message() / server_message() exactly once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "codec/parse_result.hpp"
#include "runner/service.hpp"

namespace mailtls::mitm {

enum class client_event : std::uint8_t {
  other,        // forward
  starttls,     // STARTTLS / STLS: wait for the server's answer
  credentials,  // AUTH, LOGIN, USER, PASS, APOP, AUTHENTICATE, a SASL response
  mail,         // MAIL, RCPT, DATA, BDAT, APPEND
  content,      // DATA / BDAT content, literal data: not a command
  quit,         // QUIT / LOGOUT: the client ends the session itself
};

struct client_info {
  client_event event = client_event::other;
  std::string summary;  // printable, secret replaced by <redacted>
  std::string problem;  // non-empty: a protocol-error finding (what could not be parsed)
};

enum class server_event : std::uint8_t {
  other,
  capabilities,      // EHLO reply, CAPA, CAPABILITY, a [CAPABILITY] code (greeting included)
  starttls_ok,       // the positive answer to STARTTLS / STLS: TLS starts after it
  starttls_refused,  // a negative answer: cleartext goes on
};

struct server_info {
  server_event event = server_event::other;
  bool offers_starttls = false;  // capabilities: STARTTLS / STLS among them
  std::string problem;           // non-empty: a protocol-error finding
};

// Bounds given to the codecs (see proxy_limits).
struct rules_limits {
  std::size_t max_line = 64 * 1024;
  std::size_t max_message = 1024 * 1024;
};

class protocol_rules {
 public:
  virtual ~protocol_rules() = default;

  virtual codec::parse_result parse_client(std::string_view bytes) = 0;
  virtual client_info client_message(const codec::parse_result& r) = 0;
  // The client waits for the server (after STARTTLS, DATA, AUTH...): hold its bytes.
  virtual bool client_blocked() const = 0;
  // A message in progress must be forwarded before it ends (DATA content, a synchronizing
  // literal whose "+" the server must send).
  virtual bool client_flush_partial() const = 0;

  virtual codec::parse_result parse_server(std::string_view bytes) = 0;
  virtual server_info server_message(const codec::parse_result& r) = 0;

  // `raw` (a capabilities message) without STARTTLS / STLS; unchanged if it has none.
  virtual std::string strip_starttls(std::string_view raw) const = 0;
  // The refusal the proxy sends instead of forwarding the STARTTLS just read; the rules go on
  // as if the server had sent it.
  virtual std::string refuse_starttls() = 0;
  // inject-response: the server's positive STARTTLS answer with forged replies glued to it.
  virtual std::string inject(std::string_view raw) const = 0;
  // tamper: IMAP puts untagged responses and an [ALERT] before the completion; SMTP and POP3 do
  // what inject does.
  virtual std::string tamper(std::string_view raw) const = 0;
  // downgrade: the cleartext answer to the client's TLS handshake.
  virtual std::string downgrade_reply() const = 0;
  // After downgrade: the client's next bytes are read as fresh commands.
  virtual void restart_client() = 0;
};

std::unique_ptr<protocol_rules> make_smtp_rules(const rules_limits& lim);
std::unique_ptr<protocol_rules> make_pop3_rules(const rules_limits& lim);
std::unique_ptr<protocol_rules> make_imap_rules(const rules_limits& lim);
std::unique_ptr<protocol_rules> make_rules(runner::protocol p, const rules_limits& lim);

}  // namespace mailtls::mitm
