// Light per-command argument checks (RFC 9051 §6 and §9 command syntax), run by command_parser on
// every parsed command. Unknown commands are not checked.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "codec/imap/command.hpp"
#include "codec/imap/errc.hpp"

namespace mailtls::codec::imap {

struct command_error {
  imap_errc code{};
  std::uint64_t offset = 0;
};

// `arg_offsets[i]` is the stream offset of c.args[i]; `end_offset` that of the line ending (where
// a missing argument would have been). Returns false and fills `err` on the first defect.
bool validate_command(const command& c, const std::vector<std::uint64_t>& arg_offsets,
                      std::uint64_t end_offset, command_error& err);

// RFC 9051 §9 date-time: DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone
// DQUOTE, e.g. "17-Jul-1996 02:44:25 -0700" (the content, without the quotes).
bool is_valid_date_time(std::string_view s) noexcept;

}  // namespace mailtls::codec::imap
