#include "codec/smtp/data_reader.hpp"

#include <cstring>

namespace mailtls::codec::smtp {

data_reader::data_reader(limits lim, std::string* sink) : limits_(lim), sink_(sink) {
  start_message();
}

void data_reader::reset() {
  offset_ = 0;
  start_message();
}

void data_reader::start_message() {
  content_.clear();
  sink_start_ = sink_ != nullptr ? sink_->size() : 0;
  info_ = {};
  stored_ = 0;
  line_len_ = 0;
  line_start_ = offset_;
  dot_at_ = 0;
  line_flagged_ = false;
  done_ = false;
  st_ = state::crlf;  // the CRLF ending the DATA command (RFC 5321 §4.1.1.4)
}

std::string_view data_reader::content() const {
  if (sink_ == nullptr) return content_;
  const std::string_view all(*sink_);  // the caller may have cleared it meanwhile
  return sink_start_ <= all.size() ? all.substr(sink_start_) : std::string_view();
}

void data_reader::emit(const char* p, std::size_t n) {
  if (n == 0) return;
  info_.size += n;
  if (stored_ < limits_.max_message_size) {
    const std::uint64_t room = limits_.max_message_size - stored_;
    const std::size_t take = room < n ? static_cast<std::size_t>(room) : n;
    (sink_ != nullptr ? *sink_ : content_).append(p, take);
    stored_ += take;
  }
  if (info_.size > limits_.max_message_size) info_.oversize = true;  // RFC 1870 §6.3
}

void data_reader::check_long_line() {
  // RFC 5321 §4.5.3.1.6: at most 1000 octets per text line including the CRLF.
  if (!line_flagged_ && line_len_ > limits_.max_text_line) {
    line_flagged_ = true;
    if (info_.long_lines++ == 0) info_.first_long_line = line_start_;
  }
}

void data_reader::end_line(std::uint64_t next_line_start) {
  check_long_line();
  line_len_ = 0;
  line_start_ = next_line_start;
  line_flagged_ = false;
}

parse_result data_reader::parse(std::string_view bytes) {
  if (done_) start_message();
  const char* const p = bytes.data();
  const std::size_t n = bytes.size();
  const std::uint64_t base = offset_;
  std::size_t pos = 0;
  std::size_t flush_from = 0;
  std::size_t next_lf = 0;  // index of the next LF at or after pos (n: none); valid if >= pos
  bool lf_known = false;

  while (pos < n) {
    switch (st_) {
      case state::text: {
        if (!lf_known || next_lf < pos) {
          const void* lf = std::memchr(p + pos, '\n', n - pos);
          next_lf = lf != nullptr ? static_cast<std::size_t>(static_cast<const char*>(lf) - p) : n;
          lf_known = true;
        }
        const std::size_t end = next_lf;
        const void* crp = std::memchr(p + pos, '\r', end - pos);
        if (crp == nullptr) {
          line_len_ += end - pos;
          pos = end;
          if (end == n) break;
          // A bare LF.
          if (info_.bare_lf++ == 0) info_.first_bare_lf = base + pos;
          ++line_len_;
          ++pos;
          end_line(base + pos);
          st_ = state::bare_lf;
          break;
        }
        const std::size_t cr = static_cast<std::size_t>(static_cast<const char*>(crp) - p);
        if (end != n && cr + 1 == end) {  // CRLF
          line_len_ += end + 1 - pos;
          pos = end + 1;
          end_line(base + pos);
          st_ = state::crlf;
          break;
        }
        line_len_ += cr + 1 - pos;
        pos = cr + 1;
        st_ = state::cr;
        break;
      }
      case state::cr: {
        const char c = p[pos];
        if (c == '\n') {
          ++line_len_;
          ++pos;
          end_line(base + pos);
          st_ = state::crlf;
          break;
        }
        // The CR before pos is bare.
        if (info_.bare_cr++ == 0) info_.first_bare_cr = base + pos - 1;
        if (c == '.') {
          dot_at_ = base + pos;
          ++line_len_;
          ++pos;
          st_ = state::bare_dot;
        } else if (c == '\r') {
          ++line_len_;
          ++pos;
        } else {
          st_ = state::text;
        }
        break;
      }
      case state::crlf:
      case state::bare_lf: {
        if (p[pos] != '.') {
          st_ = state::text;
          break;
        }
        dot_at_ = base + pos;
        ++line_len_;
        if (st_ == state::crlf) {
          // RFC 5321 §4.5.2: the first "." of a line is removed (or starts the end marker).
          emit(p + flush_from, pos - flush_from);
          flush_from = pos + 1;
          st_ = state::crlf_dot;
        } else {
          st_ = state::bare_dot;
        }
        ++pos;
        break;
      }
      case state::crlf_dot: {
        const char c = p[pos];
        if (c == '\r') {
          // Held back: it is either the end marker's CR or content.
          emit(p + flush_from, pos - flush_from);
          flush_from = pos + 1;
          ++line_len_;
          ++pos;
          st_ = state::crlf_dot_cr;
          break;
        }
        if (c == '\n') smuggle();  // "\r\n.\n"
        st_ = state::text;
        break;
      }
      case state::crlf_dot_cr: {
        if (p[pos] == '\n') {  // <CRLF>.<CRLF>: end of data
          ++pos;
          offset_ += pos;
          done_ = true;
          return parse_result::complete(pos);
        }
        smuggle();  // "\r\n.\r" + not LF
        emit("\r", 1);
        flush_from = pos;
        st_ = state::cr;
        break;
      }
      case state::bare_dot: {
        const char c = p[pos];
        if (c == '\r' || c == '\n') smuggle();  // "\n.\r", "\n.\n", "\r.\r", "\r.\n"
        st_ = state::text;
        break;
      }
    }
  }
  emit(p + flush_from, n - flush_from);
  check_long_line();
  offset_ += n;
  return parse_result::need_more(n);
}

void dot_stuff(std::string_view content, std::string& out) {
  out.reserve(out.size() + content.size() + content.size() / 512 + 8);
  const char* const p = content.data();
  const std::size_t n = content.size();
  std::size_t i = 0;
  while (i < n) {
    if (p[i] == '.') out += '.';  // i is a line start (RFC 5321 §4.5.2)
    std::size_t j = i;
    while (true) {
      const void* lf = std::memchr(p + j, '\n', n - j);
      if (lf == nullptr) {
        j = n;
        break;
      }
      j = static_cast<std::size_t>(static_cast<const char*>(lf) - p) + 1;
      if (j >= 2 && p[j - 2] == '\r') break;  // CRLF: the next octet starts a line
      if (j == n) break;
    }
    out.append(p + i, j - i);
    i = j;
  }
  if (n != 0 && !(n >= 2 && p[n - 2] == '\r' && p[n - 1] == '\n')) out += "\r\n";
  out += ".\r\n";
}

}  // namespace mailtls::codec::smtp
