// Bounds and leniency options of the SMTP codec. Defaults follow RFC 5321 §4.5.3.1.
#pragma once

#include <cstddef>
#include <cstdint>

#include "codec/line_reader.hpp"

namespace mailtls::codec::smtp {

struct limits {
  // RFC 5321 §4.5.3.1.4: a command line is at most 512 octets including the CRLF.
  std::size_t max_command_line = 512;
  // RFC 5321 §4.5.3.1.5 gives 512 octets for a reply line too, but servers exceed it (long
  // EHLO/AUTH lines, verbose texts) and the limit is advisory for a client; 2048 is accepted.
  std::size_t max_reply_line = 2048;
  // Lines of one multi-line reply (RFC 5321 sets no limit; a hostile server must be bounded).
  std::size_t max_reply_lines = 128;
  std::size_t max_local_part = 64;  // RFC 5321 §4.5.3.1.1
  std::size_t max_domain = 255;     // RFC 5321 §4.5.3.1.2
  std::size_t max_path = 256;       // RFC 5321 §4.5.3.1.3, including "<" ">" and separators
  std::size_t max_parameters = 32;  // esmtp-params on one MAIL/RCPT line
  // RFC 5321 §4.5.3.1.6: a text line of DATA content is at most 1000 octets including CRLF.
  // Longer lines are flagged, never cut.
  std::size_t max_text_line = 1000;
  // Content octets stored per message (DATA or all BDAT chunks); beyond it the message is only
  // scanned and flagged `oversize` (RFC 1870 §6.3: reply 552 after the end of data).
  std::uint64_t max_message_size = 64ull << 20;
  // Line framing leniency for commands and replies (see line_reader.hpp); off by default.
  bool allow_bare_lf = false;
  bool allow_bare_cr = false;
  bool allow_nul = false;

  line_limits command_line_limits() const {
    return {max_command_line, allow_bare_lf, allow_bare_cr, allow_nul};
  }
  line_limits reply_line_limits() const {
    return {max_reply_line, allow_bare_lf, allow_bare_cr, allow_nul};
  }
};

}  // namespace mailtls::codec::smtp
