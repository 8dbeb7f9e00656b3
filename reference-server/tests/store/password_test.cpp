#include "store/password.hpp"

#include <gtest/gtest.h>

#include <crypt.h>

#include "store/errc.hpp"

namespace mailtls::server::store {
namespace {

// `openssl passwd -6 -salt abc pw` and `openssl passwd -5 -salt abc pw`.
constexpr const char* sha512_pw =
    "$6$abc$MtSdWSZbhct2oe.SOqOUM2M/GA/uj5.vyVtJgRHgKi9uqXuWuJqOYE7H/YlsYGVg/YYzDV0xt3fEIwYt580.5.";
constexpr const char* sha256_pw = "$5$abc$/LKlXd6vuvdFX3oWbf2vGk3DgflzzsvOtMZsiOxqqY5";

TEST(password, verifies_known_sha512_crypt_hash) {
  const std::string stored = std::string("{SHA512-CRYPT}") + sha512_pw;
  EXPECT_TRUE(verify_password("pw", stored));
  EXPECT_FALSE(verify_password("pW", stored));
  EXPECT_FALSE(verify_password("pw ", stored));
  EXPECT_FALSE(verify_password("", stored));
  EXPECT_TRUE(verify_password("pw", sha512_pw));  // bare crypt string
}

TEST(password, verifies_known_sha256_crypt_hash) {
  const std::string stored = std::string("{SHA256-CRYPT}") + sha256_pw;
  EXPECT_TRUE(verify_password("pw", stored));
  EXPECT_FALSE(verify_password("px", stored));
}

TEST(password, scheme_and_prefix_must_agree) {
  password_scheme s{};
  std::string_view crypt;
  const std::string good = std::string("{SHA512-CRYPT}") + sha512_pw;
  EXPECT_EQ(parse_password_hash(good, s, crypt), std::error_code{});
  EXPECT_EQ(s, password_scheme::sha512_crypt);
  EXPECT_EQ(crypt, sha512_pw);
  EXPECT_EQ(parse_password_hash(std::string("{SHA256-CRYPT}") + sha512_pw, s, crypt),
            store_errc::bad_hash);
  EXPECT_EQ(parse_password_hash("{PLAIN}pw", s, crypt), store_errc::unsupported_scheme);
  EXPECT_EQ(parse_password_hash("{MD5-CRYPT}$1$abc$xyz", s, crypt), store_errc::unsupported_scheme);
  EXPECT_EQ(parse_password_hash(sha512_pw, s, crypt), store_errc::unsupported_scheme);
  EXPECT_EQ(parse_password_hash("{SHA512-CRYPT}$6$", s, crypt), store_errc::bad_hash);
  EXPECT_EQ(parse_password_hash("{SHA512-CRYPT}$6$ab c$x", s, crypt), store_errc::bad_hash);
  // A wrong scheme never verifies.
  EXPECT_FALSE(verify_password("pw", std::string("{SHA256-CRYPT}") + sha512_pw));
  EXPECT_FALSE(verify_password("pw", "{PLAIN}pw"));
}

TEST(password, hash_password_makes_fresh_sha512_hashes) {
  std::string a, b;
  ASSERT_EQ(hash_password("s3cret", a), std::error_code{});
  ASSERT_EQ(hash_password("s3cret", b), std::error_code{});
  EXPECT_TRUE(a.starts_with("{SHA512-CRYPT}$6$"));
  EXPECT_NE(a, b);  // random salts
  EXPECT_TRUE(verify_password("s3cret", a));
  EXPECT_TRUE(verify_password("s3cret", b));
  EXPECT_FALSE(verify_password("s3cre", a));
  // "$6$" + 16 salt chars + "$" + 86 hash chars.
  EXPECT_EQ(a.size(), std::string("{SHA512-CRYPT}").size() + 3 + 16 + 1 + 86);
}

TEST(password, nul_and_overlong_passwords_are_refused) {
  std::string out;
  EXPECT_EQ(hash_password(std::string_view("pw\0x", 4), out), store_errc::bad_password);
  EXPECT_EQ(hash_password(std::string(max_password_length + 1, 'a'), out),
            store_errc::bad_password);
  // crypt() would see only "pw": a NUL must not let "pw\0anything" in.
  EXPECT_FALSE(verify_password(std::string_view("pw\0x", 4), sha512_pw));
}

TEST(password, blf_crypt_when_libcrypt_supports_it) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2y$", 4, nullptr, 0, setting, sizeof setting) == nullptr) {
    GTEST_SKIP() << "libcrypt without bcrypt";
  }
  crypt_data data{};
  const char* h = crypt_rn("pw", setting, &data, sizeof data);
  ASSERT_NE(h, nullptr);
  const std::string stored = std::string("{BLF-CRYPT}") + h;
  password_scheme s{};
  std::string_view crypt;
  EXPECT_EQ(parse_password_hash(stored, s, crypt), std::error_code{});
  EXPECT_EQ(s, password_scheme::blf_crypt);
  EXPECT_TRUE(verify_password("pw", stored));
  EXPECT_FALSE(verify_password("pv", stored));
}

TEST(password, constant_time_equal_compares_whole_strings) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

}  // namespace
}  // namespace mailtls::server::store
