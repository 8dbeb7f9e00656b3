#include "codec/imap/errc.hpp"

namespace mailtls::codec {

const char* errc_traits<imap::imap_errc>::message(imap::imap_errc e) noexcept {
  using imap::imap_errc;
  switch (e) {
    case imap_errc::literal_too_large:
      return "literal too large";
    case imap_errc::message_too_large:
      return "message too large";
    case imap_errc::nul_in_literal:
      return "NUL in a non-binary literal";
    case imap_errc::invalid_literal:
      return "invalid literal";
    case imap_errc::invalid_tag:
      return "invalid tag";
    case imap_errc::invalid_command_name:
      return "invalid command name";
    case imap_errc::expected_space:
      return "expected SP";
    case imap_errc::unexpected_space:
      return "unexpected SP";
    case imap_errc::unexpected_character:
      return "unexpected character";
    case imap_errc::unterminated_quoted:
      return "unterminated quoted string";
    case imap_errc::invalid_quoted_char:
      return "invalid character in a quoted string";
    case imap_errc::invalid_escape:
      return "invalid escape in a quoted string";
    case imap_errc::invalid_utf8:
      return "invalid UTF-8";
    case imap_errc::unclosed_list:
      return "unclosed list";
    case imap_errc::unexpected_close_paren:
      return "unexpected )";
    case imap_errc::nesting_too_deep:
      return "nesting too deep";
    case imap_errc::too_many_values:
      return "too many values";
    case imap_errc::invalid_section:
      return "invalid section";
    case imap_errc::invalid_partial:
      return "invalid partial range";
    case imap_errc::invalid_flag:
      return "invalid flag";
    case imap_errc::sequence_set_empty:
      return "empty sequence set";
    case imap_errc::sequence_number_zero:
      return "sequence number 0";
    case imap_errc::sequence_number_too_large:
      return "sequence number too large";
    case imap_errc::sequence_set_syntax:
      return "invalid sequence set";
    case imap_errc::unexpected_argument:
      return "unexpected argument";
    case imap_errc::missing_argument:
      return "missing argument";
    case imap_errc::invalid_argument:
      return "invalid argument";
    case imap_errc::invalid_uid_command:
      return "invalid UID command";
    case imap_errc::invalid_base64:
      return "invalid base64";
    case imap_errc::invalid_date_time:
      return "invalid date-time";
    case imap_errc::expected_done:
      return "expected DONE";
    case imap_errc::invalid_response_start:
      return "invalid response start";
    case imap_errc::invalid_status:
      return "invalid status";
    case imap_errc::invalid_response_code:
      return "invalid response code";
    case imap_errc::missing_response_data:
      return "missing response data";
    case imap_errc::invalid_message_number:
      return "invalid message number";
    case imap_errc::invalid_capability_data:
      return "invalid CAPABILITY data";
    case imap_errc::invalid_flags_data:
      return "invalid FLAGS data";
    case imap_errc::invalid_list_data:
      return "invalid LIST data";
    case imap_errc::invalid_status_data:
      return "invalid STATUS data";
    case imap_errc::invalid_search_data:
      return "invalid SEARCH data";
    case imap_errc::invalid_fetch_data:
      return "invalid FETCH data";
    case imap_errc::invalid_id_data:
      return "invalid ID data";
    case imap_errc::invalid_namespace_data:
      return "invalid NAMESPACE data";
  }
  return "unknown imap error";
}

}  // namespace mailtls::codec

namespace mailtls::codec::imap {
std::error_code make_error_code(imap_errc e) noexcept {
  return make_codec_error(e);
}
}  // namespace mailtls::codec::imap
