// Error codes of the SMTP codec (RFC 5321 and its extensions).
//
// Line framing errors (line too long, bare LF/CR, NUL) are passed through as codec::line_errc.
#pragma once

#include <system_error>

#include "codec/error_category.hpp"

namespace mailtls::codec::smtp {

enum class smtp_errc {
  // Commands (command_parser). The offending line is consumed; the parser reads the next line.
  empty_line = 1,              // a line with no command at all
  unknown_command,             // verb not known (RFC 5321 §4.2.4: reply 500)
  missing_argument,            // verb needs an argument and has none
  unexpected_argument,         // verb takes no (or no further) argument (RFC 3207 §4: 501)
  bad_domain,                  // Domain syntax (RFC 5321 §4.1.2)
  bad_address_literal,         // address-literal syntax (RFC 5321 §4.1.3)
  missing_from,                // MAIL without "FROM:" (RFC 5321 §4.1.1.2)
  missing_to,                  // RCPT without "TO:" (RFC 5321 §4.1.1.3)
  bad_path,                    // path punctuation: <, >, @, source route (RFC 5321 §4.1.2)
  bad_local_part,              // Local-part syntax (RFC 5321 §4.1.2)
  null_path_not_allowed,       // "<>" as a forward-path (RFC 5321 §4.1.1.3)
  local_part_too_long,         // > limits::max_local_part (RFC 5321 §4.5.3.1.1)
  domain_too_long,             // > limits::max_domain (RFC 5321 §4.5.3.1.2)
  path_too_long,               // > limits::max_path (RFC 5321 §4.5.3.1.3)
  bad_parameter,               // esmtp-param syntax (RFC 5321 §4.1.2)
  duplicate_parameter,         // the same esmtp-keyword twice
  too_many_parameters,         // > limits::max_parameters
  missing_parameter_value,     // SIZE or BODY without "=value"
  unexpected_parameter_value,  // SMTPUTF8=x, REQUIRETLS=x (RFC 6531 §3.4, RFC 8689 §3)
  bad_size,                    // SIZE / BDAT size not a number or out of range (RFC 1870, 3030)
  bad_body,                    // BODY= not 7BIT / 8BITMIME / BINARYMIME (RFC 6152, RFC 3030)
  bad_mechanism,               // AUTH mechanism name (RFC 4954 §4, RFC 4422 §3.1)
  bad_initial_response,        // AUTH initial response not base64 or "=" (RFC 4954 §4)
  // Replies (reply_parser). The partial reply is dropped; the next parse() starts a new reply.
  bad_reply_code,        // not three digits %x32-35 %x30-35 %x30-39 (RFC 5321 §4.2)
  bad_reply_separator,   // fourth octet neither SP nor "-" (RFC 5321 §4.2)
  reply_code_mismatch,   // lines of one reply carry different codes (RFC 5321 §4.2.1)
  too_many_reply_lines,  // > limits::max_reply_lines
  // EHLO capabilities (ehlo).
  not_ehlo_reply,  // the reply is not a 250 reply (RFC 5321 §4.1.1.1)
};

}  // namespace mailtls::codec::smtp

namespace mailtls::codec {

template <>
struct errc_traits<smtp::smtp_errc> {
  static constexpr const char* name = "mailtls.smtp";
  static const char* message(smtp::smtp_errc e) noexcept;
};

namespace smtp {
std::error_code make_error_code(smtp_errc e) noexcept;
}  // namespace smtp

}  // namespace mailtls::codec

template <>
struct std::is_error_code_enum<mailtls::codec::smtp::smtp_errc> : std::true_type {};
