// Reads whole server replies out of the bytes a connection delivers, with the protocol's codec
// (SMTP reply, POP3 response, IMAP response), within the run's limits. Std only, no I/O.
//
// One reader per byte stream: after a TLS handshake the interpreter calls reset_stream(), so
// offsets in "malformed reply at byte N" count from the start of the current stream (the TCP
// connection, then the TLS layer). Any codec error ends the reply for good: the interpreter fails
// the scenario, it never resynchronises.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/imap/response_parser.hpp"
#include "codec/pop3/response_parser.hpp"
#include "codec/smtp/reply_parser.hpp"
#include "runner/interpreter.hpp"
#include "runner/result.hpp"
#include "runner/service.hpp"

namespace mailtls::runner {

struct read_step {
  enum class status : std::uint8_t { complete, need_more, failed };
  status st = status::need_more;
  std::size_t consumed = 0;             // bytes of the input used (complete: up to the reply's end)
  limit_kind limit = limit_kind::none;  // failed: the limit hit, if any
  std::string reason;                   // failed: one sentence
};

class reply_reader {
 public:
  reply_reader(protocol p, const run_limits& limits);

  // Starts a new reply: its byte count and raw bytes restart. `pop3` says what the next POP3
  // response may be (RFC 1939 §3: only the client knows whether a response is multi-line).
  void begin(codec::pop3::response_kind pop3 = codec::pop3::response_kind::single_line);
  // The next IMAP response of the same reply (untagged responses before a tagged completion): the
  // raw bytes restart, the byte count goes on (run_limits::max_reply_bytes bounds them together).
  void next();
  // Feeds bytes: complete (one message, `consumed` bytes), need_more (all consumed) or failed.
  read_step read(std::string_view bytes);
  // A new byte stream (after a TLS handshake): parser state and offsets restart.
  void reset_stream();

  // The bytes of the message being read or just completed, as received.
  std::string_view raw() const { return raw_; }
  // Bytes of the reply so far (all IMAP responses since begin()).
  std::uint64_t reply_bytes() const { return reply_bytes_; }

  // The message just completed, for the reader's protocol.
  const codec::smtp::reply& smtp() const { return smtp_.get(); }
  const codec::pop3::response& pop3() const { return pop3_.message(); }
  const codec::imap::response& imap() const { return imap_.get(); }

 private:
  read_step fail(std::size_t consumed, const std::error_code& ec, std::uint64_t offset) const;

  protocol proto_;
  run_limits limits_;
  codec::smtp::reply_parser smtp_;
  codec::pop3::response_parser pop3_;
  codec::imap::response_parser imap_;
  std::string raw_;
  std::uint64_t reply_bytes_ = 0;
};

}  // namespace mailtls::runner
