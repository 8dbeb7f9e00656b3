// Incremental parser for what an IMAP client sends (RFC 9051 §6, §9 command syntax):
//   tag SP command [SP arguments] CRLF, with literals ("{n}" synchronizing, "{n+}" RFC 7888,
//   "~{n}" RFC 3516) spanning lines; and, in the other modes, the client's continuation lines:
//   AUTHENTICATE responses (base64 or "*", RFC 9051 §6.2.2) and IDLE's "DONE" (RFC 2177 §3).
//
// Command names are case-insensitive. A command name that is not known is parsed generically:
// command().kind == command_kind::unknown (no error); the server answers BAD.
//
// Continuation requests: when parse() returns need_more right after the line announcing a
// synchronizing literal, needs_continuation() is true (once per literal): send "+ Ready".
//
// Errors and recovery (see framer.hpp for framing): a token or argument error is found once the
// whole command (all its lines and literals) is in, so the command has been consumed and the next
// parse() reads the next command (reply "tag BAD ..." and go on). Framing errors follow the
// framer's rule: the failed command ends with the failing line, except that the data of a
// non-synchronizing literal (and everything after it up to the command's last line) is skipped.
// Line errors pass through as line_errc.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "codec/imap/command.hpp"
#include "codec/imap/errc.hpp"
#include "codec/imap/framer.hpp"
#include "codec/imap/limits.hpp"
#include "codec/parse_result.hpp"

namespace mailtls::codec::imap {

enum class client_mode : std::uint8_t {
  command,                // tagged commands
  authenticate_response,  // one base64 line or "*" (after "+ challenge")
  idle,                   // "DONE" (after "+ idling")
};

class command_parser {
 public:
  explicit command_parser(imap_limits limits = imap_limits::commands());

  parse_result parse(std::string_view bytes);

  // The mode applies to the next message; it stays until changed (the server changes it when it
  // sends "+" for AUTHENTICATE or IDLE, and back when the exchange ends).
  void set_mode(client_mode m);
  client_mode mode() const { return mode_; }

  // After complete: which one is valid depends on the mode the message was parsed in.
  const command& get() const { return command_; }
  const client_continuation& continuation() const { return continuation_; }
  // Stream offsets of get().args[i] (for the caller's own checks).
  const std::vector<std::uint64_t>& arg_offsets() const { return arg_offsets_; }

  bool needs_continuation() const { return framer_.needs_continuation(); }
  // Line leniencies used by the last message (bare LF etc., when the limits allow them).
  const line_flags& flags() const { return framer_.flags(); }
  std::uint64_t stream_offset() const { return framer_.stream_offset(); }
  std::size_t buffered() const { return framer_.buffered(); }
  const imap_limits& limits() const { return framer_.limits(); }
  void reset();

 private:
  parse_result parse_command(std::size_t consumed);
  parse_result parse_continuation(std::size_t consumed);

  message_framer framer_;
  client_mode mode_ = client_mode::command;
  command command_;
  client_continuation continuation_;
  std::vector<std::uint64_t> arg_offsets_;
};

}  // namespace mailtls::codec::imap
