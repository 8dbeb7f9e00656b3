// Small text helpers shared by the protocol rules of the proxy (std only).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailtls::mitm {

// ASCII case-insensitive equality.
bool iequal(std::string_view a, std::string_view b) noexcept;
// The first space-delimited word of `text`.
std::string_view first_word(std::string_view text) noexcept;
// `raw` cut into lines, each keeping its line ending (LF, CRLF); a last part without LF is a line.
std::vector<std::string_view> raw_lines(std::string_view raw);
// `line` without its CRLF / LF ending.
std::string_view without_ending(std::string_view line) noexcept;
// Removes from `text[from, to)` every space-delimited token equal to `token` (case-insensitive),
// with the space before it. Returns whether something was removed.
bool remove_token(std::string& text, std::size_t from, std::size_t to, std::string_view token);

}  // namespace mailtls::mitm
