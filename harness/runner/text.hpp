// Small text helpers of the interpreter: how bytes are shown in transcripts and verdicts, and the
// glob used by reply and cipher patterns. Std only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailtls::runner {

// `bytes` with control characters escaped for display: \r \n \t, \\ and \xHH for the other bytes
// below 0x20 and DEL. Bytes >= 0x80 are kept (UTF-8 texts stay readable).
std::string escape(std::string_view bytes);

// Splits `bytes` at every CRLF into display lines, each escaped (a bare LF or CR stays visible
// as \n or \r inside its line). A trailing part without CRLF is a line of its own; an empty input
// gives no line.
std::vector<std::string> display_lines(std::string_view bytes);

// `*` matches any run of characters (also none), everything else itself, ASCII
// case-insensitively; the whole text must match.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

bool iequals(std::string_view a, std::string_view b) noexcept;
std::string to_upper(std::string_view s);

// 'text' for messages, escaped and cut to `max` characters ("..." marks a cut).
std::string quoted(std::string_view text, std::size_t max = 80);

}  // namespace mailtls::runner
