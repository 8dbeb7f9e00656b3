// Incremental parser for POP3 command lines (server side), see parse_result.hpp.
//
// One call to parse() yields at most one command. Framing is line_reader's (CRLF; bare LF / bare
// CR / NUL are errors unless allowed in command_limits). Every error, framing or syntax, consumes
// the offending line (an over-long line is skipped up to its LF), so the parser always continues
// with the next line: a server answers -ERR and reads on (RFC 1939 §3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/line_reader.hpp"
#include "codec/parse_result.hpp"
#include "codec/pop3/command.hpp"

namespace mailtls::codec::pop3 {

struct command_limits {
  // RFC 2449 §4: a command line is at most 255 octets including CRLF (values below 5 act as 5).
  std::size_t max_line = 255;
  // RFC 5034 §4 lifts that limit for AUTH lines and SASL responses; ours, including CRLF. A line
  // whose first five octets are "AUTH " (any case) may be this long.
  std::size_t max_auth_line = 2048;
  // RFC 1939 §3: each argument is at most 40 characters (not the AUTH initial response).
  std::size_t max_argument = 40;
  // Leniency (off by default): accept the line and let line() show the defect.
  bool allow_bare_lf = false;
  bool allow_bare_cr = false;
  bool allow_nul = false;
};

class command_parser {
 public:
  explicit command_parser(command_limits limits = {});

  // See parse_result.hpp. On complete, message() is the command (kind sasl_response if the line
  // was read after expect_sasl_response()). Errors: line_errc from framing, pop3_errc for syntax;
  // offset points at the offending octet; the line is consumed; parsing goes on.
  parse_result parse(std::string_view bytes);

  const command& message() const { return command_; }
  // The raw line just parsed (also after a syntax error), e.g. to see a lower-case keyword or a
  // bare LF ending.
  const line_view& line() const { return reader_.line(); }

  // The next line is the client's answer to a SASL challenge (RFC 5034 §4): base64 or "*".
  // Applies to one line, then the parser reads commands again.
  void expect_sasl_response() { sasl_next_ = true; }
  bool expecting_sasl_response() const { return sasl_next_; }

  const command_limits& limits() const { return limits_; }
  std::uint64_t stream_offset() const { return reader_.stream_offset(); }
  void reset();

 private:
  void choose_line_limit(std::string_view bytes);
  parse_result parse_line(std::size_t consumed);
  parse_result parse_sasl(std::size_t consumed);

  command_limits limits_;
  line_reader reader_;
  command command_;
  std::string ir_spare_;  // recycled buffer of command_.initial_response
  char prefix_[5] = {};   // first octets of the line being read
  std::size_t prefix_len_ = 0;
  bool auth_prefix_ = true;  // prefix_ so far matches "AUTH " (case-insensitive)
  bool sasl_next_ = false;
};

}  // namespace mailtls::codec::pop3
