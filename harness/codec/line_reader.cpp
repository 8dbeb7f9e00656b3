#include "codec/line_reader.hpp"

#include <cstring>

namespace mailtls::codec {

const char* errc_traits<line_errc>::message(line_errc e) noexcept {
  switch (e) {
    case line_errc::line_too_long:
      return "line too long";
    case line_errc::bare_lf:
      return "line ended by a bare LF (CRLF required)";
    case line_errc::bare_cr:
      return "bare CR inside a line";
    case line_errc::nul_byte:
      return "NUL byte inside a line";
  }
  return "unknown line error";
}

std::error_code make_error_code(line_errc e) noexcept {
  return make_codec_error(e);
}

const char* to_string(parse_status s) noexcept {
  switch (s) {
    case parse_status::complete:
      return "complete";
    case parse_status::need_more:
      return "need_more";
    case parse_status::error:
      return "error";
  }
  return "?";
}

void line_reader::reset() {
  buf_.clear();
  buf_holds_line_ = false;
  line_ = {};
  stream_offset_ = 0;
  discarding_ = false;
}

parse_result line_reader::parse(std::string_view bytes) {
  if (buf_holds_line_) {  // the previous line() pointed here; it is no longer valid
    buf_.clear();
    buf_holds_line_ = false;
  }
  std::size_t pos = 0;
  if (discarding_) {
    // Skip the rest of an over-long line, through its LF (RFC 5321 §4.5.3.1.4: reply 500, go on).
    const void* lf = std::memchr(bytes.data(), '\n', bytes.size());
    if (lf == nullptr) {
      stream_offset_ += bytes.size();
      return parse_result::need_more(bytes.size());
    }
    pos = static_cast<std::size_t>(static_cast<const char*>(lf) - bytes.data()) + 1;
    stream_offset_ += pos;
    discarding_ = false;
  }

  const std::uint64_t start = stream_offset_ - buf_.size();
  const std::string_view rest = bytes.substr(pos);
  const void* lf = std::memchr(rest.data(), '\n', rest.size());
  const std::size_t room = limits_.max_length > buf_.size() ? limits_.max_length - buf_.size() : 0;

  if (lf == nullptr) {
    // The line goes on. A line that already fills max_length without its LF cannot fit any more.
    if (rest.size() >= room) {
      const std::uint64_t at = start + limits_.max_length;
      stream_offset_ += rest.size();
      buf_.clear();
      discarding_ = true;
      return parse_result::failed(bytes.size(), line_errc::line_too_long, at);
    }
    buf_.append(rest);
    stream_offset_ += rest.size();
    return parse_result::need_more(bytes.size());
  }

  const std::size_t n = static_cast<std::size_t>(static_cast<const char*>(lf) - rest.data()) + 1;
  const std::size_t consumed = pos + n;
  if (n > room) {
    // The LF arrived, but past the limit: report and skip the line (it is complete, nothing to
    // discard later).
    const std::uint64_t at = start + limits_.max_length;
    stream_offset_ += n;
    buf_.clear();
    return parse_result::failed(consumed, line_errc::line_too_long, at);
  }
  stream_offset_ += n;
  if (buf_.empty()) {
    return finish_line(rest.substr(0, n), consumed, start);  // zero copy: the line is in `bytes`
  }
  buf_.append(rest.substr(0, n));
  buf_holds_line_ = true;
  return finish_line(buf_, consumed, start);
}

parse_result line_reader::finish_line(std::string_view raw, std::size_t consumed,
                                      std::uint64_t start) {
  // raw ends with '\n'.
  std::string_view text = raw.substr(0, raw.size() - 1);
  line_.ending = line_ending::lf;
  if (!text.empty() && text.back() == '\r') {
    text.remove_suffix(1);
    line_.ending = line_ending::crlf;
  }
  line_.text = text;
  line_.offset = start;
  const void* cr = std::memchr(text.data(), '\r', text.size());
  const void* nul = std::memchr(text.data(), '\0', text.size());
  line_.bare_cr = cr != nullptr;
  line_.nul = nul != nullptr;

  auto at = [&](const void* p) {
    return start + static_cast<std::uint64_t>(static_cast<const char*>(p) - text.data());
  };
  if (line_.ending == line_ending::lf && !limits_.allow_bare_lf) {
    return parse_result::failed(consumed, line_errc::bare_lf, start + raw.size() - 1);
  }
  if (line_.bare_cr && !limits_.allow_bare_cr) {
    return parse_result::failed(consumed, line_errc::bare_cr, at(cr));
  }
  if (line_.nul && !limits_.allow_nul) {
    return parse_result::failed(consumed, line_errc::nul_byte, at(nul));
  }
  return parse_result::complete(consumed);
}

}  // namespace mailtls::codec
