// Bounds of the IMAP command and response parsers. Everything a parser buffers is bounded by these;
// an announced literal size is compared with them before any of its data is read, and the data is
// appended as it arrives (never reserved up front).
#pragma once

#include <cstddef>
#include <cstdint>

namespace mailtls::codec::imap {

struct imap_limits {
  // One line segment (text between literals), counting its CRLF. RFC 7162 §4: clients should keep
  // command lines to about 8192 octets and servers should accept at least that.
  std::size_t max_line = 8192;
  // One literal's announced size (RFC 9051 §4.3: number64; APPEND carries whole messages).
  std::uint64_t max_literal = 16u << 20;
  // A whole command or response: line segments plus literal data.
  std::uint64_t max_message = 20u << 20;
  // Parenthesised lists and [sections] nested deeper than this are refused.
  std::size_t max_depth = 32;
  // Tokens (tree nodes) in one command or response.
  std::size_t max_values = 200000;
  // Line leniency (see codec/line_reader.hpp): when set, the line is accepted and the parser's
  // line_flags() report what was seen.
  bool allow_bare_lf = false;
  bool allow_bare_cr = false;
  bool allow_nul = false;
  // Accept 8-bit bytes in quoted strings that are not well-formed UTF-8 (RFC 9051 §9 allows UTF-8
  // only; RFC 3501 allows neither).
  bool allow_invalid_utf8 = false;

  // Defaults for a server reading commands.
  static imap_limits commands() { return {}; }
  // Defaults for a client reading (possibly hostile) server responses: SEARCH/FETCH data lines
  // of real servers exceed 8 KiB, so lines may be longer.
  static imap_limits responses() {
    imap_limits l;
    l.max_line = 1u << 20;
    l.max_literal = 64u << 20;
    l.max_message = 80u << 20;
    return l;
  }
};

// Line irregularities accepted under the leniency options, over all lines of the last message.
struct line_flags {
  bool bare_lf = false;
  bool bare_cr = false;
  bool nul = false;
  bool operator==(const line_flags&) const = default;
};

}  // namespace mailtls::codec::imap
