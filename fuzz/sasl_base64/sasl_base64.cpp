// Fuzz target: strict base64 (harness/codec/sasl/base64).
// Invariants: a successful decode re-encodes to exactly the input (only canonical encodings are
// accepted); an error points inside the input (or at its end) and leaves the output untouched;
// encode(anything) decodes back to it; a size bound either does not matter (decoded size within
// it) or fails with decoded_too_large no later than the unbounded decode's own error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/sasl/base64.hpp"

namespace b64 = mailtls::codec::sasl::base64;
using mailtls::codec::sasl::sasl_errc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  std::string out = "#";
  const auto r = b64::decode(in, out, 1 << 20);
  if (r.ok()) {
    if (out.size() != r.size + 1 || out[0] != '#') std::abort();
    if (b64::encode(std::string_view(out).substr(1)) != in) std::abort();
  } else {
    if (r.offset > size || out != "#") std::abort();
    if (r.error.category() != std::error_code(sasl_errc::bad_base64).category()) std::abort();
  }

  // A bound: same result when it is large enough, decoded_too_large (never later) otherwise.
  const std::size_t limit = size % 13;
  std::string bounded;
  const auto b = b64::decode(in, bounded, limit);
  if (r.ok() && r.size <= limit) {
    if (!b.ok() || bounded != std::string_view(out).substr(1)) std::abort();
  } else if (r.ok()) {
    if (b.error != sasl_errc::decoded_too_large) std::abort();
  } else if (b.ok()) {
    std::abort();
  } else if (b.error != r.error || b.offset != r.offset) {
    if (b.error != sasl_errc::decoded_too_large || b.offset > r.offset) std::abort();
  }
  if (bounded.size() > limit) std::abort();

  // encode -> decode identity on arbitrary bytes.
  const std::string enc = b64::encode(in);
  if (enc.size() != b64::encoded_size(size)) std::abort();
  std::string back;
  const auto d = b64::decode(enc, back, size);
  if (!d.ok() || back != in) std::abort();
  return 0;
}
