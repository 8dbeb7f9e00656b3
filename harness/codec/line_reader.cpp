#include "codec/line_reader.hpp"

#include <array>
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

namespace {

// One pass over the bytes: the first LF, and the first CR and NUL before it. Eight bytes at a time
// (a word with none of the three special bytes is skipped whole), so short command lines and long
// DATA lines are both cheap.
struct scan_result {
  std::size_t lf = std::string_view::npos;
  std::size_t first_cr = std::string_view::npos;
  std::size_t first_nul = std::string_view::npos;
};

constexpr std::uint64_t ones = 0x0101010101010101ull;
constexpr std::uint64_t highs = 0x8080808080808080ull;

// Nonzero iff some byte of v is zero (exact: no false positives for the "any" question).
constexpr std::uint64_t has_zero_byte(std::uint64_t v) {
  return (v - ones) & ~v & highs;
}

bool has_special(std::uint64_t v) {
  return (has_zero_byte(v) | has_zero_byte(v ^ (ones * '\n')) | has_zero_byte(v ^ (ones * '\r'))) !=
         0;
}

scan_result scan(std::string_view s) {
  scan_result r;
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
  for (;;) {
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (has_special(w)) break;
      i += 8;
    }
    // Byte by byte through the word that holds a special byte (or the tail).
    const std::size_t end = i + 8 < n ? i + 8 : n;
    for (; i < end; ++i) {
      switch (p[i]) {
        case '\n':
          r.lf = i;
          return r;
        case '\r':
          if (r.first_cr == std::string_view::npos) r.first_cr = i;
          break;
        case '\0':
          if (r.first_nul == std::string_view::npos) r.first_nul = i;
          break;
        default:
          break;
      }
    }
    if (i >= n) return r;
  }
}

}  // namespace

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
  const std::size_t room = limits_.max_length > buf_.size() ? limits_.max_length - buf_.size() : 0;
  // Never look further than the line may reach: bounded work per call whatever the input size.
  const std::string_view rest = bytes.substr(pos);
  const scan_result found = scan(rest.substr(0, room));

  if (found.lf == std::string_view::npos) {
    if (rest.size() < room) {  // the line goes on
      buf_.append(rest);
      stream_offset_ += rest.size();
      return parse_result::need_more(bytes.size());
    }
    // max_length octets and still no LF: too long. RFC 5321 §4.5.3.1.4
    const std::uint64_t at = start + limits_.max_length;
    buf_.clear();
    const void* late_lf = std::memchr(rest.data() + room, '\n', rest.size() - room);
    if (late_lf == nullptr) {  // skip the rest of the line in later calls
      stream_offset_ += rest.size();
      discarding_ = true;
      return parse_result::failed(bytes.size(), line_errc::line_too_long, at);
    }
    const std::size_t n =
        static_cast<std::size_t>(static_cast<const char*>(late_lf) - rest.data()) + 1;
    stream_offset_ += n;
    return parse_result::failed(pos + n, line_errc::line_too_long, at);
  }

  const std::size_t n = found.lf + 1;
  const std::size_t consumed = pos + n;
  stream_offset_ += n;
  if (buf_.empty()) {
    // Zero copy: the line is in `bytes`.
    return finish_line(rest.substr(0, n), found.first_cr, found.first_nul, consumed, start);
  }
  buf_.append(rest.substr(0, n));
  buf_holds_line_ = true;
  const scan_result whole = scan(buf_);
  return finish_line(buf_, whole.first_cr, whole.first_nul, consumed, start);
}

parse_result line_reader::finish_line(std::string_view raw, std::size_t first_cr,
                                      std::size_t first_nul, std::size_t consumed,
                                      std::uint64_t start) {
  // raw ends with '\n'; first_cr / first_nul index raw (npos when absent).
  std::string_view text = raw.substr(0, raw.size() - 1);
  line_.ending = line_ending::lf;
  if (!text.empty() && text.back() == '\r') {
    text.remove_suffix(1);
    line_.ending = line_ending::crlf;
  }
  line_.text = text;
  line_.offset = start;
  // The CR of the final CRLF is not bare; the first CR is bare only if it comes before it.
  line_.bare_cr = first_cr < text.size();
  line_.nul = first_nul != std::string_view::npos;

  if (line_.ending == line_ending::lf && !limits_.allow_bare_lf) {
    return parse_result::failed(consumed, line_errc::bare_lf, start + raw.size() - 1);
  }
  if (line_.bare_cr && !limits_.allow_bare_cr) {
    return parse_result::failed(consumed, line_errc::bare_cr, start + first_cr);
  }
  if (line_.nul && !limits_.allow_nul) {
    return parse_result::failed(consumed, line_errc::nul_byte, start + first_nul);
  }
  return parse_result::complete(consumed);
}

}  // namespace mailtls::codec
