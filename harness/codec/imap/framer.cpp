#include "codec/imap/framer.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "codec/imap/errc.hpp"

namespace mailtls::codec::imap {

namespace {

line_limits to_line_limits(const imap_limits& l) {
  return {.max_length = l.max_line,
          .allow_bare_lf = l.allow_bare_lf,
          .allow_bare_cr = l.allow_bare_cr,
          .allow_nul = l.allow_nul};
}

}  // namespace

literal_announcement find_literal_announcement(std::string_view line) noexcept {
  literal_announcement a;
  if (line.empty() || line.back() != '}') return a;
  std::size_t end = line.size() - 1;  // index of "}"
  bool plus = false;
  if (end > 0 && line[end - 1] == '+') {  // RFC 7888 §3: "{" number64 "+}"
    plus = true;
    --end;
  }
  std::size_t first = end;
  while (first > 0 && line[first - 1] >= '0' && line[first - 1] <= '9')
    --first;
  if (first == end || first == 0 || line[first - 1] != '{') return a;
  a.present = true;
  a.non_sync = plus;
  a.brace = first - 1;
  a.binary = a.brace > 0 && line[a.brace - 1] == '~';
  std::uint64_t n = 0;
  for (std::size_t i = first; i < end; ++i) {
    const auto d = static_cast<std::uint64_t>(line[i] - '0');
    if (n > (std::numeric_limits<std::uint64_t>::max() - d) / 10) {
      a.too_large = true;
      n = std::numeric_limits<std::uint64_t>::max();
      break;
    }
    n = n * 10 + d;
  }
  a.size = n;
  return a;
}

message_framer::message_framer(const imap_limits& limits, bool client_side)
    : limits_(limits), reader_(to_line_limits(limits)), client_side_(client_side) {}

void message_framer::set_limits(const imap_limits& limits) {
  limits_ = limits;
  reader_.set_limits(to_line_limits(limits));
}

void message_framer::reset() {
  reader_.reset();
  state_ = state::line;
  msg_.clear();
  msg_offset_ = 0;
  stream_offset_ = 0;
  outside_reader_ = 0;
  remaining_ = 0;
  discarding_ = false;
  sync_wait_ = false;
  needs_continuation_ = false;
  finished_ = true;
  flags_ = {};
}

void message_framer::clear_message() {
  msg_.clear();
  flags_ = {};
}

parse_result message_framer::fail(std::size_t consumed, std::error_code ec, std::uint64_t at) {
  finished_ = true;
  sync_wait_ = false;
  return parse_result::failed(consumed, ec, at);
}

void message_framer::begin_discard(const literal_announcement& a) {
  msg_.clear();
  state_ = state::line;
  discarding_ = false;
  if (!a.present) return;  // the failed line ended the message
  // RFC 9051 §4.3: a client sends a synchronizing literal's data only after "+"; it gets a BAD
  // instead, so nothing follows. RFC 7888 §4: non-synchronizing data comes anyway; skip it.
  if (client_side_ && !a.non_sync) return;
  discarding_ = true;
  remaining_ = a.size;
  if (remaining_ != 0) state_ = state::skip_literal;
}

parse_result message_framer::parse(std::string_view bytes) {
  needs_continuation_ = false;
  if (finished_) {
    clear_message();
    finished_ = false;
  }
  std::size_t pos = 0;
  for (;;) {
    if (state_ != state::line) {
      if (pos == bytes.size()) break;
      const auto take =
          static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size() - pos));
      const std::string_view chunk = bytes.substr(pos, take);
      if (state_ == state::literal) {
        // RFC 9051 §9: literal data is CHAR8 (%x01-ff); only literal8 may carry NUL.
        const void* nul = literal_binary_ ? nullptr : std::memchr(chunk.data(), 0, chunk.size());
        if (nul != nullptr) {
          const std::size_t i =
              static_cast<std::size_t>(static_cast<const char*>(nul) - chunk.data());
          const std::uint64_t at = stream_offset_ + i;
          pos += i + 1;
          stream_offset_ += i + 1;
          outside_reader_ += i + 1;
          remaining_ -= i + 1;
          msg_.clear();
          discarding_ = true;
          state_ = remaining_ != 0 ? state::skip_literal : state::line;
          return fail(pos, imap_errc::nul_in_literal, at);
        }
        msg_.append(chunk);  // appended as it arrives: never reserved up front
      }
      pos += take;
      stream_offset_ += take;
      outside_reader_ += take;
      remaining_ -= take;
      if (take != 0) sync_wait_ = false;
      if (remaining_ == 0) state_ = state::line;
      continue;
    }
    if (pos == bytes.size()) break;
    const parse_result r = reader_.parse(bytes.substr(pos));
    pos += r.consumed;
    stream_offset_ += r.consumed;
    if (r.consumed != 0) sync_wait_ = false;
    if (r.is_need_more()) break;
    if (r.is_error()) {
      if (discarding_) {  // the failed message ends with this line; nothing more to report
        discarding_ = false;
        continue;
      }
      msg_.clear();
      return fail(pos, r.error, r.offset + outside_reader_);
    }
    const line_view& line = reader_.line();
    const std::uint64_t line_at = line.offset + outside_reader_;
    if (msg_.empty() && !discarding_) {
      msg_offset_ = line_at;
      literals_allowed_ = !single_line_ && (filter_ == nullptr || filter_(line.text));
    }
    const literal_announcement ann =
        literals_allowed_ ? find_literal_announcement(line.text) : literal_announcement{};
    if (discarding_) {
      if (ann.present) {
        remaining_ = ann.size;
        if (remaining_ != 0) state_ = state::skip_literal;
      } else {
        discarding_ = false;  // the failed message is over
      }
      continue;
    }
    flags_.bare_lf = flags_.bare_lf || line.ending == line_ending::lf;
    flags_.bare_cr = flags_.bare_cr || line.bare_cr;
    flags_.nul = flags_.nul || line.nul;
    const std::size_t raw = line.text.size() + (line.ending == line_ending::crlf ? 2 : 1);
    if (msg_.size() + raw > limits_.max_message) {
      const std::uint64_t at = msg_offset_ + limits_.max_message;
      begin_discard(ann);
      return fail(pos, imap_errc::message_too_large, at);
    }
    msg_.append(line.text);
    msg_.append(line.ending == line_ending::crlf ? "\r\n" : "\n");
    if (!ann.present) {
      finished_ = true;
      return parse_result::complete(pos);
    }
    const std::uint64_t brace_at = line_at + ann.brace;
    // RFC 7888 §4 / RFC 9051 §4.3: refuse an over-large literal from its announcement alone.
    if (ann.too_large || ann.size > limits_.max_literal) {
      begin_discard(ann);
      return fail(pos, imap_errc::literal_too_large, brace_at);
    }
    if (ann.size > limits_.max_message - msg_.size()) {
      begin_discard(ann);
      return fail(pos, imap_errc::message_too_large, brace_at);
    }
    remaining_ = ann.size;
    literal_binary_ = ann.binary;
    state_ = remaining_ != 0 ? state::literal : state::line;
    if (client_side_ && !ann.non_sync) sync_wait_ = true;
  }
  if (sync_wait_) {
    needs_continuation_ = true;
    sync_wait_ = false;
  }
  return parse_result::need_more(bytes.size());
}

}  // namespace mailtls::codec::imap
