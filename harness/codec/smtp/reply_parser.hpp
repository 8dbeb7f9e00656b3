// Incremental parser of SMTP server replies (RFC 5321 §4.2).
//
//   Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF
//   Reply-code = %x32-35 %x30-35 %x30-39
//
// The ABNF is enforced as written: first digit 2-5 and second digit 0-5 (RFC 5321 §4.2; the
// 1yz class of §4.2.1 is not used by SMTP and the second digits 6-9 are undefined in §4.2.1), so
// "100" and "260" are bad_reply_code. A bare "ddd" final line (no SP, no text) is accepted.
//
// parse() follows parse_result.hpp; complete ends after the final line, the rest is not consumed.
// A hostile server is bounded by limits::max_reply_line (default 2048, not the advisory 512 of
// §4.5.3.1.5) and limits::max_reply_lines (default 128).
//
// Errors: smtp_errc::bad_reply_code / bad_reply_separator / reply_code_mismatch /
// too_many_reply_lines, or a line_errc. The offending line is consumed (an over-long line is
// discarded up to its LF), the partial reply is dropped and the next parse() starts a new reply;
// a client normally gives up on the connection.
//
// Bare LF, bare CR and NUL are errors by default; with limits::allow_bare_lf / allow_bare_cr /
// allow_nul the lines are accepted and the reply's bare_lf / bare_cr / nul flags say so (a
// harness probing a server must see them, not die on them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/line_reader.hpp"
#include "codec/parse_result.hpp"
#include "codec/smtp/errc.hpp"
#include "codec/smtp/limits.hpp"
#include "codec/smtp/reply.hpp"

namespace mailtls::codec::smtp {

class reply_parser {
 public:
  explicit reply_parser(limits lim = {});

  parse_result parse(std::string_view bytes);

  const reply& get() const { return reply_; }
  // Lines of the reply being read (0 right after a complete reply).
  std::size_t pending_lines() const { return done_ ? 0 : reply_.lines.size(); }
  const limits& get_limits() const { return limits_; }
  std::uint64_t stream_offset() const { return reader_.stream_offset(); }
  void reset();

 private:
  void start_reply();

  limits limits_;
  line_reader reader_;
  reply reply_;
  std::vector<std::string> spare_;  // recycled line strings: they keep their capacity
  bool done_ = false;
};

}  // namespace mailtls::codec::smtp
