#include "session/bugs.hpp"

#include <array>

namespace mailtls::server {
namespace {

constexpr std::array<bug_info, 17> table{{
    {bug::smtp_starttls_injection, "smtp-starttls-injection",
     "SMTP: commands pipelined after STARTTLS are kept and answered inside TLS (CVE-2011-0411)"},
    {bug::pop3_stls_injection, "pop3-stls-injection",
     "POP3: commands pipelined after STLS are kept and answered inside TLS (CVE-2021-38084)"},
    {bug::imap_starttls_injection, "imap-starttls-injection",
     "IMAP: commands pipelined after STARTTLS are kept and answered inside TLS (CVE-2011-1926)"},
    {bug::submission_auth_before_tls, "submission-auth-before-tls",
     "587: AUTH offered and accepted before STARTTLS (RFC 3207 §4, RFC 4954 §4)"},
    {bug::pop3_auth_before_tls, "pop3-auth-before-tls",
     "110: USER/PASS/AUTH accepted before STLS (RFC 2595 §2.3)"},
    {bug::imap_login_before_tls, "imap-login-before-tls",
     "143: LOGIN/AUTHENTICATE accepted before STARTTLS (RFC 9051 §6.2.3)"},
    {bug::imap_no_logindisabled, "imap-no-logindisabled",
     "143: LOGINDISABLED missing from CAPABILITY before TLS (RFC 2595 §3.2)"},
    {bug::smtp_state_not_reset, "smtp-state-not-reset",
     "SMTP: EHLO and transaction state survive STARTTLS (RFC 3207 §4.2)"},
    {bug::starttls_readvertised, "starttls-readvertised",
     "STARTTLS/STLS still advertised once TLS is up (RFC 3207 §4.2, RFC 2595 §3.1/§4)"},
    {bug::starttls_argument_accepted, "starttls-argument-accepted",
     "STARTTLS/STLS with an argument accepted (RFC 3207 §4: 501)"},
    {bug::second_starttls_accepted, "second-starttls-accepted",
     "STARTTLS accepted again inside TLS (RFC 3207 §4.2)"},
    {bug::tls10_accepted, "tls10-accepted", "TLS 1.0 and 1.1 handshakes accepted (RFC 8996)"},
    {bug::smtp_auth_on_25, "smtp-auth-on-25", "port 25 offers AUTH (seed policy: none on 25)"},
    {bug::smtp_open_relay, "smtp-open-relay",
     "port 25 relays to non-local domains without authentication"},
    {bug::implicit_cleartext, "implicit-cleartext",
     "465/993/995 speak cleartext instead of TLS from the first byte (RFC 8314 §3)"},
    {bug::imap_preauth, "imap-preauth",
     "143 greets with * PREAUTH before any authentication (RFC 9051 §7.1.4)"},
    {bug::bare_lf_end_of_data, "bare-lf-end-of-data",
     "DATA also ends on <LF>.<LF> (SMTP smuggling, CVE-2023-51764)"},
}};

}  // namespace

std::span<const bug_info> all_bugs() noexcept {
  return table;
}

std::optional<bug> parse_bug(std::string_view name) noexcept {
  for (const auto& b : table) {
    if (b.name == name) return b.id;
  }
  return std::nullopt;
}

std::string_view to_string(bug b) noexcept {
  for (const auto& i : table) {
    if (i.id == b) return i.name;
  }
  return "?";
}

}  // namespace mailtls::server
