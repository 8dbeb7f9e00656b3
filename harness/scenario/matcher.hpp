// Parser of the `S:` reply matcher (docs/scenario-format.md, "Reply matchers").
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "scenario/ast.hpp"
#include "scenario/syntax.hpp"

namespace mailtls::scenario {

// `text` is what follows `S:` (comment removed), `offset` its position in the line (for errors).
std::optional<syntax_error> parse_matcher(std::string_view text, std::size_t offset,
                                          reply_matcher& out);

// An SMTP reply code pattern: [2-5][0-9x][0-9x] (RFC 5321 §4.2: the first digit is 2 to 5).
bool is_code_pattern(std::string_view s) noexcept;

}  // namespace mailtls::scenario
