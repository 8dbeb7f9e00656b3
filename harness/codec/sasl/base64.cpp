#include "codec/sasl/base64.hpp"

#include <array>
#include <cstdint>

namespace mailtls::codec::sasl::base64 {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::uint8_t pad_value = 0x40;      // '='
constexpr std::uint8_t invalid_value = 0x80;  // anything outside the alphabet
constexpr std::uint8_t special_mask = 0xC0;   // pad or invalid

// RFC 4648 §4, Table 1; every other octet (including '-' and '_' of the §5 alphabet) is invalid.
constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t)
    v = invalid_value;
  for (std::uint8_t i = 0; i < 64; ++i)
    t[static_cast<unsigned char>(alphabet[i])] = i;
  t[static_cast<unsigned char>('=')] = pad_value;
  return t;
}

constexpr std::array<std::uint8_t, 256> table = make_table();

inline std::uint8_t value_of(char c) {
  return table[static_cast<unsigned char>(c)];
}

decode_result failure(sasl_errc e, std::size_t at) {
  return {make_error_code(e), at, 0};
}

}  // namespace

void encode(std::string_view in, std::string& out) {
  const std::size_t old = out.size();
  out.resize(old + encoded_size(in.size()));
  char* o = out.data() + old;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  std::size_t n = in.size();
  for (; n >= 3; n -= 3, p += 3, o += 4) {
    const std::uint32_t v = (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
    o[0] = alphabet[v >> 18];
    o[1] = alphabet[(v >> 12) & 63];
    o[2] = alphabet[(v >> 6) & 63];
    o[3] = alphabet[v & 63];
  }
  if (n == 1) {
    o[0] = alphabet[p[0] >> 2];
    o[1] = alphabet[(p[0] & 3) << 4];
    o[2] = '=';
    o[3] = '=';
  } else if (n == 2) {
    const std::uint32_t v = (std::uint32_t{p[0]} << 8) | p[1];
    o[0] = alphabet[v >> 10];
    o[1] = alphabet[(v >> 4) & 63];
    o[2] = alphabet[(v << 2) & 63];
    o[3] = '=';
  }
}

std::string encode(std::string_view in) {
  std::string s;
  encode(in, s);
  return s;
}

decode_result decode(std::string_view in, std::string& out, std::size_t max_decoded) {
  const std::size_t old = out.size();
  const std::size_t n = in.size();
  // Never more than the input can give, never more than the bound: nothing announced is trusted.
  const std::size_t bound = n / 4 * 3 + 2 < max_decoded ? n / 4 * 3 + 2 : max_decoded;
  out.resize(old + bound);
  auto* o = reinterpret_cast<unsigned char*>(out.data() + old);
  std::size_t written = 0;

  // Fast path: whole quanta of four data characters, while three more bytes fit.
  std::size_t i = 0;
  for (; i + 4 <= n && written + 3 <= max_decoded; i += 4) {
    const std::uint8_t a = value_of(in[i]);
    const std::uint8_t b = value_of(in[i + 1]);
    const std::uint8_t c = value_of(in[i + 2]);
    const std::uint8_t d = value_of(in[i + 3]);
    if (((a | b | c | d) & special_mask) != 0) break;  // padding or an error: slow path
    const std::uint32_t v = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) |
                            (std::uint32_t{c} << 6) | std::uint32_t{d};
    o[written] = static_cast<unsigned char>(v >> 16);
    o[written + 1] = static_cast<unsigned char>(v >> 8);
    o[written + 2] = static_cast<unsigned char>(v);
    written += 3;
  }

  // Slow path, one character at a time from a quantum boundary: the final quantum, or the exact
  // position of an error or of the size bound.
  std::uint32_t acc = 0;      // bits not yet emitted
  unsigned acc_bits = 0;      // how many
  std::size_t first_pad = n;  // offset of the first '=' of the current run, n if none
  std::uint8_t last_data = 0;
  decode_result err{};
  for (; i < n; ++i) {
    const std::uint8_t v = value_of(in[i]);
    if (v == invalid_value) {
      err = failure(sasl_errc::invalid_base64_char, i);
      break;
    }
    const std::size_t quantum_pos = i % 4;  // i started at a multiple of 4
    if (v == pad_value) {
      // RFC 4648 §4: "=" only completes a quantum that has at least two data characters.
      if (quantum_pos < 2) {
        err = failure(sasl_errc::excess_padding, i);
        break;
      }
      if (first_pad == n) {
        // RFC 4648 §3.5: the bits the padding drops must be zero (canonical encoding).
        const std::uint8_t dropped = quantum_pos == 2 ? 0x0F : 0x03;
        if ((last_data & dropped) != 0) {
          err = failure(sasl_errc::nonzero_pad_bits, i - 1);
          break;
        }
        first_pad = i;
      }
      continue;
    }
    if (first_pad != n) {  // RFC 4648 §3.3: padding only at the end of the data
      err = failure(sasl_errc::misplaced_padding, first_pad);
      break;
    }
    last_data = v;
    acc = (acc << 6) | v;
    acc_bits += 6;
    if (acc_bits >= 8) {
      acc_bits -= 8;
      if (written == max_decoded) {
        err = failure(sasl_errc::decoded_too_large, i);
        break;
      }
      o[written++] = static_cast<unsigned char>(acc >> acc_bits);
      acc &= (1u << acc_bits) - 1;
    }
  }
  if (!err.error && n % 4 != 0) err = failure(sasl_errc::bad_base64_length, n);
  if (err.error) {
    out.resize(old);
    return err;
  }
  out.resize(old + written);
  return {{}, 0, written};
}

}  // namespace mailtls::codec::sasl::base64
