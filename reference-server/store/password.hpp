// Password hashes in Dovecot's "{SCHEME}crypt-string" notation, as docker-mailserver writes them
// into postfix-accounts.cf: {SHA512-CRYPT}$6$..., {SHA256-CRYPT}$5$..., {BLF-CRYPT}$2y$...
// Hashing and checking go through libcrypt's reentrant crypt_rn() with a struct crypt_data per
// call, so any number of threads may verify passwords at once.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

namespace mailtls::server::store {

enum class password_scheme { sha512_crypt, sha256_crypt, blf_crypt };

// Longest password hashed or checked (crypt implementations differ beyond this; bcrypt itself
// only uses 72 octets).
inline constexpr std::size_t max_password_length = 1024;

// Splits "{SCHEME}$id$..." into the scheme and the crypt string, checks that the crypt prefix
// matches the scheme ($6$, $5$, $2y$/$2b$/$2a$) and that libcrypt accepts the setting.
// Errors: store_errc::unsupported_scheme, store_errc::bad_hash.
std::error_code parse_password_hash(std::string_view text, password_scheme& scheme,
                                    std::string_view& crypt_string);

// A new "{SHA512-CRYPT}$6$<16 random salt chars>$<hash>" (5000 rounds, the SHA-crypt default)
// for `password`. Salt bytes come from getrandom(). Errors: bad_password (NUL, too long),
// no_entropy, crypt_failed.
std::error_code hash_password(std::string_view password, std::string& out);

// True when `password` matches `stored` ("{SCHEME}crypt-string" or a bare crypt string). The
// comparison of the computed and stored hash takes the same time wherever they differ. A
// password containing NUL never matches (crypt would only see the part before it).
bool verify_password(std::string_view password, std::string_view stored);

// Compares without an early exit (the time depends only on the lengths).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace mailtls::server::store
