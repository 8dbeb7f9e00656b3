// Strict base64 (RFC 4648 §4) as SASL uses it: RFC 4422 §3 leaves the encoding to the protocol
// profile, and SMTP (RFC 4954 §4), IMAP (RFC 3501 §6.2.2) and POP3 (RFC 5034 §4) all say
// "BASE64" with no line breaks and no characters outside the alphabet.
//
// decode() accepts exactly the canonical encodings: the input is a sequence of 4-character quanta
// from the alphabet A-Z a-z 0-9 + /, the last quantum may end in "=" or "==", and the bits the
// padding drops are zero (RFC 4648 §3.5), so decode -> encode gives the input back byte for byte.
// The empty string is valid and decodes to nothing.
//
// Errors are reported at the lowest offending offset (scanning left to right), one code per kind:
//   invalid_base64_char  @ the byte          (whitespace, CR, LF, '-', '_', NUL, >= 0x80, ...)
//   misplaced_padding    @ the first '=' of a run that a data character follows ("Zg=a",
//   "Zg==Zg==") excess_padding       @ the '=' that makes a quantum carry more than two ("Z===",
//   "Zm9v=") nonzero_pad_bits     @ the last data character before the padding ("Zh==", "Zm9=")
//   decoded_too_large    @ the data character that would produce output byte number max_decoded+1
//   bad_base64_length    @ the input size (the input ends inside a quantum: "Zg", "Zg=")
// On error `out` is left as it was.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include "codec/sasl/errc.hpp"

namespace mailtls::codec::sasl::base64 {

// RFC 4954 §4 bounds an AUTH line at 12288 octets, so no SMTP SASL blob decodes to more than 9216;
// the default bound leaves room and stays small. Callers decoding bigger data pass their own.
inline constexpr std::size_t default_max_decoded = 12288;

struct decode_result {
  std::error_code error{};
  std::size_t offset = 0;  // offset of the offending input byte (when error)
  std::size_t size = 0;    // bytes appended to `out` (when ok)

  bool ok() const { return !error; }
  explicit operator bool() const { return ok(); }
};

// Size of the encoding of n bytes.
constexpr std::size_t encoded_size(std::size_t n) {
  return (n + 2) / 3 * 4;
}

// Appends the canonical, padded base64 encoding of `in` to `out`.
void encode(std::string_view in, std::string& out);
std::string encode(std::string_view in);

// Appends the decoding of `in` to `out`. Never allocates more than max_decoded bytes in `out`.
decode_result decode(std::string_view in, std::string& out,
                     std::size_t max_decoded = default_max_decoded);

}  // namespace mailtls::codec::sasl::base64
