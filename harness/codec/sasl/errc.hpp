// Error codes of the SASL codec (base64, PLAIN, LOGIN and the session state machines).
//
// One code per kind of defect. Pure functions (base64::decode, parse_plain) report the code with
// the offset of the offending byte in their input; the session state machines report a coarse
// session-level code (cancelled, bad_base64, malformed_message, ...) with the precise code as the
// detail (see server_session.hpp).
#pragma once

#include <string>
#include <system_error>

#include "codec/error_category.hpp"

namespace mailtls::codec::sasl {

enum class sasl_errc {
  // base64, RFC 4648 §4 (strict, canonical: RFC 4648 §3.3, §3.5)
  invalid_base64_char =
      1,  // byte outside the base64 alphabet (whitespace, CR, LF, '-', '_', NUL, >= 0x80)
  bad_base64_length,  // length not a multiple of 4 (RFC 4648 §4: padding is required)
  misplaced_padding,  // '=' followed by a data character
  excess_padding,     // a quantum with more than two '=' (or an all-padding quantum)
  nonzero_pad_bits,   // the bits dropped by padding are not zero (RFC 4648 §3.5)
  decoded_too_large,  // the decoded output would exceed the caller's bound

  // PLAIN message, RFC 4616 §2
  missing_separator,  // fewer than two NUL separators
  extra_nul,          // a NUL inside the password (a third separator)
  empty_authcid,      // authcid = 1*SAFE
  empty_password,     // passwd = 1*SAFE
  field_too_long,     // a field longer than plain_limits::max_field (255 octets by default)
  invalid_utf8,       // not UTF-8 (RFC 3629 §4: no overlong forms, surrogates, > U+10FFFF)

  // LOGIN field (draft-murchison-sasl-login-00)
  embedded_nul,  // a NUL octet inside a LOGIN user name or password

  // Sessions (RFC 4422 §3, RFC 4954 §4, RFC 3501 §6.2.2, RFC 5034 §4)
  unsupported_mechanism,  // neither PLAIN nor LOGIN
  cancelled,              // the client answered a challenge with "*"
  bad_base64,             // a line (or the initial response) is not valid base64; detail says why
  malformed_message,      // the decoded message is not a valid PLAIN/LOGIN message; detail says why
  unexpected_line,        // a client line arrived when no challenge was outstanding
  line_too_long,          // a line (or initial response, or challenge) over the session's bound
  unexpected_challenge,   // client: a challenge after all responses were sent, or non-empty PLAIN
  unknown_prompt,     // client: a LOGIN challenge that is neither a user name nor a password prompt
  unexpected_prompt,  // client: a LOGIN prompt out of order (Password: before Username:)
  invalid_state,      // the state machine was driven out of order (start() twice, ...)
  rejected,           // client: the server refused the credentials
  premature_success,  // client: the server reported success before all responses were sent
};

// Short identifier of a code ("nonzero_pad_bits"), for transcripts.
const char* to_name(sasl_errc e) noexcept;

// Short identifier of any error code: to_name() for sasl codes, the message otherwise, "" for none.
std::string error_name(const std::error_code& ec);

}  // namespace mailtls::codec::sasl

namespace mailtls::codec {

template <>
struct errc_traits<sasl::sasl_errc> {
  static constexpr const char* name = "mailtls.sasl";
  static const char* message(sasl::sasl_errc e) noexcept;
};

}  // namespace mailtls::codec

namespace mailtls::codec::sasl {

std::error_code make_error_code(sasl_errc e) noexcept;

}  // namespace mailtls::codec::sasl

template <>
struct std::is_error_code_enum<mailtls::codec::sasl::sasl_errc> : std::true_type {};
