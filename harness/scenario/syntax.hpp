// Lexical helpers shared by the scenario parser, matcher parser, lint and printer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scenario/ast.hpp"
#include "scenario/errc.hpp"

namespace mailtls::scenario {

// An error inside one line: `offset` is the 0-based byte offset in that line.
struct syntax_error {
  scenario_errc code = scenario_errc::unknown_statement;
  std::size_t offset = 0;
  std::string message;
};

std::string_view trim(std::string_view s) noexcept;

// Where a `#` comment starts in `line` (a `#` at the start or after a blank, outside "..."), or
// npos.
std::size_t comment_start(std::string_view line) noexcept;

// [a-z_][a-z0-9_]*: variable and capture names.
bool is_name(std::string_view s) noexcept;
// [a-z0-9-]+: scenario ids.
bool is_id(std::string_view s) noexcept;
// `RFC <n>`, `RFC <n> §<section>`, `CVE-YYYY-NNNN+`.
bool is_ref(std::string_view s) noexcept;

// `<n>ms` or `<n>s`, 1 ms .. max_ms.
std::optional<syntax_error> parse_duration(std::string_view s, std::size_t offset,
                                           std::uint32_t max_ms, std::uint32_t& out);

// A double-quoted string starting at line[pos] == '"'; escapes \r \n \t \0 \\ \" \xHH. On success
// `pos` is just past the closing quote.
std::optional<syntax_error> parse_quoted(std::string_view line, std::size_t& pos, std::string& out);

// `C:` text: literals and `${name}` markers (`$` not followed by `{` is literal).
std::optional<syntax_error> parse_template(std::string_view text, std::size_t offset,
                                           text_template& out);

// `"..."` form of `s` with the escapes parse_quoted reads.
std::string quote(std::string_view s);

// A quoted string in s is shown in messages as 'text' cut to a readable length.
std::string shown(std::string_view s);

}  // namespace mailtls::scenario
