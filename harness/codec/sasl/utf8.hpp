// UTF-8 validation for SASL credential fields (RFC 4616 §2: "UTF-8 encoded Unicode characters").
#pragma once

#include <cstddef>
#include <string_view>

namespace mailtls::codec::sasl {

// Offset of the first byte of the first ill-formed sequence in `s`, or s.size() if `s` is valid
// UTF-8 (RFC 3629 §4: no overlong forms, no surrogates D800-DFFF, nothing above U+10FFFF, no
// truncated sequence). NUL is valid UTF-8; callers that forbid it check separately.
std::size_t find_invalid_utf8(std::string_view s) noexcept;

}  // namespace mailtls::codec::sasl
