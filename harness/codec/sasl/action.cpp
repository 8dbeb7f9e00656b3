#include "codec/sasl/action.hpp"

namespace mailtls::codec::sasl {

std::string to_string(const fail& f) {
  std::string s = "fail " + error_name(f.error);
  if (f.detail) s += " (" + error_name(f.detail) + " @" + std::to_string(f.offset) + ")";
  return s;
}

void append_quoted(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

void wipe(std::string& s) noexcept {
  volatile char* p = s.data();
  for (std::size_t i = 0; i < s.size(); ++i)
    p[i] = 0;
  s.clear();
}

}  // namespace mailtls::codec::sasl
