// Error codes of the mail store (accounts file, passwords, Maildir, spool). Operating-system
// failures are passed through as std::system_category codes (errno); these are the store's own.
#pragma once

#include <system_error>

#include "codec/error_category.hpp"

namespace mailtls::server::store {

enum class store_errc {
  // Accounts file (postfix-accounts.cf), each reported as "file:line: message".
  missing_separator = 1,  // no '|' between the address and the hash
  too_many_fields,        // more than one '|' on a line
  bad_address,            // not local@domain, or unsafe as a directory name
  unsupported_scheme,     // a {SCHEME} other than SHA512-CRYPT, SHA256-CRYPT, BLF-CRYPT
  bad_hash,               // the crypt string does not match its scheme or libcrypt rejects it
  duplicate_account,      // the same address (domain compared case-insensitively) twice
  file_too_large,         // over accounts_limits::max_file_size
  // Passwords.
  bad_password,  // contains NUL (crypt would truncate it) or is too long
  crypt_failed,  // libcrypt returned no hash
  no_entropy,    // getrandom() failed
  // Maildir and spool.
  bad_mailbox_name,  // not representable as a Maildir++ folder
  no_such_user,      // a local-domain recipient without an account
  no_such_mailbox,
  bad_envelope,    // CR, LF or NUL inside an envelope field (spool format is line based)
  bad_spool_file,  // a spool file that does not follow the format
  bad_index,       // message index out of range
  message_gone,    // the message file vanished (expunged by another session)
};

}  // namespace mailtls::server::store

namespace mailtls::codec {
template <>
struct errc_traits<mailtls::server::store::store_errc> {
  static constexpr const char* name = "mailtls.store";
  static const char* message(mailtls::server::store::store_errc e) noexcept;
};
}  // namespace mailtls::codec

namespace mailtls::server::store {
std::error_code make_error_code(store_errc e) noexcept;
}  // namespace mailtls::server::store

template <>
struct std::is_error_code_enum<mailtls::server::store::store_errc> : std::true_type {};
