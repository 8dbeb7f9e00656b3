// Incremental parser of SMTP client commands, one CRLF line each (RFC 5321 §4.1.1, §4.1.2 and
// the extensions listed in command.hpp).
//
// parse() follows parse_result.hpp. On complete, get() is the command and line() the raw line.
// Bytes after the line are not consumed (RFC 3207 §4.2: what follows STARTTLS stays visible).
//
// Errors never stop the parser: the offending line is consumed (an over-long line is discarded up
// to its LF, see line_reader) and the next parse() reads the next line, so a server can reply
// 500/501 and go on. Error codes are smtp_errc (command syntax) or line_errc (framing); the
// offset is the absolute stream offset of the offending octet. After an error get() is
// unspecified.
#pragma once

#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

#include "codec/line_reader.hpp"
#include "codec/parse_result.hpp"
#include "codec/smtp/command.hpp"
#include "codec/smtp/errc.hpp"
#include "codec/smtp/limits.hpp"

namespace mailtls::codec::smtp {

class command_parser {
 public:
  explicit command_parser(limits lim = {});

  parse_result parse(std::string_view bytes);

  const command& get() const { return cmd_; }
  // The line of the last complete command or error (flags: bare LF ending, bare CR, NUL when the
  // corresponding leniency is on). Valid until the next parse().
  const line_view& line() const { return reader_.line(); }
  const limits& get_limits() const { return limits_; }
  std::uint64_t stream_offset() const { return reader_.stream_offset(); }
  void reset();

 private:
  // Parses one line's text; returns smtp_errc{} (0) or the error and sets `at` to its index.
  smtp_errc parse_line(std::string_view text, std::size_t& at);
  smtp_errc parse_path(std::string_view text, std::size_t& i, bool forward);
  smtp_errc parse_params(std::string_view text, std::size_t& i);
  smtp_errc parse_hello(std::string_view arg, std::size_t arg_at, std::size_t& at);
  smtp_errc parse_bdat(std::string_view arg, std::size_t arg_at, std::size_t& at);
  smtp_errc parse_auth(std::string_view arg, std::size_t arg_at, std::size_t& at);

  limits limits_;
  line_reader reader_;
  command cmd_;
  std::vector<esmtp_param> spare_;  // recycled params: their strings keep their capacity
};

}  // namespace mailtls::codec::smtp
