#include "codec/pop3/greeting.hpp"

#include "codec/pop3/syntax.hpp"

namespace mailtls::codec::pop3 {

std::optional<apop_timestamp> find_apop_timestamp(std::string_view text) noexcept {
  std::size_t from = 0;
  for (;;) {
    const std::size_t open = text.find('<', from);
    if (open == std::string_view::npos) return std::nullopt;
    std::size_t i = open + 1;
    bool at = false;
    bool space = false;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '>' || c == '<' || is_control(c)) break;
      if (c == '@') at = true;
      if (c == ' ') space = true;
    }
    if (i < text.size() && text[i] == '>' && i > open + 1) {
      const std::string_view inner = text.substr(open + 1, i - open - 1);
      // msg-id: local "@" domain, both non-empty (RFC 822 §6.1).
      const std::size_t a = inner.find('@');
      const bool msg_id = at && !space && a != 0 && a + 1 < inner.size();
      return apop_timestamp{text.substr(open, i - open + 1), msg_id};
    }
    from = i < text.size() && text[i] == '<' ? i : i + 1;
    if (from >= text.size()) return std::nullopt;
  }
}

}  // namespace mailtls::codec::pop3
