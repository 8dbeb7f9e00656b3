// The fake server's monitor: reads every line the client sends with the protocol's codec and says
// whether it exposes credentials or mail, with a printable summary whose secrets are replaced by
// `<redacted>` (the summary is also what the transcript shows for such lines).
//
// Flagged (the catalogue's "Fail = any of LOGIN, AUTHENTICATE, AUTH, USER, PASS, APOP, MAIL,
// APPEND sent in cleartext"):
//   credentials  SMTP AUTH (RFC 4954 §4), POP3 USER / PASS / APOP / AUTH (RFC 1939 §7, RFC 5034
//                §4), IMAP LOGIN / AUTHENTICATE (RFC 9051 §6.2.2-3), and every SASL response line
//                after one of them while the server keeps sending continuations (334 / "+")
//   mail         SMTP MAIL / RCPT / DATA / BDAT (RFC 5321 §4.1.1), IMAP APPEND (RFC 9051 §6.3.12)
// A line the codec rejects is classified by its command word(s) all the same: a malformed
// `AUTH PLAIN x y` still carries a secret. Std only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runner/service.hpp"

namespace mailtls::fake {

enum class exposure : std::uint8_t { none, credentials, mail };
std::string_view to_name(exposure e) noexcept;  // "none", "credentials", "mail"

struct line_info {
  exposure kind = exposure::none;
  std::string summary;  // the line for display, secrets replaced by <redacted>
  std::string verb;     // upper-case command word ("AUTH", IMAP: the word after the tag)
  bool operator==(const line_info&) const = default;
};

class monitor {
 public:
  explicit monitor(runner::protocol p) : proto_(p) {}

  // One client line, without its line ending.
  line_info client_line(std::string_view line);
  // Bytes the fake server sent: during an AUTH / AUTHENTICATE exchange a continuation (SMTP 334,
  // IMAP / POP3 "+ ...") makes the client's next line a SASL response; anything else ends it.
  void server_sent(std::string_view bytes);
  // A new byte stream (after a TLS handshake): no exchange is in progress.
  void reset() {
    auth_ = false;
    sasl_ = false;
  }
  bool in_sasl() const { return sasl_; }

 private:
  line_info classify_smtp(std::string_view line) const;
  line_info classify_pop3(std::string_view line) const;
  line_info classify_imap(std::string_view line) const;

  runner::protocol proto_;
  bool auth_ = false;  // an AUTH / AUTHENTICATE exchange is open
  bool sasl_ = false;  // the server sent a continuation: the next client line answers it
};

}  // namespace mailtls::fake
