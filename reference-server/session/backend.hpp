// What the server sessions need from the mail store, as an interface: accounts, delivery and
// mailboxes. The sessions stay free of files and clocks; the production implementation
// (reference-server/store: postfix-accounts.cf + Maildir, fsync before every acknowledgement)
// and the in-memory one (memory_backend.hpp: tests and fuzz targets) both implement it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace mailtls::server {

// IMAP system flags (RFC 9051 §2.3.2) as bits.
enum message_flag : std::uint8_t {
  flag_seen = 1,
  flag_answered = 2,
  flag_flagged = 4,
  flag_deleted = 8,
  flag_draft = 16,
};

struct message_entry {
  std::uint32_t uid = 0;           // IMAP UID, strictly ascending within a mailbox
  std::string unique_id;           // POP3 UIDL (RFC 1939 §7): 1-70 chars 0x21-0x7E
  std::uint64_t size = 0;          // octets, CRLF line endings as sent to clients
  std::int64_t internal_date = 0;  // unix seconds
  std::uint8_t flags = 0;          // message_flag bits
  bool operator==(const message_entry&) const = default;
};

class mailbox {
 public:
  virtual ~mailbox() = default;
  virtual std::uint32_t uid_validity() const = 0;
  virtual std::uint32_t uid_next() const = 0;
  // In sequence-number order (index 0 is message 1).
  virtual const std::vector<message_entry>& messages() const = 0;
  // The whole message (CRLF line endings) into `out` (replaced).
  virtual std::error_code read(std::size_t index, std::string& out) = 0;
  virtual std::error_code set_flags(std::size_t index, std::uint8_t flags) = 0;
  // Removes every message flagged deleted; `expunged` gets their sequence numbers (1-based),
  // in the order an IMAP server reports EXPUNGE responses (RFC 9051 §7.5.1).
  virtual std::error_code expunge(std::vector<std::uint32_t>& expunged) = 0;
  // Durable before it returns (APPEND's OK).
  virtual std::error_code append(std::string_view message, std::uint8_t flags,
                                 std::int64_t internal_date) = 0;
  // Picks up messages delivered since the mailbox was opened (IMAP NOOP, IDLE).
  virtual void refresh() = 0;
};

struct envelope {
  std::string helo;
  std::string mail_from;             // reverse-path without brackets; empty for <>
  std::vector<std::string> rcpt_to;  // forward-paths without brackets
  std::string authenticated_user;    // empty when not authenticated
  std::string peer_address;
  bool tls = false;
  bool operator==(const envelope&) const = default;
};

class backend {
 public:
  virtual ~backend() = default;
  virtual bool is_local_domain(std::string_view domain) const = 0;
  // A local mailbox exists for this address (case-insensitive domain).
  virtual bool has_user(std::string_view address) const = 0;
  // The canonical account name when user and password match, nothing otherwise.
  virtual std::optional<std::string> authenticate(std::string_view user,
                                                  std::string_view password) = 0;
  // Delivers to every local recipient's INBOX and queues the rest in the outbound spool.
  // Returns only once the message is durable (written, fsynced, renamed, directory fsynced):
  // a 250 reply may follow. An error means nothing may be acknowledged (451).
  virtual std::error_code deliver(const envelope& env, std::string_view message) = 0;
  virtual std::vector<std::string> list_mailboxes(std::string_view user) = 0;
  // nullptr when the mailbox does not exist.
  virtual std::unique_ptr<mailbox> open_mailbox(std::string_view user, std::string_view name) = 0;
  // Unix seconds, for Received: headers and INTERNALDATE (the sessions have no clock).
  virtual std::int64_t now() const = 0;
};

}  // namespace mailtls::server
