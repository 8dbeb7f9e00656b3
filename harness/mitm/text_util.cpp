#include "mitm/text_util.hpp"

namespace mailtls::mitm {
namespace {

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

}  // namespace

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view first_word(std::string_view text) noexcept {
  const std::size_t sp = text.find(' ');
  return sp == std::string_view::npos ? text : text.substr(0, sp);
}

std::vector<std::string_view> raw_lines(std::string_view raw) {
  std::vector<std::string_view> out;
  while (!raw.empty()) {
    const std::size_t lf = raw.find('\n');
    const std::size_t n = lf == std::string_view::npos ? raw.size() : lf + 1;
    out.push_back(raw.substr(0, n));
    raw.remove_prefix(n);
  }
  return out;
}

std::string_view without_ending(std::string_view line) noexcept {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool remove_token(std::string& text, std::size_t from, std::size_t to, std::string_view token) {
  bool removed = false;
  std::size_t i = from;
  // Bounded: every round moves i forward or shrinks the range.
  while (i < to && i < text.size()) {
    std::size_t end = i;
    while (end < to && text[end] != ' ')
      ++end;
    if (iequal(std::string_view(text).substr(i, end - i), token)) {
      // Remove the token and one space: the one before it, else the one after it.
      std::size_t cut_from = i;
      std::size_t cut_to = end;
      if (cut_from > from && text[cut_from - 1] == ' ') {
        --cut_from;
      } else if (cut_to < to && text[cut_to] == ' ') {
        ++cut_to;
      }
      text.erase(cut_from, cut_to - cut_from);
      to -= cut_to - cut_from;
      i = cut_from;
      removed = true;
      continue;
    }
    i = end + 1;
  }
  return removed;
}

}  // namespace mailtls::mitm
