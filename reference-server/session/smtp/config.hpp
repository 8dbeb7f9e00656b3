// Configuration of the SMTP server session: which listener it serves and the policy switches and
// limits that apply there. for_listener() gives the seed port policy (docs/server-smtp.md):
//
//   smtp (25)          cleartext delivery to local domains, STARTTLS offered, no AUTH, no relay
//   submission (587)   STARTTLS required before MAIL/RCPT/DATA/AUTH/...; AUTH PLAIN LOGIN after
//                      TLS only; MAIL only after AUTH; authenticated clients may relay
//   submissions (465)  implicit TLS (RFC 8314 §3.3); AUTH PLAIN LOGIN; MAIL only after AUTH
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "session/bugs.hpp"

namespace mailtls::server::smtp {

enum class listener : std::uint8_t {
  smtp,         // 25: MTA-to-MTA relay (RFC 5321)
  submission,   // 587: message submission (RFC 6409) with STARTTLS (RFC 3207)
  submissions,  // 465: message submission over implicit TLS (RFC 8314 §3.3)
};

// "smtp", "submission", "submissions".
std::string_view to_string(listener l) noexcept;

struct config {
  listener kind = listener::smtp;
  // Used in the greeting, the EHLO reply, the 421 replies and the Received: header.
  std::string host_name = "localhost";

  // --- Policy switches ---
  // List STARTTLS in EHLO and accept it while the connection is in cleartext (RFC 3207 §4).
  bool offer_starttls = true;
  // Before TLS, everything but EHLO/HELO/NOOP/RSET/QUIT/STARTTLS gets
  // "530 5.7.0 Must issue a STARTTLS command first" (RFC 3207 §4, seed policy for 587).
  bool require_tls_before_mail_and_auth = false;
  // List and accept AUTH PLAIN LOGIN (RFC 4954). Never before TLS (unless a bug is injected).
  bool offer_auth = false;
  // MAIL needs a successful AUTH first: "530 5.7.0 Authentication required" (RFC 4954 §6).
  bool require_auth_for_mail = false;
  // Unauthenticated clients may send to existing users of local domains (the MX role of 25).
  bool accept_local_delivery = true;
  // Authenticated clients may send to any domain; the backend spools remote recipients.
  bool relay_for_authenticated = false;
  // List CHUNKING and accept BDAT (RFC 3030). Off in the seed policy.
  bool offer_chunking = false;

  // --- Limits ---
  // SIZE in EHLO (RFC 1870 §4), MAIL SIZE= over it and messages over it get 552 5.3.4.
  std::uint64_t max_message_size = 10'240'000;
  // RCPT beyond this many accepted recipients gets 452 4.5.3 (RFC 5321 §4.5.3.1.10).
  std::size_t max_recipients = 100;
  // Longest command line in octets, CRLF included (RFC 5321 §4.5.3.1.4: at least 512); longer
  // lines get "500 5.5.2 Line too long". AUTH lines may be up to 12288 octets (RFC 4954 §4).
  std::size_t max_line = 512;
  // Idle timeout of every read (RFC 5321 §4.5.3.2.7: at least 5 minutes).
  std::uint32_t idle_timeout_ms = 300'000;
  // After this many rejected commands: "421 4.7.0 <host> Error: too many errors" and close.
  // 0 disables the limit.
  std::uint32_t max_bad_commands = 10;
  // Pause before every 535 reply (slows password guessing).
  std::uint32_t failed_auth_delay_ms = 1000;

  // Injected bugs (bugs.hpp); empty for a correct server.
  bug_set bugs;

  // The seed policy of a listener (see above).
  static config for_listener(listener kind, std::string host_name);
};

}  // namespace mailtls::server::smtp
