#include "codec/pop3/response.hpp"

#include <cstring>

#include "codec/pop3/syntax.hpp"

namespace mailtls::codec::pop3 {

bool response::has_code(std::initializer_list<std::string_view> prefix) const {
  if (prefix.size() > code.size()) return false;
  std::size_t i = 0;
  for (std::string_view p : prefix)
    if (!iequals(p, code[i++])) return false;
  return true;
}

std::vector<std::string_view> response::body_lines() const {
  std::vector<std::string_view> out;
  std::string_view rest = body;
  while (!rest.empty()) {
    const std::size_t lf = rest.find('\n');
    std::string_view line = rest.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (lf == std::string_view::npos) break;
    rest.remove_prefix(lf + 1);
  }
  return out;
}

std::size_t parse_response_code(std::string_view text, std::vector<std::string>& code) {
  code.clear();
  if (text.empty() || text[0] != '[') return 0;
  std::size_t i = 1;
  std::size_t level = i;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '/' || c == ']') {
      if (i == level) break;  // empty level
      code.emplace_back(text.substr(level, i - level));
      level = i + 1;
      if (c == ']') {
        // RFC 2449 §8: the code is followed by SP and text, or ends the line.
        if (i + 1 == text.size()) return i + 1;
        if (text[i + 1] == ' ') return i + 2;
        break;
      }
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) break;  // resp-level is printable ASCII
  }
  code.clear();
  return 0;
}

void serialize(const response& r, std::string& out) {
  switch (r.status) {
    case response_status::ok:
      out += "+OK";
      break;
    case response_status::err:
      out += "-ERR";
      break;
    case response_status::continuation:
      out += "+ ";
      out += r.text;
      out += "\r\n";
      return;
  }
  if (!r.code.empty()) {
    out += " [";
    for (std::size_t i = 0; i < r.code.size(); ++i) {
      if (i > 0) out += '/';
      out += r.code[i];
    }
    out += ']';
  }
  if (!r.text.empty()) {
    out += ' ';
    out += r.text;
  }
  out += "\r\n";
  if (!r.multi_line) return;
  // RFC 1939 §3: a line starting with "." gets another "."; the body ends with ".\r\n".
  std::string_view rest = r.body;
  while (!rest.empty()) {
    const void* lf = std::memchr(rest.data(), '\n', rest.size());
    const std::size_t n =
        lf == nullptr ? rest.size()
                      : static_cast<std::size_t>(static_cast<const char*>(lf) - rest.data());
    std::string_view line = rest.substr(0, n);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line[0] == '.') out += '.';
    out += line;
    out += "\r\n";
    rest.remove_prefix(lf == nullptr ? n : n + 1);
  }
  out += ".\r\n";
}

}  // namespace mailtls::codec::pop3
