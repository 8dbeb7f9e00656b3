// DATA content after the 354 reply (RFC 5321 §4.1.1.4, §4.5.2), and its writer.
//
// The reader streams the dot-unstuffed content into a sink (the caller's std::string, appended
// to, or an internal buffer cleared per message), storing at most limits::max_message_size
// octets. The data ends ONLY at <CRLF>.<CRLF>, where the CRLF that ended the DATA command counts
// as the first CRLF (so ".\r\n" right away is an empty message). The content keeps the CRLF
// before the final dot: "Subject: x\r\n\r\nhi\r\n.\r\n" gives "Subject: x\r\n\r\nhi\r\n".
//
// Lines are CRLF-delimited: a "." is removed (RFC 5321 §4.5.2) only when it follows a CRLF (or
// starts the data); after a bare LF or bare CR it is content. Look-alikes of the end marker -
// "." between any two line endings out of CRLF / bare LF / bare CR other than CRLF.CRLF
// ("\n.\n", "\r.\r\n", "\n.\r\n", "\r\n.\n", "\r\n.\r", ...) - never end the data and are counted
// with the offset of the first one's dot (SMTP smuggling: CVE-2023-51764/51765/51766). Bare LF
// and bare CR inside content are counted too, and lines longer than limits::max_text_line
// (RFC 5321 §4.5.3.1.6: 1000 octets including CRLF; here counted from LF to LF) are flagged.
//
// parse() follows parse_result.hpp and never fails: need_more until the end marker, then
// complete with the rest unconsumed. A message over max_message_size is scanned to its end and
// completes with info().oversize set (RFC 1870 §6.3: the server then replies 552). After
// complete, the next parse() starts a new message (stream offsets keep counting).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/parse_result.hpp"
#include "codec/smtp/limits.hpp"

namespace mailtls::codec::smtp {

struct data_info {
  std::uint64_t size = 0;     // content octets after unstuffing, stored or not
  bool oversize = false;      // size > max_message_size; only the first max_message_size are stored
  std::uint64_t bare_lf = 0;  // LF not preceded by CR
  std::uint64_t first_bare_lf = 0;
  std::uint64_t bare_cr = 0;  // CR not followed by LF
  std::uint64_t first_bare_cr = 0;
  std::uint64_t smuggling = 0;        // end-of-data look-alikes
  std::uint64_t first_smuggling = 0;  // stream offset of the first look-alike's "."
  std::uint64_t long_lines = 0;       // lines over max_text_line
  std::uint64_t first_long_line = 0;  // stream offset of the first long line's first octet
  bool operator==(const data_info&) const = default;
};

class data_reader {
 public:
  // `sink`, when given, must outlive the reader; content is appended to it.
  explicit data_reader(limits lim = {}, std::string* sink = nullptr);

  parse_result parse(std::string_view bytes);

  // The content stored so far for the current (or just completed) message.
  std::string_view content() const;
  const data_info& info() const { return info_; }
  std::uint64_t stream_offset() const { return offset_; }
  void reset();

 private:
  enum class state : std::uint8_t { text, cr, crlf, bare_lf, crlf_dot, crlf_dot_cr, bare_dot };

  void start_message();
  void emit(const char* p, std::size_t n);
  void end_line(std::uint64_t next_line_start);
  void check_long_line();
  void smuggle() {
    if (info_.smuggling++ == 0) info_.first_smuggling = dot_at_;
  }

  limits limits_;
  std::string* sink_ = nullptr;
  std::string content_;
  std::size_t sink_start_ = 0;  // sink size when the message started
  data_info info_;
  std::uint64_t offset_ = 0;
  std::uint64_t stored_ = 0;
  std::uint64_t line_len_ = 0;
  std::uint64_t line_start_ = 0;
  std::uint64_t dot_at_ = 0;
  bool line_flagged_ = false;
  bool done_ = false;
  state st_ = state::crlf;
};

// RFC 5321 §4.5.2: appends `content` with a "." added before every line starting with "."
// (a line starts at the beginning and after each CRLF), then CRLF if the content does not end
// with one (nothing for empty content), then ".\r\n". data_reader gives `content` back (plus
// the added CRLF). Bare LF / bare CR are passed through unchanged.
void dot_stuff(std::string_view content, std::string& out);

}  // namespace mailtls::codec::smtp
