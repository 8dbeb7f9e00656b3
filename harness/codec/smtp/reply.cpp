#include "codec/smtp/reply.hpp"

namespace mailtls::codec::smtp {

namespace {

// 1*3DIGIT starting at s[i]; advances i.
bool read_number(std::string_view s, std::size_t& i, std::uint16_t& out) {
  std::size_t n = 0;
  unsigned v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && n < 4) {
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
    ++i;
    ++n;
  }
  if (n == 0 || n > 3) return false;
  out = static_cast<std::uint16_t>(v);
  return true;
}

void append_code(int code, std::string& out) {
  const int c = code < 0 ? 0 : code % 1000;
  out += static_cast<char>('0' + c / 100);
  out += static_cast<char>('0' + (c / 10) % 10);
  out += static_cast<char>('0' + c % 10);
}

}  // namespace

std::string enhanced_status::to_string() const {
  return std::to_string(cls) + "." + std::to_string(subject) + "." + std::to_string(detail);
}

std::optional<enhanced_status> parse_enhanced_status(std::string_view text,
                                                     std::size_t* length) noexcept {
  // status-code = class "." subject "." detail; class = "2" / "4" / "5";
  // subject = 1*3digit; detail = 1*3digit (RFC 3463 §2, RFC 2034 §4).
  if (text.size() < 5) return std::nullopt;
  const char c = text[0];
  if ((c != '2' && c != '4' && c != '5') || text[1] != '.') return std::nullopt;
  enhanced_status st;
  st.cls = static_cast<std::uint8_t>(c - '0');
  std::size_t i = 2;
  if (!read_number(text, i, st.subject)) return std::nullopt;
  if (i >= text.size() || text[i] != '.') return std::nullopt;
  ++i;
  if (!read_number(text, i, st.detail)) return std::nullopt;
  if (i < text.size() && text[i] != ' ') return std::nullopt;
  if (length != nullptr) *length = i;
  return st;
}

std::string reply::text() const {
  std::string s;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i != 0) s += '\n';
    s += lines[i];
  }
  return s;
}

std::optional<enhanced_status> reply::enhanced(std::size_t i) const {
  if (i >= lines.size()) return std::nullopt;
  return parse_enhanced_status(lines[i]);
}

void serialize(const reply& r, std::string& out) {
  if (r.lines.empty()) {
    append_code(r.code, out);
    out += "\r\n";
    return;
  }
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    append_code(r.code, out);
    const bool last = i + 1 == r.lines.size();
    if (last && r.lines[i].empty()) {
      out += "\r\n";
      continue;
    }
    out += last ? ' ' : '-';
    out += r.lines[i];
    out += "\r\n";
  }
}

void serialize_reply(int code, std::string_view text, std::string& out) {
  append_code(code, out);
  if (!text.empty()) {
    out += ' ';
    out += text;
  }
  out += "\r\n";
}

}  // namespace mailtls::codec::smtp
