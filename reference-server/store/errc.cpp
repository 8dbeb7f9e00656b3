#include "store/errc.hpp"

namespace mailtls::codec {

const char* errc_traits<mailtls::server::store::store_errc>::message(
    mailtls::server::store::store_errc e) noexcept {
  using mailtls::server::store::store_errc;
  switch (e) {
    case store_errc::missing_separator:
      return "expected address|{SCHEME}hash";
    case store_errc::too_many_fields:
      return "more than two '|'-separated fields";
    case store_errc::bad_address:
      return "invalid account address";
    case store_errc::unsupported_scheme:
      return "unsupported password scheme (use SHA512-CRYPT, SHA256-CRYPT or BLF-CRYPT)";
    case store_errc::bad_hash:
      return "malformed password hash";
    case store_errc::duplicate_account:
      return "duplicate account";
    case store_errc::file_too_large:
      return "file too large";
    case store_errc::bad_password:
      return "password contains NUL or is too long";
    case store_errc::crypt_failed:
      return "libcrypt failed to hash the password";
    case store_errc::no_entropy:
      return "no random bytes for a salt";
    case store_errc::bad_mailbox_name:
      return "invalid mailbox name";
    case store_errc::no_such_user:
      return "no such user";
    case store_errc::no_such_mailbox:
      return "no such mailbox";
    case store_errc::bad_envelope:
      return "envelope field contains CR, LF or NUL";
    case store_errc::bad_spool_file:
      return "malformed spool file";
    case store_errc::bad_index:
      return "message index out of range";
    case store_errc::message_gone:
      return "message file no longer exists";
  }
  return "unknown store error";
}

}  // namespace mailtls::codec

namespace mailtls::server::store {

std::error_code make_error_code(store_errc e) noexcept {
  return codec::make_codec_error(e);
}

}  // namespace mailtls::server::store
