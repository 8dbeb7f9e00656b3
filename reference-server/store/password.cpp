#include "store/password.hpp"

#include <crypt.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <memory>

#include "store/errc.hpp"

namespace mailtls::server::store {
namespace {

struct scheme_info {
  std::string_view tag;
  password_scheme scheme;
};

constexpr std::array<scheme_info, 3> schemes{{
    {"{SHA512-CRYPT}", password_scheme::sha512_crypt},
    {"{SHA256-CRYPT}", password_scheme::sha256_crypt},
    {"{BLF-CRYPT}", password_scheme::blf_crypt},
}};

bool prefix_matches(password_scheme s, std::string_view crypt_string) {
  switch (s) {
    case password_scheme::sha512_crypt:
      return crypt_string.starts_with("$6$");
    case password_scheme::sha256_crypt:
      return crypt_string.starts_with("$5$");
    case password_scheme::blf_crypt:
      return crypt_string.starts_with("$2y$") || crypt_string.starts_with("$2b$") ||
             crypt_string.starts_with("$2a$");
  }
  return false;
}

// crypt_rn() on a heap-allocated crypt_data (about 32 KiB: too large for small thread stacks).
// Returns false when libcrypt fails; `out` gets the hash otherwise.
bool run_crypt(const std::string& password, const std::string& setting, std::string& out) {
  auto data = std::make_unique<crypt_data>();  // value-initialised: data->initialized == 0
  const char* r =
      crypt_rn(password.c_str(), setting.c_str(), data.get(), static_cast<int>(sizeof(crypt_data)));
  if (r == nullptr || r[0] == '*') return false;
  out.assign(r);
  return true;
}

bool password_usable(std::string_view password) {
  return password.size() <= max_password_length && password.find('\0') == std::string_view::npos;
}

}  // namespace

std::error_code parse_password_hash(std::string_view text, password_scheme& scheme,
                                    std::string_view& crypt_string) {
  if (!text.starts_with('{')) return store_errc::unsupported_scheme;
  for (const auto& s : schemes) {
    if (!text.starts_with(s.tag)) continue;
    const auto rest = text.substr(s.tag.size());
    if (!prefix_matches(s.scheme, rest)) return store_errc::bad_hash;
    for (const char c : rest) {
      // crypt strings are printable ASCII without spaces or separators.
      if (c <= 0x20 || c >= 0x7f || c == '|') return store_errc::bad_hash;
    }
    // A full hash, not only a setting: $id$[rounds=N$]salt$hash (bcrypt: $2y$NN$salt+hash).
    const auto last = rest.rfind('$');
    if (std::count(rest.begin(), rest.end(), '$') < 3 || last + 1 == rest.size()) {
      return store_errc::bad_hash;
    }
    // libxcrypt calls SHA256-CRYPT "legacy" (CRYPT_SALT_METHOD_LEGACY) but still computes it.
    const int check = crypt_checksalt(std::string(rest).c_str());
    if (check != CRYPT_SALT_OK && check != CRYPT_SALT_METHOD_LEGACY) return store_errc::bad_hash;
    scheme = s.scheme;
    crypt_string = rest;
    return {};
  }
  return store_errc::unsupported_scheme;
}

std::error_code hash_password(std::string_view password, std::string& out) {
  if (!password_usable(password)) return store_errc::bad_password;
  std::array<char, 16> random{};
  std::size_t got = 0;
  while (got < random.size()) {
    const auto n = getrandom(random.data() + got, random.size() - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return store_errc::no_entropy;
    }
    got += static_cast<std::size_t>(n);
  }
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> setting{};
  if (crypt_gensalt_rn("$6$", 5000, random.data(), static_cast<int>(random.size()), setting.data(),
                       static_cast<int>(setting.size())) == nullptr) {
    return store_errc::crypt_failed;
  }
  std::string hashed;
  if (!run_crypt(std::string(password), setting.data(), hashed)) return store_errc::crypt_failed;
  out = "{SHA512-CRYPT}" + hashed;
  return {};
}

bool verify_password(std::string_view password, std::string_view stored) {
  std::string_view crypt_string = stored;
  if (stored.starts_with('{')) {
    password_scheme scheme{};
    if (parse_password_hash(stored, scheme, crypt_string)) return false;
  }
  if (!password_usable(password) || crypt_string.empty()) return false;
  const std::string setting(crypt_string);
  std::string computed;
  if (!run_crypt(std::string(password), setting, computed)) return false;
  return constant_time_equal(computed, crypt_string);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  const std::size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned diff = a.size() == b.size() ? 0u : 1u;
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0u;
    const auto y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0u;
    diff |= x ^ y;
  }
  return diff == 0;
}

}  // namespace mailtls::server::store
