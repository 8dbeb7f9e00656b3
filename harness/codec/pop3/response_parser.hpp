// Incremental parser for POP3 server responses (client side), see parse_result.hpp.
//
// The caller says, before each response, what may come (expect()): POP3 does not mark multi-line
// responses, the client knows from its command (RFC 1939 §3). After every complete response or
// status-line error the expectation falls back to single_line.
//
// Errors and how parsing goes on:
//  - in the status line (bad_status, lowercase_status, status_without_space,
//    unexpected_continuation, invalid_base64, line_errc::*): the line is consumed, the response is
//    over (no body is read), the next parse() reads a new status line;
//  - in a multi-line body, line_errc::* (bare LF, bare CR, NUL, over-long line): the line is
//    dropped (flags.dropped_lines) and the body goes on, except a "." ended by a bare LF, which
//    ends the body: the error is reported and the response is discarded;
//  - body_too_large / too_many_lines: reported once, then the rest of the body is skipped up to
//    its "." and the response completes with flags.truncated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "codec/line_reader.hpp"
#include "codec/parse_result.hpp"
#include "codec/pop3/response.hpp"

namespace mailtls::codec::pop3 {

enum class response_kind : std::uint8_t {
  single_line,  // +OK / -ERR, one line
  multi_line,   // +OK is followed by a body ending in "." (CAPA, LIST, UIDL, RETR, TOP, AUTH)
  sasl,         // during AUTH: "+ challenge", or the final +OK / -ERR
};

struct response_limits {
  // RFC 2449 §4: the first line of a response is at most 512 octets including CRLF.
  std::size_t max_status_line = 512;
  // RFC 5034 §4 lifts that limit for SASL challenges; ours, including CRLF.
  std::size_t max_sasl_line = 2048;
  // A body line, including CRLF: RFC 5322 §2.1.1 (998 + CRLF) plus one octet of dot-stuffing.
  std::size_t max_body_line = 1001;
  std::size_t max_body_size = std::size_t{16} << 20;  // unstuffed body octets kept
  std::size_t max_body_lines = std::size_t{1} << 20;
  // Leniency (off by default): accept and set the matching response_flags bit.
  bool allow_bare_lf = false;
  bool allow_bare_cr = false;
  bool allow_nul = false;
  bool allow_lowercase_status = false;  // "+ok" / "-err" (RFC 1939 §3 says upper case)
};

class response_parser {
 public:
  explicit response_parser(response_limits limits = {});

  // The next response is of this kind. Call before the first byte of the response.
  void expect(response_kind k) { expected_ = k; }
  response_kind expected() const { return expected_; }

  parse_result parse(std::string_view bytes);

  // The response just completed (valid until the next parse()).
  const response& message() const { return response_; }
  // True while inside a multi-line body.
  bool in_body() const { return state_ != state::status; }

  const response_limits& limits() const { return limits_; }
  std::uint64_t stream_offset() const { return reader_.stream_offset(); }
  void reset();

 private:
  enum class state : std::uint8_t { status, body, skip_body };

  parse_result parse_status_line(std::size_t consumed);
  // Handles one body line; returns true when the terminating "." was seen.
  bool body_line(const line_view& l, parse_result& error_out, std::size_t consumed);
  void note_line_flags(const line_view& l);
  void set_line_limit(std::size_t n);

  response_limits limits_;
  line_reader reader_;
  response response_;
  response_kind expected_ = response_kind::single_line;
  state state_ = state::status;
  std::size_t body_lines_ = 0;
};

}  // namespace mailtls::codec::pop3
