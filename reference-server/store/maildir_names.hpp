// Names inside a Maildir (https://cr.yp.to/proto/maildir.html) and Maildir++ folders.
//
//  - unique names: "<seconds>.M<micros>P<pid>Q<counter>R<random>.<host>", unique across time,
//    processes (pid), deliveries of one process (counter) and pid reuse (random); the host has
//    '/' and ':' written as \057 and \072 as the Maildir description asks, and the name is cut to
//    70 octets of 0x21-0x7E so it can serve as the POP3 UIDL (RFC 1939 §7).
//  - info: a file in cur/ is named "<unique>:2,<flags>" with flag letters in ASCII order:
//    D draft, F flagged, P passed, R replied (answered), S seen, T trashed (deleted).
//  - folders: INBOX is the Maildir itself; mailbox "a/b" lives in ".a.b/" (Maildir++: '.' is the
//    hierarchy separator on disk). A '.' or '%' inside a name component is written %2E / %25 so
//    every IMAP name maps to exactly one directory and back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailtls::server::store {

inline constexpr std::size_t max_unique_name_length = 70;

// A new unique name for `host` (uses the clock, the pid, a process-wide counter and getrandom).
std::string make_unique_name(std::string_view host);

// True when `s` can be a POP3 unique-id: 1-70 octets in 0x21-0x7E (RFC 1939 §7).
bool valid_pop3_unique_id(std::string_view s);

// Splits a directory entry name into the unique part (before ':') and the flag letters of a
// ":2," info (empty for names without one).
struct maildir_file_name {
  std::string_view base;
  std::string_view flag_letters;
};
maildir_file_name split_file_name(std::string_view name);

// message_flag bits for the letters D F R S T; other letters are ignored.
std::uint8_t flags_from_letters(std::string_view letters);
// The letters for `flags`, merged with the letters of `keep` that flags do not describe (P,
// lower-case keywords), in ASCII order without duplicates.
std::string letters_from_flags(std::uint8_t flags, std::string_view keep = {});
// "<base>:2,<letters>".
std::string cur_file_name(std::string_view base, std::string_view letters);

// "INBOX" in any case.
bool is_inbox(std::string_view mailbox);
// The Maildir++ directory name (".a.b") for an IMAP mailbox name other than INBOX; nullopt when
// the name is empty, has an empty component, or octets outside 0x20-0x7E.
std::optional<std::string> folder_directory(std::string_view mailbox);
// The inverse: the mailbox name for a directory name, nullopt if it is not a folder name.
std::optional<std::string> mailbox_from_directory(std::string_view directory);

}  // namespace mailtls::server::store
