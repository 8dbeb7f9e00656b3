// Fuzz target: SASL PLAIN messages (harness/codec/sasl/plain) on raw bytes and through base64.
// Invariants: an error points inside the message (or at its end); a parsed message builds back to
// exactly the same bytes and re-parses equal; a message accepted under a tight field limit is
// accepted, equal, under the default one; base64 text that decodes to a valid message re-encodes to
// the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/sasl/base64.hpp"
#include "codec/sasl/plain.hpp"

namespace sasl = mailtls::codec::sasl;

namespace {

void check_message(std::string_view msg) {
  const sasl::plain_result p = sasl::parse_plain(msg);
  if (!p.ok()) {
    if (p.offset > msg.size()) std::abort();
    return;
  }
  std::string built;
  const sasl::plain_result b = sasl::build_plain(p.message, built);
  if (!b.ok() || built != msg) std::abort();
  const sasl::plain_result again = sasl::parse_plain(built);
  if (!again.ok() || !(again.message == p.message)) std::abort();

  const sasl::plain_result tight = sasl::parse_plain(msg, {.max_field = 4});
  if (tight.ok() && !(tight.message == p.message)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  // The raw bytes as a decoded message.
  check_message(in);
  {
    const sasl::plain_result tight = sasl::parse_plain(in, {.max_field = 4});
    if (tight.ok() && !sasl::parse_plain(in).ok()) std::abort();
  }

  // The bytes as the base64 line a client sends.
  std::string decoded;
  if (sasl::base64::decode(in, decoded).ok()) {
    check_message(decoded);
    const sasl::plain_result p = sasl::parse_plain(decoded);
    if (p.ok()) {
      std::string built;
      if (!sasl::build_plain(p.message, built).ok()) std::abort();
      if (sasl::base64::encode(built) != in) std::abort();
    }
  }
  return 0;
}
