// Small lexical helpers shared by the POP3 command and response parsers.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mailtls::codec::pop3 {

// ASCII case-insensitive equality (RFC 1939 §3: keywords are case-insensitive).
bool iequals(std::string_view a, std::string_view b) noexcept;

// Offset of the first octet of `s` that is not valid base64 (RFC 4648 §4: groups of four
// characters from A-Z a-z 0-9 + /, '=' padding only at the end), or npos if `s` is valid.
// An empty string is valid (an empty SASL response, RFC 5034 §4). A wrong length reports s.size().
std::size_t base64_error_at(std::string_view s) noexcept;

// True for a control character or DEL (RFC 1939 §3: arguments are printable characters).
constexpr bool is_control(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// Word-at-a-time scans for short lines (a memchr call costs more than it saves there).
namespace swar {
inline constexpr std::uint64_t ones = 0x0101010101010101ull;
inline constexpr std::uint64_t highs = 0x8080808080808080ull;
inline std::uint64_t load(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
// High bit set in each byte of v that is zero (exact for the lowest such byte).
inline constexpr std::uint64_t zero_bytes(std::uint64_t v) noexcept {
  return (v - ones) & ~v & highs;
}
// Index of the lowest flagged byte (little-endian) given a nonzero mask.
inline std::size_t first(std::uint64_t mask) noexcept {
  return static_cast<std::size_t>(std::countr_zero(mask)) / 8;
}
}  // namespace swar

// Position of the first c in s at or after from, or npos.
inline std::size_t find_byte(std::string_view s, std::size_t from, char c) noexcept {
  const std::uint64_t pattern = swar::ones * static_cast<unsigned char>(c);
  std::size_t i = from;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= s.size(); i += 8) {
      const std::uint64_t m = swar::zero_bytes(swar::load(s.data() + i) ^ pattern);
      if (m != 0) return i + swar::first(m);
    }
  }
  for (; i < s.size(); ++i)
    if (s[i] == c) return i;
  return std::string_view::npos;
}

// Position of the first control character or DEL in s, or npos.
inline std::size_t find_control(std::string_view s) noexcept {
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= s.size(); i += 8) {
      const std::uint64_t v = swar::load(s.data() + i);
      // bytes < 0x20 (bytes >= 0x80 masked out by ~v), and bytes == 0x7f
      const std::uint64_t m =
          ((v - swar::ones * 0x20) & ~v & swar::highs) | swar::zero_bytes(v ^ (swar::ones * 0x7f));
      if (m != 0) break;  // locate it exactly below
    }
  }
  for (; i < s.size(); ++i)
    if (is_control(s[i])) return i;
  return std::string_view::npos;
}

}  // namespace mailtls::codec::pop3
