// Frames one IMAP command or response: a line, and while a line ends with a literal announcement
// "{n}" / "{n+}" / "~{n}" (RFC 9051 §4.3, §9 literal/literal8; RFC 7888), n octets of literal data
// and the line that follows them. The message is kept as received (line endings included) so that
// the lexer can map positions to stream offsets.
//
// Bounds: each line by imap_limits::max_line (through codec::line_reader), each literal by
// max_literal and the whole message by max_message; the announced size is checked when the
// announcement line ends, before any data, and data is appended as it arrives.
//
// Resynchronisation after an error (the rule the parsers document):
//  - a line framing error (bare LF/CR, NUL, over-long line): the message ends with that line;
//  - literal_too_large / message_too_large at a synchronizing literal of a command: the client
//    waits for "+" before sending the data, so the message ends with the announcing line;
//  - the same at a non-synchronizing literal, or in a response (servers never wait), and
//    nul_in_literal: the announced data is skipped (counted, not stored) and so is the rest of the
//    message: following lines and literals up to a line that announces no literal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/imap/limits.hpp"
#include "codec/line_reader.hpp"
#include "codec/parse_result.hpp"

namespace mailtls::codec::imap {

struct literal_announcement {
  bool present = false;
  bool non_sync = false;
  bool binary = false;
  bool too_large = false;  // digits overflow 64 bits
  std::uint64_t size = 0;
  std::size_t brace = 0;  // index of "{" in the line
};

// Finds a literal announcement at the end of a line (RFC 9051 §9: literal ends a line).
literal_announcement find_literal_announcement(std::string_view line) noexcept;

class message_framer {
 public:
  // `client_side`: the bytes come from a client (commands), whose synchronizing literals wait for
  // a continuation request.
  message_framer(const imap_limits& limits, bool client_side);

  parse_result parse(std::string_view bytes);

  // The last complete message, valid until the next parse().
  std::string_view message() const { return msg_; }
  std::uint64_t message_offset() const { return msg_offset_; }
  // True after a parse() that returned need_more right after a synchronizing literal's "{n}" line,
  // once per literal: the server should now send "+ ..." (RFC 9051 §4.3, §7.5).
  bool needs_continuation() const { return needs_continuation_; }
  const line_flags& flags() const { return flags_; }
  std::uint64_t stream_offset() const { return stream_offset_; }
  // Bytes held for the message in progress.
  std::size_t buffered() const { return msg_.size() + reader_.buffered(); }

  // No literals: every line is a whole message (AUTHENTICATE responses, DONE).
  void set_single_line(bool on) { single_line_ = on; }
  // Decides from a message's first line whether its lines may announce literals (responses:
  // status responses and continuation requests carry free text, RFC 9051 §7.1).
  void set_literal_filter(bool (*filter)(std::string_view first_line)) { filter_ = filter; }
  void set_limits(const imap_limits& limits);
  const imap_limits& limits() const { return limits_; }
  void reset();

 private:
  enum class state : std::uint8_t { line, literal, skip_literal };

  parse_result fail(std::size_t consumed, std::error_code ec, std::uint64_t at);
  // After an error at a line announcing `a`: what to skip before the next message.
  void begin_discard(const literal_announcement& a);
  void clear_message();

  imap_limits limits_;
  line_reader reader_;
  bool client_side_;
  bool single_line_ = false;
  bool (*filter_)(std::string_view) = nullptr;

  state state_ = state::line;
  std::string msg_;
  std::uint64_t msg_offset_ = 0;
  std::uint64_t stream_offset_ = 0;
  std::uint64_t outside_reader_ = 0;  // bytes consumed as literal data (the reader never saw them)
  std::uint64_t remaining_ = 0;       // literal octets still to read or skip
  bool literal_binary_ = false;
  bool literals_allowed_ = true;
  bool discarding_ = false;  // the rest of a failed message is being skipped
  bool sync_wait_ = false;   // a synchronizing literal was announced and nothing followed yet
  bool needs_continuation_ = false;
  bool finished_ = true;  // the previous call ended a message (complete or error)
  line_flags flags_;
};

}  // namespace mailtls::codec::imap
