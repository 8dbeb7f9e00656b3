// Error codes of the IMAP codec (harness/codec/imap). Line framing errors (bare LF, bare CR, NUL,
// over-long line) pass through unchanged as mailtls::codec::line_errc.
#pragma once

#include <system_error>

#include "codec/error_category.hpp"

namespace mailtls::codec::imap {

enum class imap_errc {
  // Framing (RFC 9051 §4.3 literals, RFC 7888 non-synchronizing literals).
  literal_too_large = 1,  // announced literal size above imap_limits::max_literal
  message_too_large,      // command/response (lines + literals) above imap_limits::max_message
  nul_in_literal,         // NUL octet in a non-binary literal (RFC 9051 §9 CHAR8)
  invalid_literal,        // malformed "{n}" / "{n+}" / "~{n}" or not at the end of a line
  // Tokens (RFC 9051 §9).
  invalid_tag,             // missing tag or a character outside tag (astring-char except "+")
  invalid_command_name,    // command name is not an atom
  expected_space,          // a token is followed by something other than SP or the line end
  unexpected_space,        // SP where a token was expected (double or trailing space)
  unexpected_character,    // a byte that cannot start or continue a token here
  unterminated_quoted,     // line ends inside a quoted string
  invalid_quoted_char,     // CR, LF or NUL inside a quoted string
  invalid_escape,          // backslash in a quoted string not followed by '"' or '\'
  invalid_utf8,            // 8-bit byte in a quoted string that is not well-formed UTF-8
  unclosed_list,           // "(" without its ")"
  unexpected_close_paren,  // ")" with no open list
  nesting_too_deep,        // lists/sections nested deeper than imap_limits::max_depth
  too_many_values,         // more tokens than imap_limits::max_values
  invalid_section,         // malformed "[section]"
  invalid_partial,         // malformed "<origin.length>"
  invalid_flag,            // "\" not followed by an atom or "*"
  // Sequence sets (RFC 9051 §9 sequence-set, RFC 5182 "$").
  sequence_set_empty,
  sequence_number_zero,
  sequence_number_too_large,  // above 4294967295 (nz-number is 32 bit)
  sequence_set_syntax,
  // Per-command checks (RFC 9051 §6).
  unexpected_argument,  // an argument the command does not take
  missing_argument,     // fewer arguments than the command requires
  invalid_argument,     // an argument of the wrong type
  invalid_uid_command,  // UID followed by something else than COPY/MOVE/FETCH/SEARCH/STORE/EXPUNGE
  invalid_base64,       // AUTHENTICATE initial or continuation response is not base64
  invalid_date_time,    // APPEND date-time is not "dd-Mon-yyyy hh:mm:ss +zzzz"
  expected_done,        // line other than DONE while IDLE (RFC 2177)
  // Responses (RFC 9051 §7).
  invalid_response_start,   // not "+", "*" or a tag
  invalid_status,           // tagged response without OK/NO/BAD
  invalid_response_code,    // malformed "[code ...]"
  missing_response_data,    // "* " with nothing after it
  invalid_message_number,   // "n EXISTS|RECENT|EXPUNGE|FETCH" with a bad n
  invalid_capability_data,  // CAPABILITY/ENABLED with non-atom or no capabilities
  invalid_flags_data,       // FLAGS without exactly one list of flags
  invalid_list_data,        // LIST/LSUB not (flags) delimiter mailbox
  invalid_status_data,      // STATUS not mailbox (name number ...)
  invalid_search_data,      // SEARCH with something else than numbers
  invalid_fetch_data,       // FETCH not one list of name/value pairs
  invalid_id_data,          // ID not NIL or a list of string pairs
  invalid_namespace_data,   // NAMESPACE not three NIL-or-list arguments
};

}  // namespace mailtls::codec::imap

namespace mailtls::codec {
template <>
struct errc_traits<imap::imap_errc> {
  static constexpr const char* name = "mailtls.imap";
  static const char* message(imap::imap_errc e) noexcept;
};
}  // namespace mailtls::codec

namespace mailtls::codec::imap {
std::error_code make_error_code(imap_errc e) noexcept;
}  // namespace mailtls::codec::imap

template <>
struct std::is_error_code_enum<mailtls::codec::imap::imap_errc> : std::true_type {};
