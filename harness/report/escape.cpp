#include "report/escape.hpp"

namespace mailtls::report {
namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

void append_hex_byte(std::string& out, unsigned char b) {
  out += "\\x";
  out += hex_digits[b >> 4];
  out += hex_digits[b & 0x0F];
}

bool in(unsigned char b, unsigned lo, unsigned hi) {
  return b >= lo && b <= hi;
}

std::string xml_escape(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      append_hex_byte(out, b);
      ++i;
      continue;
    }
    if (n == 3 && b == 0xEF && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
        static_cast<unsigned char>(s[i + 2]) >= 0xBE) {
      // U+FFFE, U+FFFF: not XML 1.0 Chars (§2.2).
      out += static_cast<unsigned char>(s[i + 2]) == 0xBE ? "\\uFFFE" : "\\uFFFF";
      i += 3;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    switch (b) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += attribute ? "&#13;" : "\r";
        break;
      default:
        if (b < 0x20 || b == 0x7F) {
          append_hex_byte(out, b);
        } else {
          out += static_cast<char>(b);
        }
    }
    ++i;
  }
  return out;
}

}  // namespace

std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
  if (i >= s.size()) return 0;
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // range of the second byte (RFC 3629 §4 table)
  if (in(b0, 0xC2, 0xDF)) {
    n = 2;
  } else if (b0 == 0xE0) {
    n = 3, lo = 0xA0;
  } else if (in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) {
    n = 3;
  } else if (b0 == 0xED) {
    n = 3, hi = 0x9F;  // no UTF-16 surrogates
  } else if (b0 == 0xF0) {
    n = 4, lo = 0x90;
  } else if (in(b0, 0xF1, 0xF3)) {
    n = 4;
  } else if (b0 == 0xF4) {
    n = 4, hi = 0x8F;  // nothing beyond U+10FFFF
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  if (!in(static_cast<unsigned char>(s[i + 1]), lo, hi)) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (!in(static_cast<unsigned char>(s[i + k]), 0x80, 0xBF)) return 0;
  }
  return n;
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      append_hex_byte(out, static_cast<unsigned char>(s[i]));
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string terminal_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0 || (n == 1 && (b < 0x20 || b == 0x7F))) {
      append_hex_byte(out, b);
      ++i;
    } else if (n == 2 && b == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      out += "\\u00";
      const auto c = static_cast<unsigned char>(s[i + 1]);
      out += hex_digits[c >> 4];
      out += hex_digits[c & 0x0F];
      i += 2;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string xml_text(std::string_view s) {
  return xml_escape(s, false);
}

std::string xml_attr(std::string_view s) {
  return xml_escape(s, true);
}

}  // namespace mailtls::report
