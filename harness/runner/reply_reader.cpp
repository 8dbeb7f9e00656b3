#include "runner/reply_reader.hpp"

#include "codec/imap/errc.hpp"
#include "codec/pop3/errc.hpp"
#include "codec/smtp/errc.hpp"

namespace mailtls::runner {
namespace {

// The codecs count a line's CRLF in their limits; run_limits::max_line_length does not.
std::size_t with_crlf(std::size_t n) {
  return n + 2;
}

codec::smtp::limits smtp_limits(const run_limits& l) {
  codec::smtp::limits s;
  s.max_reply_line = with_crlf(l.max_line_length);
  // Bounded by max_reply_bytes instead: every line takes at least 5 bytes ("250" CRLF).
  s.max_reply_lines = l.max_reply_bytes / 5 + 1;
  return s;
}

codec::pop3::response_limits pop3_limits(const run_limits& l) {
  codec::pop3::response_limits p;
  p.max_status_line = with_crlf(l.max_line_length);
  p.max_sasl_line = with_crlf(l.max_line_length);
  p.max_body_line = with_crlf(l.max_line_length) + 1;  // + a dot of dot-stuffing (RFC 1939 §3)
  p.max_body_size = l.max_reply_bytes;
  p.max_body_lines = l.max_reply_bytes / 2 + 1;
  return p;
}

codec::imap::imap_limits imap_limits(const run_limits& l) {
  auto i = codec::imap::imap_limits::responses();
  i.max_line = with_crlf(l.max_line_length);
  i.max_literal = l.max_reply_bytes;
  i.max_message = l.max_reply_bytes;
  return i;
}

bool is_size_error(const std::error_code& ec) {
  return ec == codec::smtp::smtp_errc::too_many_reply_lines ||
         ec == codec::pop3::pop3_errc::body_too_large ||
         ec == codec::pop3::pop3_errc::too_many_lines ||
         ec == codec::imap::imap_errc::literal_too_large ||
         ec == codec::imap::imap_errc::message_too_large;
}

}  // namespace

reply_reader::reply_reader(protocol p, const run_limits& limits)
    : proto_(p),
      limits_(limits),
      smtp_(smtp_limits(limits)),
      pop3_(pop3_limits(limits)),
      imap_(imap_limits(limits)) {}

void reply_reader::begin(codec::pop3::response_kind pop3) {
  raw_.clear();
  reply_bytes_ = 0;
  pop3_.expect(pop3);
}

void reply_reader::next() {
  raw_.clear();
}

void reply_reader::reset_stream() {
  smtp_.reset();
  pop3_.reset();
  imap_.reset();
  raw_.clear();
  reply_bytes_ = 0;
}

read_step reply_reader::fail(std::size_t consumed, const std::error_code& ec,
                             std::uint64_t offset) const {
  read_step s;
  s.st = read_step::status::failed;
  s.consumed = consumed;
  if (ec == codec::line_errc::line_too_long) {
    s.limit = limit_kind::line_length;
    s.reason = "a reply line is longer than " + std::to_string(limits_.max_line_length) + " bytes";
  } else if (is_size_error(ec)) {
    s.limit = limit_kind::reply_size;
    s.reason = "the reply is longer than " + std::to_string(limits_.max_reply_bytes) + " bytes";
  } else {
    s.reason = "malformed reply at byte " + std::to_string(offset) + ": " + ec.message();
  }
  return s;
}

read_step reply_reader::read(std::string_view bytes) {
  codec::parse_result r;
  switch (proto_) {
    case protocol::smtp:
      r = smtp_.parse(bytes);
      break;
    case protocol::pop3:
      r = pop3_.parse(bytes);
      break;
    case protocol::imap:
      r = imap_.parse(bytes);
      break;
  }
  const std::size_t used = std::min(r.consumed, bytes.size());
  // Keep at most one reply's worth of raw bytes (the limit below ends the reply anyway).
  const std::size_t room =
      raw_.size() < limits_.max_reply_bytes + 1 ? limits_.max_reply_bytes + 1 - raw_.size() : 0;
  raw_.append(bytes.substr(0, std::min(used, room)));
  reply_bytes_ += used;
  if (r.is_error()) return fail(used, r.error, r.offset);
  // Checked for complete replies too, so that the verdict does not depend on how the bytes were
  // split into reads.
  if (reply_bytes_ > limits_.max_reply_bytes) {
    read_step s;
    s.st = read_step::status::failed;
    s.consumed = used;
    s.limit = limit_kind::reply_size;
    s.reason = "the reply is longer than " + std::to_string(limits_.max_reply_bytes) + " bytes";
    return s;
  }
  read_step s;
  s.st = r.is_complete() ? read_step::status::complete : read_step::status::need_more;
  s.consumed = used;
  return s;
}

}  // namespace mailtls::runner
