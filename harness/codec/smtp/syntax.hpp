// Character classes and element checks of the RFC 5321 §4.1.2 / §4.1.3 grammar, shared by the
// SMTP command parser and the EHLO capability parser. Functions that check an element return
// `npos` when it is valid, else the index of the offending octet.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace mailtls::codec::smtp::syntax {

inline constexpr std::size_t npos = std::string_view::npos;

namespace detail {

enum : unsigned char {
  k_alpha = 1,
  k_digit = 2,
  k_atext = 4,
  k_hex = 8,
  k_domain = 16,
  k_keyword = 32,  // ALPHA / DIGIT / "-"
  k_value = 64,    // esmtp-value: %d33-60 / %d62-126 / UTF8-non-ascii
};

constexpr std::array<unsigned char, 256> make_table() {
  std::array<unsigned char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c)
    t[c] |= k_alpha | k_atext | k_domain;
  for (int c = 'A'; c <= 'Z'; ++c)
    t[c] |= k_alpha | k_atext | k_domain;
  for (int c = '0'; c <= '9'; ++c)
    t[c] |= k_digit | k_atext | k_domain | k_hex;
  for (int c = 'a'; c <= 'f'; ++c)
    t[c] |= k_hex;
  for (int c = 'A'; c <= 'F'; ++c)
    t[c] |= k_hex;
  for (char c : std::string_view("!#$%&'*+-/=?^_`{|}~"))
    t[static_cast<unsigned char>(c)] |= k_atext;
  for (int c = 0x80; c <= 0xff; ++c)
    t[c] |= k_atext | k_domain;
  for (int c = 33; c <= 126; ++c)
    t[c] |= c == '=' ? 0 : k_value;
  for (int c = 0; c < 0x80; ++c) {
    if ((t[c] & (k_alpha | k_digit)) != 0) t[c] |= k_keyword;
  }
  for (int c = 0x80; c <= 0xff; ++c)
    t[c] |= k_value;
  t['-'] |= k_domain | k_keyword;
  t['.'] |= k_domain;
  return t;
}

inline constexpr std::array<unsigned char, 256> table = make_table();

inline bool has(char c, unsigned char k) noexcept {
  return (table[static_cast<unsigned char>(c)] & k) != 0;
}

}  // namespace detail

inline bool is_alpha(char c) noexcept {
  return detail::has(c, detail::k_alpha);
}
inline bool is_digit(char c) noexcept {
  return detail::has(c, detail::k_digit);
}
inline bool is_alnum(char c) noexcept {
  return detail::has(c, detail::k_alpha | detail::k_digit);
}
// RFC 5322 atext, plus octets >= 0x80 (RFC 6531 §3.3 UTF8-non-ascii).
inline bool is_atext(char c) noexcept {
  return detail::has(c, detail::k_atext);
}
inline bool is_keyword_char(char c) noexcept {
  return detail::has(c, detail::k_keyword);
}
inline bool is_value_char(char c) noexcept {
  return detail::has(c, detail::k_value);
}
inline bool is_high(char c) noexcept {
  return static_cast<unsigned char>(c) >= 0x80;
}
inline char to_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}
// ASCII case-insensitive comparison; `upper` must be upper case.
inline bool iequals(std::string_view s, std::string_view upper) noexcept {
  if (s.size() != upper.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (to_upper(s[i]) != upper[i]) return false;
  }
  return true;
}

// Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str] (RFC 5321 §4.1.2).
// Octets >= 0x80 are accepted as U-label content (RFC 6531 §3.3) and set has_utf8.
std::size_t check_domain(std::string_view s, bool& has_utf8) noexcept;
// address-literal = "[" ( IPv4 / "IPv6:" IPv6 / tag ":" 1*dcontent ) "]" (RFC 5321 §4.1.3).
// Returns 0 (the "[") when the literal is not valid.
std::size_t check_address_literal(std::string_view s) noexcept;
bool is_ipv4(std::string_view s) noexcept;
bool is_ipv6(std::string_view s) noexcept;

// Scans a Local-part (Dot-string or Quoted-string, RFC 5321 §4.1.2) starting at s[pos].
// Returns the index one past it, or npos with `bad` set to the offending index.
std::size_t scan_local_part(std::string_view s, std::size_t pos, bool& has_utf8,
                            std::size_t& bad) noexcept;
// Scans a Domain from s[pos] up to the first octet that cannot belong to one (one pass; same
// rules as check_domain). Returns the end, or npos with `bad` set to the offending index.
std::size_t scan_domain(std::string_view s, std::size_t pos, bool& has_utf8,
                        std::size_t& bad) noexcept;
// Index one past the run of domain octets (letters, digits, "-", ".", >= 0x80) from pos.
std::size_t scan_domain_chars(std::string_view s, std::size_t pos) noexcept;

// esmtp-keyword / ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-") (RFC 5321 §4.1.2).
std::size_t check_keyword(std::string_view s) noexcept;
// esmtp-value = 1*(%d33-60 / %d62-126), plus UTF-8 (RFC 6531 §3.3).
std::size_t check_esmtp_value(std::string_view s) noexcept;
// base64 (RFC 4648 §4) as used by RFC 4954: alphabet, "=" padding only at the end.
std::size_t check_base64(std::string_view s) noexcept;

}  // namespace mailtls::codec::smtp::syntax
