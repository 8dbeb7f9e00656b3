#include "codec/imap/sequence_set.hpp"

#include <charconv>
#include <utility>

#include "codec/imap/errc.hpp"

namespace mailtls::codec::imap {

namespace {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads one seq-number at text[pos]; on failure sets error/position.
bool read_number(std::string_view text, std::size_t& pos, seq_number& out,
                 sequence_parse_result& r) {
  if (pos < text.size() && text[pos] == '*') {
    out = {0, true};
    ++pos;
    return true;
  }
  const std::size_t start = pos;
  while (pos < text.size() && is_digit(text[pos]))
    ++pos;
  if (pos == start) {
    r.error = make_error_code(imap_errc::sequence_set_syntax);
    r.position = pos;
    return false;
  }
  // RFC 9051 §9: nz-number = digit-nz *DIGIT, a 32-bit value (number is < 4,294,967,296).
  std::uint64_t n = 0;
  const auto res = std::from_chars(text.data() + start, text.data() + pos, n);
  if (res.ec != std::errc{} || n > 0xFFFFFFFFu) {
    r.error = make_error_code(imap_errc::sequence_number_too_large);
    r.position = start;
    return false;
  }
  if (n == 0 || text[start] == '0') {
    // A leading zero is not an nz-number either ("01").
    r.error =
        make_error_code(n == 0 ? imap_errc::sequence_number_zero : imap_errc::sequence_set_syntax);
    r.position = start;
    return false;
  }
  out = {static_cast<std::uint32_t>(n), false};
  return true;
}

void append_number(const seq_number& n, std::string& out) {
  if (n.star) {
    out.push_back('*');
    return;
  }
  char buf[16];
  const auto r = std::to_chars(buf, buf + sizeof buf, n.number);
  out.append(buf, r.ptr);
}

}  // namespace

bool sequence_set::contains(std::uint32_t n, std::uint32_t largest) const {
  for (const auto& r : ranges) {
    std::uint32_t a = r.first.star ? largest : r.first.number;
    std::uint32_t b = r.last.star ? largest : r.last.number;
    if (a > b) std::swap(a, b);  // RFC 9051 §9: "2:4" and "4:2" are equivalent
    if (n >= a && n <= b) return true;
  }
  return false;
}

sequence_parse_result parse_sequence_set(std::string_view text) {
  sequence_parse_result r;
  if (text.empty()) {
    r.error = make_error_code(imap_errc::sequence_set_empty);
    return r;
  }
  if (text[0] == '$') {
    // RFC 5182 §2.1: "$" stands alone (it is not combined with other ranges).
    if (text.size() != 1) {
      r.error = make_error_code(imap_errc::sequence_set_syntax);
      r.position = 1;
      return r;
    }
    r.set.saved = true;
    return r;
  }
  std::size_t pos = 0;
  for (;;) {
    seq_range range;
    if (!read_number(text, pos, range.first, r)) return r;
    range.last = range.first;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_number(text, pos, range.last, r)) return r;
    }
    r.set.ranges.push_back(range);
    if (pos == text.size()) return r;
    if (text[pos] != ',') {
      r.error = make_error_code(imap_errc::sequence_set_syntax);
      r.position = pos;
      return r;
    }
    ++pos;
  }
}

void serialize(const sequence_set& s, std::string& out) {
  if (s.saved) {
    out.push_back('$');
    return;
  }
  for (std::size_t i = 0; i < s.ranges.size(); ++i) {
    if (i != 0) out.push_back(',');
    append_number(s.ranges[i].first, out);
    if (!(s.ranges[i].last == s.ranges[i].first)) {
      out.push_back(':');
      append_number(s.ranges[i].last, out);
    }
  }
}

}  // namespace mailtls::codec::imap
