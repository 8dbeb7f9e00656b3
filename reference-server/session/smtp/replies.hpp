// The fixed reply texts of the SMTP server session (without CRLF), with the RFC that asks for
// each code. Replies that carry a host name or an address are built in the session.
#pragma once

#include <string_view>

namespace mailtls::server::smtp::replies {

// RFC 5321 §4.2.2 / RFC 3463 enhanced codes (RFC 2034).
inline constexpr std::string_view ok = "250 2.0.0 Ok";              // NOOP, RSET (§4.1.1.9/5)
inline constexpr std::string_view mail_ok = "250 2.1.0 Ok";         // MAIL (§4.1.1.2)
inline constexpr std::string_view rcpt_ok = "250 2.1.5 Ok";         // RCPT (§4.1.1.3)
inline constexpr std::string_view queued = "250 2.0.0 Ok: queued";  // end of data, durable
inline constexpr std::string_view bye = "221 2.0.0 Bye";            // QUIT (§4.1.1.10)
inline constexpr std::string_view start_data = "354 End data with <CR><LF>.<CR><LF>";  // §4.1.1.4
inline constexpr std::string_view vrfy =                                               // §3.5.3
    "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery";
inline constexpr std::string_view expn = "502 5.5.1 EXPN not available";  // §3.5.2 (optional)

// RFC 3207 §4.
inline constexpr std::string_view tls_ready = "220 2.0.0 Ready to start TLS";
inline constexpr std::string_view starttls_syntax = "501 5.5.4 Syntax: STARTTLS";
inline constexpr std::string_view tls_active = "554 5.5.1 Error: TLS already active";
inline constexpr std::string_view must_starttls = "530 5.7.0 Must issue a STARTTLS command first";

// RFC 4954 §4, §6.
inline constexpr std::string_view auth_ok = "235 2.7.0 Authentication successful";
inline constexpr std::string_view auth_failed = "535 5.7.8 Authentication credentials invalid";
inline constexpr std::string_view auth_cancelled = "501 5.7.0 Authentication cancelled";
inline constexpr std::string_view auth_bad_base64 = "501 5.5.2 Cannot decode response";
inline constexpr std::string_view auth_bad_line = "501 5.5.2 Invalid authentication response";
inline constexpr std::string_view auth_line_too_long =
    "500 5.5.6 Authentication Exchange line is too long";
inline constexpr std::string_view auth_unknown_mech = "504 5.5.4 Unrecognized authentication type";
inline constexpr std::string_view auth_required = "530 5.7.0 Authentication required";
inline constexpr std::string_view auth_not_enabled = "503 5.5.1 Error: authentication not enabled";
inline constexpr std::string_view auth_need_ehlo = "503 5.5.1 Error: send EHLO first";
inline constexpr std::string_view auth_twice = "503 5.5.1 Error: already authenticated";
inline constexpr std::string_view auth_in_transaction =
    "503 5.5.1 Error: MAIL transaction in progress";

// Sequence (RFC 5321 §4.1.4, §3.3).
inline constexpr std::string_view need_helo = "503 5.5.1 EHLO/HELO first";
inline constexpr std::string_view nested_mail = "503 5.5.1 Error: nested MAIL command";
inline constexpr std::string_view need_mail = "503 5.5.1 Error: need MAIL command";
inline constexpr std::string_view no_recipients = "554 5.5.1 Error: no valid recipients";
inline constexpr std::string_view data_after_bdat = "503 5.5.1 Error: DATA after BDAT";
inline constexpr std::string_view not_implemented = "502 5.5.1 Error: command not implemented";

// Limits (RFC 5321 §4.5.3.1.10, RFC 1870 §6).
inline constexpr std::string_view line_too_long = "500 5.5.2 Line too long";
inline constexpr std::string_view too_many_rcpts = "452 4.5.3 Too many recipients";
inline constexpr std::string_view too_big = "552 5.3.4 Message size exceeds fixed limit";
inline constexpr std::string_view deliver_failed = "451 4.3.0 Error: queue file write error";
inline constexpr std::string_view shutting_down = "421 4.3.2 Service shutting down";

// Syntax (RFC 5321 §4.2.4: 500 unknown, 501 bad arguments; §4.1.1.11: 555 parameters).
inline constexpr std::string_view unknown_command = "500 5.5.2 Error: command not recognized";
inline constexpr std::string_view bad_syntax = "500 5.5.2 Error: bad syntax";
inline constexpr std::string_view bare_lf = "500 5.5.2 Error: bare <LF> received";
inline constexpr std::string_view bare_cr = "500 5.5.2 Error: bare <CR> received";
inline constexpr std::string_view nul = "500 5.5.2 Error: NUL character received";
inline constexpr std::string_view bad_sender = "501 5.1.7 Bad sender address syntax";
inline constexpr std::string_view bad_recipient = "501 5.1.3 Bad recipient address syntax";
inline constexpr std::string_view sender_too_long = "501 5.1.7 Path too long";
inline constexpr std::string_view recipient_too_long = "501 5.1.3 Path too long";
inline constexpr std::string_view bad_parameter = "501 5.5.4 Bad parameter syntax";
inline constexpr std::string_view duplicate_parameter = "501 5.5.4 Duplicate parameter";
inline constexpr std::string_view too_many_parameters = "501 5.5.4 Too many parameters";
inline constexpr std::string_view bad_size = "501 5.5.4 Bad SIZE parameter";
inline constexpr std::string_view bad_body = "501 5.5.4 Bad BODY parameter";
inline constexpr std::string_view bad_hostname = "501 5.5.4 Invalid domain name";
// RFC 6531 §3.5.
inline constexpr std::string_view utf8_sender =
    "553 5.6.7 Sender address uses non-ASCII characters but SMTPUTF8 was not given";
inline constexpr std::string_view utf8_recipient =
    "553 5.6.7 Recipient address uses non-ASCII characters but SMTPUTF8 was not given";

}  // namespace mailtls::server::smtp::replies
