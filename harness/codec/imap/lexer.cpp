#include "codec/imap/lexer.hpp"

#include <array>
#include <charconv>
#include <cstring>

namespace mailtls::codec::imap {

namespace {

enum : std::uint8_t { k_atom = 1, k_wild = 2, k_rbracket = 4, k_plus = 8 };

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0x21; c < 0x7f; ++c)
    t[c] = k_atom;
  // RFC 9051 §9 atom-specials.
  for (unsigned char c : {'(', ')', '{', '"', '\\'})
    t[c] = 0;
  t['%'] = k_wild;
  t['*'] = k_wild;
  t[']'] = k_rbracket;
  t['+'] = k_atom | k_plus;
  return t;
}
constexpr std::array<std::uint8_t, 256> classes = make_classes();

// Bytes that end a run of plain QUOTED-CHARs: DQUOTE, backslash, CR, LF, NUL and 8-bit.
constexpr std::array<bool, 256> make_quoted_stops() {
  std::array<bool, 256> t{};
  for (int c = 0x80; c < 0x100; ++c)
    t[c] = true;
  for (unsigned char c : {'"', '\\', '\r', '\n', '\0'})
    t[c] = true;
  return t;
}
constexpr std::array<bool, 256> quoted_stops = make_quoted_stops();

// The generic value atom: ATOM-CHARs plus list-wildcards (RFC 9051 §9 list-char) plus "]"
// (ASTRING-CHAR) outside brackets.
inline bool generic_atom_char(unsigned char c, bool in_bracket) {
  const std::uint8_t k = classes[c];
  return (k & (k_atom | k_wild)) != 0 || (!in_bracket && (k & k_rbracket) != 0);
}

bool parse_u64(std::string_view digits, std::uint64_t& out) {
  if (digits.empty() || digits.size() > 20) return false;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return r.ec == std::errc{} && r.ptr == digits.data() + digits.size();
}

inline bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool is_atom_char(unsigned char c) noexcept {
  return (classes[c] & k_atom) != 0;
}
bool is_astring_char(unsigned char c) noexcept {
  return (classes[c] & (k_atom | k_rbracket)) != 0;
}
bool is_tag_char(unsigned char c) noexcept {
  return is_astring_char(c) && c != '+';
}

