#include "store/accounts.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>

#include "store/errc.hpp"
#include "temp_dir.hpp"

namespace mailtls::server::store {
namespace {

const std::string sha512_pw =
    "{SHA512-CRYPT}$6$abc$MtSdWSZbhct2oe.SOqOUM2M/GA/uj5.vyVtJgRHgKi9uqXuWuJqOYE7H/YlsYGVg/"
    "YYzDV0xt3fEIwYt580.5.";
const std::string sha256_pw = "{SHA256-CRYPT}$5$abc$/LKlXd6vuvdFX3oWbf2vGk3DgflzzsvOtMZsiOxqqY5";

struct parse_case {
  std::string text;
  std::error_code ec;
  std::string message;
};

TEST(accounts, parses_docker_mailserver_file) {
  account_table t;
  std::string msg = "stale";
  const std::string text = "# accounts\n\nalice@Example.ORG|" + sha512_pw +
                           "\r\n  bob@example.org|" + sha256_pw +
                           "  \n\t# indented comment\ncarol@other.test|" + sha512_pw;
  ASSERT_EQ(t.parse(text, "postfix-accounts.cf", msg), std::error_code{});
  EXPECT_EQ(msg, "");
  ASSERT_EQ(t.accounts().size(), 3u);
  EXPECT_EQ(t.accounts()[0], (account{"alice@example.org", sha512_pw, 3}));
  EXPECT_EQ(t.accounts()[1], (account{"bob@example.org", sha256_pw, 4}));
  EXPECT_EQ(t.accounts()[2], (account{"carol@other.test", sha512_pw, 6}));
  EXPECT_EQ(t.domains(), (std::vector<std::string>{"example.org", "other.test"}));
  ASSERT_NE(t.find("alice@EXAMPLE.org"), nullptr);
  EXPECT_EQ(t.find("Alice@example.org"), nullptr);  // local parts are case-sensitive
  EXPECT_EQ(t.authenticate("alice@example.ORG", "pw"), "alice@example.org");
  EXPECT_EQ(t.authenticate("bob@example.org", "pw"), "bob@example.org");
  EXPECT_EQ(t.authenticate("alice@example.org", "wrong"), std::nullopt);
  EXPECT_EQ(t.authenticate("nobody@example.org", "pw"), std::nullopt);
}

TEST(accounts, errors_name_file_and_line) {
  const std::vector<parse_case> cases = {
      {"# c\nalice@example.org " + sha512_pw + "\n", store_errc::missing_separator,
       "f.cf:2: expected address|{SCHEME}hash"},
      {"alice@example.org|" + sha512_pw + "|extra\n", store_errc::too_many_fields,
       "f.cf:1: more than two '|'-separated fields"},
      {"\n\nalice|" + sha512_pw + "\n", store_errc::bad_address, "f.cf:3: invalid account address"},
      {"../x@example.org|" + sha512_pw + "\n", store_errc::bad_address,
       "f.cf:1: invalid account address"},
      {"a/b@example.org|" + sha512_pw + "\n", store_errc::bad_address,
       "f.cf:1: invalid account address"},
      {"a@exa_mple.org|" + sha512_pw + "\n", store_errc::bad_address,
       "f.cf:1: invalid account address"},
      {"a@..|" + sha512_pw + "\n", store_errc::bad_address, "f.cf:1: invalid account address"},
      {"alice@example.org|{PLAIN}secret\n", store_errc::unsupported_scheme,
       "f.cf:1: unsupported password scheme (use SHA512-CRYPT, SHA256-CRYPT or BLF-CRYPT)"},
      {"alice@example.org|{CRAM-MD5}abcdef\n", store_errc::unsupported_scheme,
       "f.cf:1: unsupported password scheme (use SHA512-CRYPT, SHA256-CRYPT or BLF-CRYPT)"},
      {"alice@example.org|{SHA512-CRYPT}$5$abc$x\n", store_errc::bad_hash,
       "f.cf:1: malformed password hash"},
      {"alice@example.org|" + sha512_pw + "\n#\nALICE@example.org|" + sha512_pw + "\n" +
           "alice@EXAMPLE.org|" + sha256_pw + "\n",
       store_errc::duplicate_account,
       "f.cf:4: duplicate account alice@example.org (first on line 1)"},
  };
  for (const auto& c : cases) {
    account_table t;
    std::string msg;
    EXPECT_EQ(t.parse(c.text, "f.cf", msg), c.ec) << c.text;
    EXPECT_EQ(msg, c.message) << c.text;
    EXPECT_TRUE(t.accounts().empty());
  }
}

TEST(accounts, address_validation) {
  EXPECT_TRUE(valid_account_address("a@b.c"));
  EXPECT_TRUE(valid_account_address("first.last+tag@sub.example.org"));
  EXPECT_FALSE(valid_account_address("@example.org"));
  EXPECT_FALSE(valid_account_address(".hidden@example.org"));
  EXPECT_FALSE(valid_account_address("a b@example.org"));
  EXPECT_FALSE(valid_account_address("a@-example.org"));
  EXPECT_FALSE(valid_account_address("a@example-.org"));
  EXPECT_FALSE(valid_account_address("a@example.org."));
  EXPECT_FALSE(valid_account_address("a@"));
  EXPECT_FALSE(valid_account_address(std::string(65, 'a') + "@example.org"));
}

TEST(accounts, load_reports_missing_and_oversized_files) {
  test::temp_dir dir;
  account_table t;
  std::string msg;
  EXPECT_EQ(t.load(dir / "missing.cf", msg), std::errc::no_such_file_or_directory);
  EXPECT_EQ(msg, dir / "missing.cf" + ": No such file or directory");
  test::write_text(dir / "big.cf", std::string(100, '#'));
  EXPECT_EQ(t.load(dir / "big.cf", msg, accounts_limits{64}), store_errc::file_too_large);
  test::write_text(dir / "ok.cf", "a@b.test|" + sha512_pw + "\n");
  EXPECT_EQ(t.load(dir / "ok.cf", msg), std::error_code{});
  EXPECT_EQ(t.authenticate("a@b.test", "pw"), "a@b.test");
}

TEST(accounts, add_user_creates_a_missing_state_directory_private) {
  test::temp_dir tmp;
  const std::filesystem::path base(tmp.path());
  const auto file = (base / "new-state" / "sub" / "postfix-accounts.cf").string();
  std::string message;
  ASSERT_FALSE(add_user(file, "bob@example.org", "pw", message)) << message;
  const auto perms = std::filesystem::status(base / "new-state" / "sub").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
  account_table table;
  ASSERT_FALSE(table.load(file, message)) << message;
  EXPECT_TRUE(table.authenticate("bob@example.org", "pw").has_value());
}

TEST(accounts, add_user_creates_appends_and_replaces) {
  test::temp_dir dir;
  const auto file = dir / "postfix-accounts.cf";
  std::string msg;
  ASSERT_EQ(add_user(file, "alice@Example.org", "one", msg), std::error_code{}) << msg;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // Keep a comment in the file: it must survive.
  test::write_text(file, "# managed by test\n" + test::slurp(file));
  ASSERT_EQ(add_user(file, "bob@example.org", "two", msg), std::error_code{}) << msg;
  ASSERT_EQ(add_user(file, "alice@example.ORG", "three", msg), std::error_code{}) << msg;

  account_table t;
  ASSERT_EQ(t.load(file, msg), std::error_code{}) << msg;
  ASSERT_EQ(t.accounts().size(), 2u);
  EXPECT_EQ(t.authenticate("alice@example.org", "three"), "alice@example.org");
  EXPECT_EQ(t.authenticate("alice@example.org", "one"), std::nullopt);
  EXPECT_EQ(t.authenticate("bob@example.org", "two"), "bob@example.org");
  const auto text = test::slurp(file);
  EXPECT_TRUE(text.starts_with("# managed by test\nalice@example.org|{SHA512-CRYPT}$6$")) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_EQ(t.find("alice@example.org")->line, 2u);  // replaced in place
  // No temporary files are left behind.
  EXPECT_EQ(test::entries(dir.path()), (std::vector<std::string>{"postfix-accounts.cf"}));
}

TEST(accounts, add_user_refuses_bad_input_and_broken_files) {
  test::temp_dir dir;
  const auto file = dir / "a.cf";
  std::string msg;
  EXPECT_EQ(add_user(file, "no-at-sign", "pw", msg), store_errc::bad_address);
  EXPECT_EQ(add_user(file, "a@b.test", std::string_view("p\0w", 3), msg), store_errc::bad_password);
  test::write_text(file, "ok@b.test|" + sha512_pw + "\nbroken line\n");
  EXPECT_EQ(add_user(file, "a@b.test", "pw", msg), store_errc::missing_separator);
  EXPECT_EQ(msg, file + ":2: expected address|{SCHEME}hash");
  EXPECT_EQ(test::slurp(file), "ok@b.test|" + sha512_pw + "\nbroken line\n");  // untouched
}

TEST(accounts, concurrent_add_user_loses_nothing) {
  test::temp_dir dir;
  const auto file = dir / "a.cf";
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&file, i] {
      std::string msg;
      EXPECT_EQ(add_user(file, "u" + std::to_string(i) + "@d.test", "pw", msg), std::error_code{});
    });
  }
  for (auto& t : threads)
    t.join();
  account_table t;
  std::string msg;
  ASSERT_EQ(t.load(file, msg), std::error_code{}) << msg;
  EXPECT_EQ(t.accounts().size(), 4u);
}

}  // namespace
}  // namespace mailtls::server::store
