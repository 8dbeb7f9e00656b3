#include "scenario/syntax.hpp"

#include <charconv>

namespace mailtls::scenario {
namespace {

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}
bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool all_digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back()))
    s.remove_suffix(1);
  return s;
}

std::size_t comment_start(std::string_view line) noexcept {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '#' && (i == 0 || is_blank(line[i - 1]))) {
      return i;
    }
  }
  return std::string_view::npos;
}

bool is_name(std::string_view s) noexcept {
  if (s.empty() || is_digit(s.front())) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '_')) return false;
  }
  return true;
}

bool is_id(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-')) return false;
  }
  return true;
}

bool is_ref(std::string_view s) noexcept {
  if (s.starts_with("CVE-")) {
    // CVE-YYYY-NNNN+ (the sequence number has at least four digits).
    s.remove_prefix(4);
    return s.size() >= 9 && all_digits(s.substr(0, 4)) && s[4] == '-' && all_digits(s.substr(5));
  }
  if (!s.starts_with("RFC ")) return false;
  s.remove_prefix(4);
  const auto sp = s.find(' ');
  if (sp == std::string_view::npos) return all_digits(s);
  if (!all_digits(s.substr(0, sp))) return false;
  std::string_view sec = s.substr(sp + 1);
  if (!sec.starts_with("\xC2\xA7")) return false;  // U+00A7 SECTION SIGN in UTF-8
  sec.remove_prefix(2);
  // A section: digits, letters and dots, starting with an alphanumeric ("4", "4.5.3.1.4", "A.1").
  if (sec.empty() || sec.front() == '.') return false;
  for (char c : sec) {
    if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.')) {
      return false;
    }
  }
  return true;
}

std::optional<syntax_error> parse_duration(std::string_view s, std::size_t offset,
                                           std::uint32_t max_ms, std::uint32_t& out) {
  std::uint64_t scale = 0;
  std::string_view num = s;
  if (s.ends_with("ms")) {
    scale = 1;
    num.remove_suffix(2);
  } else if (s.ends_with("s")) {
    scale = 1000;
    num.remove_suffix(1);
  }
  std::uint64_t n = 0;
  const auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
  if (scale == 0 || num.empty() || !all_digits(num) ||
      (ec != std::errc{} && ec != std::errc::result_out_of_range) || p != num.data() + num.size()) {
    return syntax_error{scenario_errc::bad_duration, offset,
                        "expected a duration like 500ms or 5s, got " + shown(s)};
  }
  if (ec == std::errc::result_out_of_range || n == 0 || n > max_ms / scale) {
    return syntax_error{
        scenario_errc::duration_out_of_range, offset,
        "expected a duration from 1ms to " + std::to_string(max_ms) + "ms, got " + shown(s)};
  }
  out = static_cast<std::uint32_t>(n * scale);
  return std::nullopt;
}

std::optional<syntax_error> parse_quoted(std::string_view line, std::size_t& pos,
                                         std::string& out) {
  const std::size_t start = pos;
  ++pos;  // opening quote
  while (pos < line.size()) {
    const char c = line[pos];
    if (c == '"') {
      ++pos;
      return std::nullopt;
    }
    if (c != '\\') {
      out.push_back(c);
      ++pos;
      continue;
    }
    if (pos + 1 >= line.size()) break;
    const char e = line[pos + 1];
    switch (e) {
      case 'r':
        out.push_back('\r');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case '0':
        out.push_back('\0');
        break;
      case '\\':
      case '"':
        out.push_back(e);
        break;
      case 'x': {
        const int hi = pos + 2 < line.size() ? hex_value(line[pos + 2]) : -1;
        const int lo = pos + 3 < line.size() ? hex_value(line[pos + 3]) : -1;
        if (hi < 0 || lo < 0) {
          return syntax_error{
              scenario_errc::bad_escape, pos,
              "expected two hex digits after \\x, got " + shown(line.substr(pos, 4))};
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        pos += 4;
        continue;
      }
      default:
        return syntax_error{
            scenario_errc::bad_escape, pos,
            "expected one of \\r \\n \\t \\0 \\\\ \\\" \\xHH, got " + shown(line.substr(pos, 2))};
    }
    pos += 2;
  }
  return syntax_error{scenario_errc::unterminated_string, start,
                      "expected a closing '\"', got the end of the line"};
}

std::optional<syntax_error> parse_template(std::string_view text, std::size_t offset,
                                           text_template& out) {
  std::size_t i = 0;
  std::string lit;
  while (i < text.size()) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const auto close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        return syntax_error{scenario_errc::unterminated_variable, offset + i,
                            "expected '}' closing '${', got the end of the line"};
      }
      const auto name = text.substr(i + 2, close - i - 2);
      if (!is_name(name)) {
        return syntax_error{scenario_errc::bad_variable_name, offset + i + 2,
                            "expected a variable name [a-z_][a-z0-9_]*, got " + shown(name)};
      }
      if (!lit.empty()) {
        out.push_back({text_part::kind::literal, std::move(lit)});
        lit.clear();
      }
      out.push_back({text_part::kind::variable, std::string(name)});
      i = close + 1;
      continue;
    }
    lit.push_back(text[i]);
    ++i;
  }
  if (!lit.empty()) out.push_back({text_part::kind::literal, std::move(lit)});
  return std::nullopt;
}

std::string quote(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u >= 0x7F) {
      out += "\\x";
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 15]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string shown(std::string_view s) {
  if (s.empty()) return "nothing";
  constexpr std::size_t max = 40;
  std::string out = "'";
  out.append(s.substr(0, max));
  if (s.size() > max) out += "...";
  out.push_back('\'');
  return out;
}

}  // namespace mailtls::scenario
