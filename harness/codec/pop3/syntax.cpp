#include "codec/pop3/syntax.hpp"

namespace mailtls::codec::pop3 {

namespace {
constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
constexpr bool is_b64(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::size_t base64_error_at(std::string_view s) noexcept {
  // RFC 4648 §4: at most two '=' and only at the very end.
  std::size_t data = s.size();
  while (data > 0 && s.size() - data < 2 && s[data - 1] == '=')
    --data;
  for (std::size_t i = 0; i < data; ++i)
    if (!is_b64(s[i])) return i;
  if (s.size() % 4 != 0) return s.size();
  return std::string_view::npos;
}

}  // namespace mailtls::codec::pop3
