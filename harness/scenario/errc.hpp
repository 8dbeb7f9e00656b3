// Errors of the scenario-file parser (harness/scenario/parser.hpp).
//
// Every parse error is reported as a scenario_error: the file and 1-based line and column where it
// was found, a specific scenario_errc, and a message saying what was expected and what arrived.
// to_string() renders it as `file:line: message`.
#pragma once

#include <cstddef>
#include <string>
#include <system_error>

#include "codec/error_category.hpp"

namespace mailtls::scenario {

enum class scenario_errc {
  file_too_large = 1,         // a file is longer than parse_limits::max_file_size
  line_too_long,              // a line is longer than parse_limits::max_line_length
  invalid_character,          // NUL, bare CR or another control character (TAB is allowed)
  too_many_statements,        // more than parse_limits::max_statements in all files together
  include_depth_exceeded,     // include nested deeper than parse_limits::max_include_depth
  too_many_includes,          // more than parse_limits::max_includes include statements resolved
  include_cycle,              // a file includes itself, directly or not
  include_not_found,          // the loader returned nothing for the path
  include_without_loader,     // include used but parse_options::loader is empty
  header_after_body,          // `key: value` after the first body statement
  header_in_include,          // an included file has a header line
  empty_header_value,         // `key:` with nothing after it
  unknown_statement,          // a body line that is none of the statements
  expected_string,            // `send` not followed by a double-quoted string
  unterminated_string,        // `send "...` without the closing quote
  bad_escape,                 // unknown escape or bad \xHH in a quoted string
  trailing_text,              // something after a complete statement
  unterminated_variable,      // `${` without `}`
  bad_variable_name,          // `${...}`, `set`, or `-> name` with a name not [a-z_][a-z0-9_]*
  bad_set,                    // `set` without `name = value`
  bad_duration,               // not `<n>ms` or `<n>s`
  duration_out_of_range,      // a duration of 0 or above parse_limits::max_duration_ms
  bad_tls_version,            // not TLS1.0 .. TLS1.3 (or TLSv1.x)
  bad_starttls_option,        // an unknown starttls option or one without its value
  duplicate_starttls_option,  // the same starttls option twice
  tls_version_range,          // starttls min is above max
  bad_expect,                 // expect not followed by close / silence / tls version / tls fail
  missing_matcher,            // `S:` with nothing after it
  bad_reply_code,             // an SMTP code that is not [2-5][0-9x][0-9x]
  bad_code_set,               // `{...}` empty, unterminated or with a bad element
  bad_imap_status,            // a tagged IMAP reply whose status is not OK / NO / BAD
  bad_capability_assertion,   // `[...]` element that is not +CAP or -CAP
  bad_regex,                  // `/...` without the closing `/`, or `//`
};

}  // namespace mailtls::scenario

template <>
struct mailtls::codec::errc_traits<mailtls::scenario::scenario_errc> {
  static constexpr const char* name = "mailtls.scenario";
  static const char* message(mailtls::scenario::scenario_errc e) noexcept;
};

namespace mailtls::scenario {

std::error_code make_error_code(scenario_errc e) noexcept;

struct scenario_error {
  std::error_code code;
  std::string file;
  std::size_t line = 0;    // 1-based; 0 when the error concerns the whole file
  std::size_t column = 0;  // 1-based; 0 when unknown
  std::string message;     // what was expected and what arrived

  // `file:line: message`
  std::string to_string() const;
  bool operator==(const scenario_error&) const = default;
};

}  // namespace mailtls::scenario

template <>
struct std::is_error_code_enum<mailtls::scenario::scenario_errc> : std::true_type {};
