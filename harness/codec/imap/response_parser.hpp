// Incremental parser for what an IMAP server sends (RFC 9051 §7, §9 response syntax):
// continuation requests, tagged and untagged status responses with optional response codes, and
// untagged data, with literals inside data (BODY[] {5120} CRLF <5120 octets>).
//
// The harness reads possibly hostile servers, so everything is bounded by imap_limits (line,
// literal, whole response, nesting, tokens); an announced literal size above the limit is refused
// before its data arrives. A bare LF ends a line (visible: flags().bare_lf) when
// imap_limits::allow_bare_lf is set; otherwise it is line_errc::bare_lf.
//
// Status responses and continuation requests carry free text, so a "{5}" at the end of their
// line is text, not a literal (RFC 9051 §7.1 resp-text).
//
// Errors and recovery: syntax errors are found once the whole response is in (it has been
// consumed; the next parse() reads the next response). Framing errors follow framer.hpp: a failed
// response ends with its failing line, except that announced literal data (and the rest of the
// response) is skipped, since a server does not wait before sending it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "codec/imap/errc.hpp"
#include "codec/imap/framer.hpp"
#include "codec/imap/limits.hpp"
#include "codec/imap/response.hpp"
#include "codec/parse_result.hpp"

namespace mailtls::codec::imap {

class lexer;

class response_parser {
 public:
  explicit response_parser(imap_limits limits = imap_limits::responses());

  parse_result parse(std::string_view bytes);

  // The last complete response (valid until the next parse()).
  const response& get() const { return response_; }
  const line_flags& flags() const { return framer_.flags(); }
  std::uint64_t stream_offset() const { return framer_.stream_offset(); }
  std::size_t buffered() const { return framer_.buffered(); }
  const imap_limits& limits() const { return framer_.limits(); }
  void reset();

 private:
  parse_result parse_response(std::size_t consumed);
  bool parse_untagged(lexer& lx);
  bool parse_resp_text(lexer& lx);
  bool parse_code(lexer& lx);

  message_framer framer_;
  response response_;
  std::vector<std::uint64_t> offsets_;
  imap_errc error_{};
  std::uint64_t error_offset_ = 0;
};

// Whether a response whose first line is `line` may contain literals (status responses and
// continuation requests may not: their text is free text).
bool response_may_have_literals(std::string_view line) noexcept;

}  // namespace mailtls::codec::imap
