#include "codec/smtp/syntax.hpp"

#include <array>
#include <cstring>

namespace mailtls::codec::smtp::syntax {

using detail::has;
using detail::k_domain;
using detail::k_hex;

std::size_t check_domain(std::string_view s, bool& has_utf8) noexcept {
  if (s.empty()) return 0;
  std::size_t label = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.') {
      if (i == label) return i;           // empty label
      if (s[i - 1] == '-') return i - 1;  // Ldh-str ends in Let-dig
      label = i + 1;
    } else if (c == '-') {
      if (i == label) return i;  // sub-domain starts with Let-dig
    } else if (is_high(c)) {
      has_utf8 = true;
    } else if (!is_alnum(c)) {
      return i;
    }
  }
  if (label == s.size()) return s.size() - 1;  // trailing "."
  if (s.back() == '-') return s.size() - 1;
  return npos;
}

bool is_ipv4(std::string_view s) noexcept {
  // IPv4-address-literal = Snum 3("." Snum); Snum = 1*3DIGIT, 0-255 (RFC 5321 §4.1.3).
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    unsigned value = 0;
    std::size_t digits = 0;
    while (i < s.size() && is_digit(s[i]) && digits < 4) {
      value = value * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || digits > 3 || value > 255) return false;
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
}

bool is_ipv6(std::string_view s) noexcept {
  // IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp (RFC 5321 §4.1.3): 8 groups, or at most 6
  // around one "::"; a trailing IPv4 counts as two groups.
  std::size_t i = 0;
  int groups = 0;
  bool compressed = false;
  if (s.starts_with("::")) {
    compressed = true;
    i = 2;
  } else if (s.starts_with(":")) {
    return false;
  }
  while (i < s.size()) {
    std::size_t j = s.find(':', i);
    if (j == npos) j = s.size();
    const std::string_view piece = s.substr(i, j - i);
    if (piece.find('.') != npos) {
      if (j != s.size() || !is_ipv4(piece)) return false;
      groups += 2;
      break;
    }
    if (piece.empty() || piece.size() > 4) return false;
    for (char c : piece) {
      if (!has(c, k_hex)) return false;
    }
    ++groups;
    if (groups > 8) return false;
    if (j == s.size()) break;
    if (j + 1 < s.size() && s[j + 1] == ':') {
      if (compressed) return false;
      compressed = true;
      i = j + 2;
    } else {
      i = j + 1;
      if (i == s.size()) return false;  // trailing single ":"
    }
  }
  return compressed ? groups <= 6 : groups == 8;
}

std::size_t check_address_literal(std::string_view s) noexcept {
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return 0;
  const std::string_view in = s.substr(1, s.size() - 2);
  if (is_digit(in.front())) return is_ipv4(in) ? npos : 0;
  if (in.size() > 5 && iequals(in.substr(0, 5), "IPV6:")) return is_ipv6(in.substr(5)) ? npos : 0;
  // General-address-literal = Standardized-tag ":" 1*dcontent; dcontent = %d33-90 / %d94-126.
  const std::size_t colon = in.find(':');
  if (colon == npos || colon == 0 || colon + 1 == in.size()) return 0;
  const std::string_view tag = in.substr(0, colon);
  if (!is_alnum(tag.front()) || !is_alnum(tag.back())) return 0;
  for (char c : tag) {
    if (!is_alnum(c) && c != '-') return 0;
  }
  for (char c : in.substr(colon + 1)) {
    const auto u = static_cast<unsigned char>(c);
    if (!((u >= 33 && u <= 90) || (u >= 94 && u <= 126))) return 0;
  }
  return npos;
}

std::size_t scan_local_part(std::string_view s, std::size_t pos, bool& has_utf8,
                            std::size_t& bad) noexcept {
  if (pos >= s.size()) {
    bad = pos;
    return npos;
  }
  if (s[pos] == '"') {
    // Quoted-string = DQUOTE *QcontentSMTP DQUOTE; qtextSMTP = %d32-33 / %d35-91 / %d93-126;
    // quoted-pairSMTP = "\" %d32-126.
    for (std::size_t i = pos + 1; i < s.size(); ++i) {
      const auto u = static_cast<unsigned char>(s[i]);
      if (u == '"') return i + 1;
      if (u == '\\') {
        if (i + 1 >= s.size() || s[i + 1] < 32 || s[i + 1] > 126) {
          bad = i + 1;
          return npos;
        }
        ++i;
      } else if (u >= 0x80) {
        has_utf8 = true;
      } else if (u < 32 || u > 126) {
        bad = i;
        return npos;
      }
    }
    bad = s.size();
    return npos;
  }
  // Dot-string = Atom *("." Atom).
  std::size_t i = pos;
  bool need_atext = true;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.') {
      if (need_atext) {
        bad = i;
        return npos;
      }
      need_atext = true;
    } else if (is_atext(c)) {
      if (is_high(c)) has_utf8 = true;
      need_atext = false;
    } else {
      break;
    }
  }
  if (need_atext) {
    bad = (i > pos && s[i - 1] == '.') ? i - 1 : i;
    return npos;
  }
  return i;
}

std::size_t scan_domain_chars(std::string_view s, std::size_t pos) noexcept {
  while (pos < s.size() && has(s[pos], k_domain))
    ++pos;
  return pos;
}

std::size_t check_keyword(std::string_view s) noexcept {
  if (s.empty()) return 0;
  if (!is_alnum(s[0])) return 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (!is_alnum(s[i]) && s[i] != '-') return i;
  }
  return npos;
}

std::size_t check_esmtp_value(std::string_view s) noexcept {
  if (s.empty()) return 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x80) continue;
    if (u < 33 || u > 126 || u == '=') return i;
  }
  return npos;
}

std::size_t check_base64(std::string_view s) noexcept {
  if (s.empty()) return 0;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (!(is_alnum(c) || c == '+' || c == '/')) break;
  }
  const std::size_t data = i;
  while (i < s.size() && s[i] == '=' && i - data < 2)
    ++i;
  if (i != s.size()) return i;
  if (i % 4 != 0) return s.size();  // truncated quantum
  return npos;
}

}  // namespace mailtls::codec::smtp::syntax

namespace mailtls::codec::smtp::syntax {

std::size_t scan_domain(std::string_view s, std::size_t pos, bool& has_utf8,
                        std::size_t& bad) noexcept {
  std::size_t i = pos;
  std::size_t label = pos;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.') {
      if (i == label || s[i - 1] == '-') {  // empty label; Ldh-str ends in Let-dig
        bad = i == label ? i : i - 1;
        return npos;
      }
      label = i + 1;
    } else if (c == '-') {
      if (i == label) {
        bad = i;
        return npos;
      }
    } else if (is_high(c)) {
      has_utf8 = true;
    } else if (!is_alnum(c)) {
      break;
    }
  }
  if (i == pos) {
    bad = pos;
    return npos;
  }
  if (label == i || s[i - 1] == '-') {  // trailing "." or "-"
    bad = i - 1;
    return npos;
  }
  return i;
}

}  // namespace mailtls::codec::smtp::syntax
