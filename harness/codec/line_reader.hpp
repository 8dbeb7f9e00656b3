// CRLF line framing shared by the SMTP, POP3 and IMAP codecs.
//
// RFC 5321 §2.3.8 and RFC 3501 §2.2: lines end in CRLF. A bare LF (no CR before it) also ends a
// line so that a peer that sends one cannot stall the reader, but it is reported, never silently
// treated as CRLF: the line's `ending` says lf, and unless line_limits::allow_bare_lf is set the
// reader returns line_errc::bare_lf. A CR not followed by LF inside a line, and a NUL byte, are
// reported the same way (bare_cr, nul_byte). These are the ambiguities behind SMTP smuggling
// (CVE-2023-51764) and STARTTLS command injection, so every caller sees them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "codec/error_category.hpp"
#include "codec/parse_result.hpp"

namespace mailtls::codec {

enum class line_errc {
  line_too_long = 1,  // more than line_limits::max_length octets before the line end
  bare_lf,            // line ended by LF without CR
  bare_cr,            // CR not followed by LF inside a line
  nul_byte,           // NUL octet inside a line
};

template <>
struct errc_traits<line_errc> {
  static constexpr const char* name = "mailtls.line";
  static const char* message(line_errc e) noexcept;
};

std::error_code make_error_code(line_errc e) noexcept;

struct line_limits {
  // Longest line accepted, counting the line ending (RFC 5321 §4.5.3.1.4 counts the CRLF:
  // 512 for a command line, 1000 for a text line).
  std::size_t max_length = 1000;
  // Leniency, each off by default: when set, the line is returned with its flag instead of an
  // error.
  bool allow_bare_lf = false;
  bool allow_bare_cr = false;
  bool allow_nul = false;
};

enum class line_ending : std::uint8_t { crlf, lf };

// A complete line, without its ending. `text` stays valid until the next parse() call and, when the
// whole line was inside the bytes given to that call, only as long as those bytes.
struct line_view {
  std::string_view text;
  line_ending ending = line_ending::crlf;
  bool bare_cr = false;      // a CR not followed by LF occurs inside text
  bool nul = false;          // a NUL occurs inside text
  std::uint64_t offset = 0;  // stream offset of the line's first byte
};

class line_reader {
 public:
  explicit line_reader(line_limits limits = {}) : limits_(limits) {}

  // See parse_result.hpp. On complete, line() is the line. Errors:
  //  - bare_lf / bare_cr / nul_byte: the whole line was consumed; line() still describes it; the
  //    next parse() reads the next line.
  //  - line_too_long: everything given was consumed; the reader then discards input up to and
  //    including the next LF before it reads the next line (so a server can reply 500 and go on).
  parse_result parse(std::string_view bytes);

  const line_view& line() const { return line_; }
  const line_limits& limits() const { return limits_; }
  void set_limits(const line_limits& l) { limits_ = l; }

  // Bytes buffered for a line not yet complete (0 after a complete line).
  std::size_t buffered() const { return buf_holds_line_ ? 0 : buf_.size(); }
  // Total bytes consumed since construction or reset().
  std::uint64_t stream_offset() const { return stream_offset_; }
  // True while the rest of an over-long line is being skipped.
  bool discarding() const { return discarding_; }

  void reset();

 private:
  parse_result finish_line(std::string_view raw, std::size_t first_cr, std::size_t first_nul,
                           std::size_t consumed, std::uint64_t start);

  line_limits limits_;
  std::string buf_;
  line_view line_;
  std::uint64_t stream_offset_ = 0;
  bool discarding_ = false;
  bool buf_holds_line_ = false;  // buf_ holds the line last returned, not a partial one
};

}  // namespace mailtls::codec

template <>
struct std::is_error_code_enum<mailtls::codec::line_errc> : std::true_type {};