std::size_t utf8_sequence_length(const unsigned char* p, std::size_t avail) noexcept {
  // RFC 3629 §4 UTF8-2 / UTF8-3 / UTF8-4 (no overlongs, no surrogates, at most U+10FFFF).
  if (avail == 0) return 0;
  const unsigned char c = p[0];
  auto cont = [&](std::size_t i) { return i < avail && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (avail < 2) return 0;
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    if (p[1] < lo || p[1] > hi) return 0;
    return cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (avail < 2) return 0;
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    if (p[1] < lo || p[1] > hi) return 0;
    return cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

bool lexer::at_line_end() const {
  if (pos_ >= msg_.size()) return true;
  const char c = msg_[pos_];
  if (c == '\n') return true;
  return c == '\r' && pos_ + 1 < msg_.size() && msg_[pos_ + 1] == '\n';
}

std::string_view lexer::rest_of_line() {
  // The line ends at the next LF (minus a CR right before it); a bare CR is text.
  const std::size_t from = pos_;
  if (from >= msg_.size()) return {};
  const void* lf = std::memchr(msg_.data() + from, '\n', msg_.size() - from);
  std::size_t end = lf == nullptr
                        ? msg_.size()
                        : static_cast<std::size_t>(static_cast<const char*>(lf) - msg_.data());
  if (lf != nullptr && end > from && msg_[end - 1] == '\r') --end;
  pos_ = end;
  return msg_.substr(from, end - from);
}

bool lexer::expect_sp() {
  if (peek() != ' ')
    return fail(at_line_end() ? imap_errc::missing_argument : imap_errc::expected_space, pos_);
  ++pos_;
  if (peek() == ' ') return fail(imap_errc::unexpected_space, pos_);
  if (at_line_end()) return fail(imap_errc::unexpected_space, pos_ - 1);
  return true;
}

bool lexer::expect_end() {
  if (at_line_end()) return true;
  return fail(peek() == ' ' ? imap_errc::unexpected_argument : imap_errc::expected_space, pos_);
}

bool lexer::read_args(std::vector<value>& out, std::vector<std::uint64_t>* offsets) {
  while (!at_line_end()) {
    if (peek() != ' ') return fail(imap_errc::expected_space, pos_);
    ++pos_;
    if (peek() == ' ') return fail(imap_errc::unexpected_space, pos_);
    if (at_line_end()) return fail(imap_errc::unexpected_space, pos_ - 1);
    if (offsets != nullptr) offsets->push_back(offset());
    out.emplace_back();
    if (!read_value(out.back())) return false;
  }
  return true;
}

bool lexer::count_value(std::size_t at) {
  if (++values_ > limits_->max_values) return fail(imap_errc::too_many_values, at);
  return true;
}

bool lexer::read_value(value& out, std::size_t depth, bool in_bracket) {
  if (!count_value(pos_)) return false;
  const int c = peek();
  if (c == '(') return read_list(out, depth, in_bracket);
  if (c == '"') return read_quoted(out);
  if (c == '{') return read_literal(out);
  if (c == '~' && pos_ + 1 < msg_.size() && msg_[pos_ + 1] == '{') return read_literal(out);
  if (c == ')') return fail(imap_errc::unexpected_close_paren, pos_);
  if (c == ' ') return fail(imap_errc::unexpected_space, pos_);
  if (at_line_end())
    return fail(depth > 0 ? imap_errc::unclosed_list : imap_errc::missing_argument, pos_);
  return read_atom(out, depth, in_bracket);
}

bool lexer::read_list(value& out, std::size_t depth, bool in_bracket) {
  const std::size_t open = pos_;
  if (depth + 1 > limits_->max_depth) return fail(imap_errc::nesting_too_deep, open);
  ++pos_;
  out.kind = value_kind::list;
  if (peek() == ')') {
    ++pos_;
    return true;
  }
  for (;;) {
    if (at_line_end()) return fail(imap_errc::unclosed_list, pos_);
    out.items.emplace_back();
    if (!read_value(out.items.back(), depth + 1, in_bracket)) return false;
    const int c = peek();
    if (c == ')') {
      ++pos_;
      return true;
    }
    if (at_line_end()) return fail(imap_errc::unclosed_list, pos_);
    if (c != ' ') return fail(imap_errc::expected_space, pos_);
    ++pos_;
    if (peek() == ' ' || peek() == ')') return fail(imap_errc::unexpected_space, pos_ - 1);
  }
}

bool lexer::read_quoted(value& out) {
  // RFC 9051 §9: quoted = DQUOTE *QUOTED-CHAR DQUOTE; QUOTED-CHAR = <any TEXT-CHAR except
  // quoted-specials> / "\" quoted-specials / UTF8-2 / UTF8-3 / UTF8-4.
  out.kind = value_kind::quoted;
  ++pos_;
  const std::size_t n = msg_.size();
  for (;;) {
    const std::size_t run = pos_;
    while (pos_ < n && !quoted_stops[static_cast<unsigned char>(msg_[pos_])])
      ++pos_;
    out.text.append(msg_.substr(run, pos_ - run));
    if (pos_ >= n || at_line_end()) return fail(imap_errc::unterminated_quoted, pos_);
    const auto c = static_cast<unsigned char>(msg_[pos_]);
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (c == '\\') {
      const int e = pos_ + 1 < n ? static_cast<unsigned char>(msg_[pos_ + 1]) : -1;
      if (e != '"' && e != '\\') {
        if (pos_ + 1 >= n || msg_[pos_ + 1] == '\n' ||
            (msg_[pos_ + 1] == '\r' && pos_ + 2 < n && msg_[pos_ + 2] == '\n'))
          return fail(imap_errc::unterminated_quoted, pos_ + 1);
        return fail(imap_errc::invalid_escape, pos_ + 1);
      }
      out.text.push_back(static_cast<char>(e));
      pos_ += 2;
      continue;
    }
    if (c == '\r' || c == 0) return fail(imap_errc::invalid_quoted_char, pos_);
    // 8-bit: RFC 9051 allows UTF-8 here.
    const std::size_t len =
        utf8_sequence_length(reinterpret_cast<const unsigned char*>(msg_.data()) + pos_, n - pos_);
    if (len == 0) {
      if (!limits_->allow_invalid_utf8) return fail(imap_errc::invalid_utf8, pos_);
      out.text.push_back(static_cast<char>(c));
      ++pos_;
      continue;
    }
    out.text.append(msg_.substr(pos_, len));
    pos_ += len;
  }
}

bool lexer::read_literal(value& out) {
  // RFC 9051 §9: literal = "{" number64 ["+"] "}" CRLF *CHAR8; literal8 = "~{" number64 "}" CRLF
  // *OCTET; RFC 7888 adds the "+" (non-synchronizing) form.
  const std::size_t start = pos_;
  out.kind = value_kind::literal;
  if (msg_[pos_] == '~') {
    out.binary = true;
    ++pos_;
  }
  const std::size_t brace = pos_;
  ++pos_;
  const std::string_view digits = take_while(is_digit);
  if (digits.empty()) return fail(imap_errc::invalid_literal, pos_);
  std::uint64_t n = 0;
  if (!parse_u64(digits, n) || n > limits_->max_literal)
    return fail(imap_errc::literal_too_large, brace);
  if (peek() == '+') {
    out.non_sync = true;
    ++pos_;
  }
  if (peek() != '}') return fail(imap_errc::invalid_literal, pos_);
  ++pos_;
  if (pos_ < msg_.size() && msg_[pos_] == '\r') ++pos_;
  if (peek() != '\n') return fail(imap_errc::invalid_literal, pos_);
  ++pos_;
  if (n > msg_.size() - pos_) return fail(imap_errc::invalid_literal, start);
  out.text.assign(msg_.substr(pos_, static_cast<std::size_t>(n)));
  pos_ += static_cast<std::size_t>(n);
  return true;
}

bool lexer::read_atom(value& out, std::size_t depth, bool in_bracket) {
  const std::size_t start = pos_;
  out.kind = value_kind::atom;
  if (msg_[pos_] == '\\') {
    // RFC 9051 §9: flag = "\" atom (system flags, flag-extension); flag-perm adds "\*".
    ++pos_;
    if (peek() == '*') {
      ++pos_;
    } else {
      const auto name = take_while([](unsigned char c) { return is_atom_char(c); });
      if (name.empty()) return fail(imap_errc::invalid_flag, pos_);
    }
    out.text.assign(msg_.substr(start, pos_ - start));
    return true;
  }
  bool bracket_seen = false;
  while (pos_ < msg_.size()) {
    const auto c = static_cast<unsigned char>(msg_[pos_]);
    if (c == '[' && pos_ > start && !bracket_seen) {
      // "BODY[...]", "BINARY.PEEK[...]": a section (RFC 9051 §9 section, section-binary).
      out.text.assign(msg_.substr(start, pos_ - start));
      return read_section(out, depth);
    }
    if (!generic_atom_char(c, in_bracket)) break;
    if (c == '[' || c == ']') bracket_seen = true;
    ++pos_;
  }
  if (pos_ == start) return fail(imap_errc::unexpected_character, pos_);
  const std::string_view a = msg_.substr(start, pos_ - start);
  out.text.assign(a);
  if (is_digit(static_cast<unsigned char>(a[0]))) {
    bool all_digits = true;
    for (char ch : a)
      all_digits = all_digits && is_digit(static_cast<unsigned char>(ch));
    if (all_digits && parse_u64(a, out.number)) out.kind = value_kind::number;
  } else if (a.size() == 3 && iequals(a, "NIL")) {
    out.kind = value_kind::nil;
  }
  return true;
}

bool lexer::read_section(value& out, std::size_t depth) {
  const std::size_t open = pos_;
  if (depth + 1 > limits_->max_depth) return fail(imap_errc::nesting_too_deep, open);
  ++pos_;
  out.has_section = true;
  if (peek() != ']') {
    for (;;) {
      if (at_line_end()) return fail(imap_errc::invalid_section, pos_);
      out.section.emplace_back();
      if (!read_value(out.section.back(), depth + 1, true)) return false;
      if (peek() == ']') break;
      if (peek() != ' ') return fail(imap_errc::invalid_section, pos_);
      ++pos_;
      if (peek() == ' ' || peek() == ']') return fail(imap_errc::invalid_section, pos_);
    }
  }
  ++pos_;  // "]"
  if (peek() == '<') return read_partial(out);
  return true;
}

bool lexer::read_partial(value& out) {
  // RFC 9051 §9: partial = "<" number64 "." nz-number64 ">" (commands); responses send "<" number
  // ">" (the origin only).
  ++pos_;
  partial_range p;
  std::string_view digits = take_while(is_digit);
  if (!parse_u64(digits, p.origin)) return fail(imap_errc::invalid_partial, pos_);
  if (peek() == '.') {
    ++pos_;
    digits = take_while(is_digit);
    std::uint64_t len = 0;
    if (!parse_u64(digits, len) || len == 0) return fail(imap_errc::invalid_partial, pos_);
    p.length = len;
  }
  if (peek() != '>') return fail(imap_errc::invalid_partial, pos_);
  ++pos_;
  out.partial = p;
  return true;
}

}  // namespace mailtls::codec::imap
