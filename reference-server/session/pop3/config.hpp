// Configuration of the POP3 server session: which listener it serves, what it offers, its limits
// and the bugs injected for the harness's self-test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "session/bugs.hpp"

namespace mailtls::server::pop3 {

enum class listener_kind : std::uint8_t {
  pop3,   // port 110: cleartext greeting, STLS (RFC 2595 §4)
  pop3s,  // port 995: implicit TLS (RFC 8314 §3.3); no STLS
};

struct session_limits {
  // RFC 1939 §3: the autologout timer is at least 10 minutes.
  std::uint32_t idle_timeout_ms = 600'000;
  // Unknown commands, syntax errors and commands in the wrong state; the one that reaches the
  // count is answered "-ERR Too many bad commands" and the connection closed. 0: no limit.
  std::uint32_t max_bad_commands = 10;
  // A `pause` before every failed-login reply (USER/PASS, AUTH). 0: none.
  std::uint32_t failed_auth_delay_ms = 1000;
  // RFC 2449 §4: a command line is at most 255 octets including CRLF.
  std::size_t max_line = 255;
  // RFC 5034 §4 exempts AUTH lines and SASL responses from that limit; ours, including CRLF.
  std::size_t max_auth_line = 2048;
  // RFC 1939 §3 says arguments "may be up to 40 characters"; a user name that is an e-mail address
  // is often longer, so by default only the line limit applies (as in deployed servers).
  std::size_t max_argument = 250;
};

struct config {
  listener_kind listener = listener_kind::pop3;
  // Shown in the APOP timestamp of the greeting (offer_apop) and in logs.
  std::string host_name = "localhost";
  // RFC 2595 §2.3 / seed policy: USER, PASS, APOP and AUTH are refused before STLS on 110 with
  // "-ERR [AUTH] Plaintext authentication disallowed ..." (no effect on 995, which is TLS).
  bool require_tls_for_auth = true;
  bool offer_user = true;  // USER/PASS (RFC 1939 §7), CAPA "USER" (RFC 2449 §6.2)
  bool offer_sasl = true;  // AUTH PLAIN/LOGIN (RFC 5034), CAPA "SASL PLAIN LOGIN"
  // Adds an RFC 1939 §7 timestamp to the greeting. APOP itself is always answered -ERR: the
  // backend checks passwords but cannot hand out the plaintext an MD5 digest needs.
  bool offer_apop = false;
  session_limits limits{};
  bug_set bugs{};
};

}  // namespace mailtls::server::pop3
