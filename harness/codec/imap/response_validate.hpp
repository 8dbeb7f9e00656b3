// Checks of untagged response data and response codes (RFC 9051 §7 and §9 response syntax), run by
// response_parser. Unknown keywords and codes are not checked.
#pragma once

#include <cstdint>
#include <vector>

#include "codec/imap/errc.hpp"
#include "codec/imap/response.hpp"

namespace mailtls::codec::imap {

struct response_error {
  imap_errc code{};
  std::uint64_t offset = 0;
};

// `offsets[i]` is the stream offset of r.args[i]; `keyword_offset` that of the keyword (or of the
// number before it).
bool validate_response_data(const response& r, const std::vector<std::uint64_t>& offsets,
                            std::uint64_t keyword_offset, response_error& err);

// True for codes whose arguments are tokenized and checked (CAPABILITY, PERMANENTFLAGS, UIDNEXT,
// ...); other codes keep their argument text only.
bool is_structured_code(std::string_view name) noexcept;

bool validate_response_code(const response_code& c, const std::vector<std::uint64_t>& offsets,
                            std::uint64_t code_offset, response_error& err);

}  // namespace mailtls::codec::imap
