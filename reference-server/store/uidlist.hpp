// The per-folder UID list, file "mailtls-uidlist" in the Maildir (INBOX) or Maildir++ folder:
//
//   <uidvalidity> <uidnext>\n
//   <uid> <unique name>\n        one line per message, uid strictly ascending
//
// It makes IMAP UIDs (RFC 9051 §2.3.1.1) survive restarts: a message keeps its UID for as long as
// its file exists, UIDs only grow, and uidvalidity changes only if the list is lost or corrupt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace mailtls::server::store {

struct uidlist_entry {
  std::uint32_t uid = 0;
  std::string base;  // the file's unique name (before ':')
  bool operator==(const uidlist_entry&) const = default;
};

struct uidlist {
  std::uint32_t uid_validity = 0;
  std::uint32_t uid_next = 1;
  std::vector<uidlist_entry> entries;  // uid ascending
  bool operator==(const uidlist&) const = default;
};

// Strict: uid_validity and every uid nonzero; uids strictly ascending and below uid_next; bases
// non-empty, without spaces or control octets, and distinct. std::errc::invalid_argument on any
// defect (the caller then starts a new list with a new uid_validity).
std::error_code parse_uidlist(std::string_view text, uidlist& out);
void serialize_uidlist(const uidlist& list, std::string& out);

}  // namespace mailtls::server::store
