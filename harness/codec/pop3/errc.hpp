// Error codes of the POP3 codec (commands and responses). Line framing errors (bare LF, bare CR,
// NUL, over-long line) pass through as codec::line_errc.
#pragma once

#include <system_error>

#include "codec/error_category.hpp"

namespace mailtls::codec::pop3 {

enum class pop3_errc {
  // Commands (RFC 1939 §3, RFC 2449, RFC 2595, RFC 5034).
  empty_line = 1,       // a command line with nothing in it
  unknown_command,      // keyword is not a POP3 command
  missing_argument,     // a required argument is absent
  unexpected_argument,  // an argument given to a command that takes none (STAT, NOOP, STLS...)
  too_many_arguments,   // more arguments than the command takes
  empty_argument,       // a separating space not followed by an argument (double/trailing SP)
  argument_too_long,    // argument longer than command_limits::max_argument (40, RFC 1939 §3)
  invalid_character,    // control character (or DEL) inside an argument
  invalid_number,       // a number contains a non-digit
  signed_number,        // a number starts with '+' or '-'
  leading_zero,         // a number has a leading zero ("01")
  zero_message_number,  // message number 0 (message numbers start at 1, RFC 1939 §5)
  number_out_of_range,  // number above 2^31-1
  invalid_digest,       // APOP digest is not 32 lower-case hex digits (RFC 1939 §7)
  invalid_mechanism,    // AUTH mechanism is not a SASL mechanism name (RFC 4422 §3.1)
  invalid_base64,       // AUTH initial response / SASL response / challenge is not base64
  // Responses (RFC 1939 §3, RFC 2449 §8, RFC 5034 §4).
  bad_status,               // line starts with neither +OK, -ERR nor '+'
  lowercase_status,         // "+ok" / "-err": status indicators are upper case (RFC 1939 §3)
  status_without_space,     // status indicator followed by something other than SP ("+OKAY")
  unexpected_continuation,  // "+ ..." SASL continuation while no AUTH exchange is expected
  body_too_large,           // multi-line body over response_limits::max_body_size
  too_many_lines,           // multi-line body over response_limits::max_body_lines
};

}  // namespace mailtls::codec::pop3

namespace mailtls::codec {

template <>
struct errc_traits<pop3::pop3_errc> {
  static constexpr const char* name = "mailtls.pop3";
  static const char* message(pop3::pop3_errc e) noexcept;
};

namespace pop3 {
std::error_code make_error_code(pop3_errc e) noexcept;
}

}  // namespace mailtls::codec

template <>
struct std::is_error_code_enum<mailtls::codec::pop3::pop3_errc> : std::true_type {};
