#include "scenario/errc.hpp"

namespace mailtls::codec {

const char* errc_traits<scenario::scenario_errc>::message(scenario::scenario_errc e) noexcept {
  using scenario::scenario_errc;
  switch (e) {
    case scenario_errc::file_too_large:
      return "file too large";
    case scenario_errc::line_too_long:
      return "line too long";
    case scenario_errc::invalid_character:
      return "invalid character";
    case scenario_errc::too_many_statements:
      return "too many statements";
    case scenario_errc::include_depth_exceeded:
      return "include depth exceeded";
    case scenario_errc::too_many_includes:
      return "too many includes";
    case scenario_errc::include_cycle:
      return "include cycle";
    case scenario_errc::include_not_found:
      return "included file not found";
    case scenario_errc::include_without_loader:
      return "include without a loader";
    case scenario_errc::header_after_body:
      return "header after the first statement";
    case scenario_errc::header_in_include:
      return "header in an included file";
    case scenario_errc::empty_header_value:
      return "empty header value";
    case scenario_errc::unknown_statement:
      return "unknown statement";
    case scenario_errc::expected_string:
      return "expected a quoted string";
    case scenario_errc::unterminated_string:
      return "unterminated string";
    case scenario_errc::bad_escape:
      return "bad escape sequence";
    case scenario_errc::trailing_text:
      return "trailing text after statement";
    case scenario_errc::unterminated_variable:
      return "unterminated variable";
    case scenario_errc::bad_variable_name:
      return "bad variable name";
    case scenario_errc::bad_set:
      return "bad set statement";
    case scenario_errc::bad_duration:
      return "bad duration";
    case scenario_errc::duration_out_of_range:
      return "duration out of range";
    case scenario_errc::bad_tls_version:
      return "bad TLS version";
    case scenario_errc::bad_starttls_option:
      return "bad starttls option";
    case scenario_errc::duplicate_starttls_option:
      return "duplicate starttls option";
    case scenario_errc::tls_version_range:
      return "starttls min version above max";
    case scenario_errc::bad_expect:
      return "bad expect statement";
    case scenario_errc::missing_matcher:
      return "missing reply matcher";
    case scenario_errc::bad_reply_code:
      return "bad reply code";
    case scenario_errc::bad_code_set:
      return "bad reply code set";
    case scenario_errc::bad_imap_status:
      return "bad IMAP status";
    case scenario_errc::bad_capability_assertion:
      return "bad capability assertion";
    case scenario_errc::bad_regex:
      return "bad regex";
  }
  return "unknown scenario error";
}

}  // namespace mailtls::codec

namespace mailtls::scenario {

std::error_code make_error_code(scenario_errc e) noexcept {
  return codec::make_codec_error(e);
}

std::string scenario_error::to_string() const {
  std::string s = file;
  s += ':';
  s += std::to_string(line);
  s += ": ";
  s += message;
  return s;
}

}  // namespace mailtls::scenario
