// The maildrop of a POP3 session in the TRANSACTION state (RFC 1939 §5-6): message numbers fixed
// at login, deletion marks that only take effect in the UPDATE state, and the rendering of RETR and
// TOP answers (dot-stuffed multi-line bodies, RFC 1939 §3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "session/backend.hpp"

namespace mailtls::server::pop3 {

// Appends `content` as a multi-line body: every line ended by CRLF (a bare LF ending becomes CRLF,
// a last line without one is terminated), lines starting with "." get one more (RFC 1939 §3), then
// the terminating ".\r\n". With `body_lines`, only the header, the blank line after it and that
// many body lines (TOP, RFC 1939 §7); a message without a blank line is all header.
void append_multi_line(std::string_view content, std::optional<std::uint32_t> body_lines,
                       std::string& out);

class maildrop {
 public:
  explicit maildrop(std::unique_ptr<mailbox> box);

  // The highest message number (deleted messages keep their numbers, RFC 1939 §5).
  std::size_t size() const { return deleted_.size(); }
  // STAT: messages not marked deleted and their octets (RFC 1939 §5).
  std::size_t count() const;
  std::uint64_t octets() const;
  // Message n (1-based) if it exists and is not marked deleted, else nullptr.
  const message_entry* find(std::uint32_t n) const;
  bool is_deleted(std::uint32_t n) const { return n >= 1 && n <= size() && deleted_[n - 1]; }
  // DELE (RFC 1939 §5): marks message n; false if it does not exist or is already marked.
  bool mark_deleted(std::uint32_t n);
  // RSET (RFC 1939 §5): unmarks every message.
  void unmark_all();
  // RETR / TOP: appends the message as a dot-stuffed multi-line body (see append_multi_line).
  std::error_code append_message(std::uint32_t n, std::optional<std::uint32_t> body_lines,
                                 std::string& out);
  // UPDATE state (RFC 1939 §6): removes the marked messages (flag_deleted then expunge); `left`
  // gets the number of messages remaining in the maildrop.
  std::error_code update(std::size_t& left);

 private:
  std::unique_ptr<mailbox> box_;
  std::vector<bool> deleted_;
  std::string scratch_;
};

}  // namespace mailtls::server::pop3
