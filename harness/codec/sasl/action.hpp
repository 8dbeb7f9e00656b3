// Pieces shared by the server and client session state machines: the failure action, the
// redaction switch of to_string(), and the quoting used in transcripts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include "codec/sasl/errc.hpp"

namespace mailtls::codec::sasl {

// The exchange is over and failed. `error` is the session-level reason (what the protocol layer
// maps to a reply: cancelled -> SMTP 501, bad_base64 -> 501, malformed_message -> 535, ...);
// `detail` and `offset` pinpoint it when there is more to say (bad_base64 with detail
// nonzero_pad_bits at offset 3 of the line).
struct fail {
  std::error_code error{};
  std::error_code detail{};
  std::size_t offset = 0;

  bool operator==(const fail&) const = default;
};

// to_string() hides secrets (passwords, PLAIN blobs) unless told otherwise: transcripts and logs
// must not leak credentials.
enum class redaction : unsigned char { on, off };

inline constexpr std::string_view redacted = "<redacted>";

// "fail <error>" or "fail <error> (<detail> @<offset>)".
std::string to_string(const fail& f);

// Appends `s` in double quotes; '"', '\\', and bytes below 0x20 or 0x7F as \xHH.
void append_quoted(std::string& out, std::string_view s);

// Overwrites a string's bytes before it is cleared (best effort: the optimiser cannot drop writes
// through a volatile pointer).
void wipe(std::string& s) noexcept;

}  // namespace mailtls::codec::sasl
