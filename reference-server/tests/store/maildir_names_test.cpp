#include "store/maildir_names.hpp"

#include <gtest/gtest.h>

#include <set>

#include "session/backend.hpp"

namespace mailtls::server::store {
namespace {

TEST(maildir_names, unique_names_are_distinct_and_valid_uidls) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto n = make_unique_name("mx.example.org");
    EXPECT_TRUE(valid_pop3_unique_id(n)) << n;
    EXPECT_EQ(n.find(':'), std::string::npos);
    EXPECT_TRUE(n.ends_with(".mx.example.org")) << n;
    seen.insert(n);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(maildir_names, host_is_escaped_and_name_capped) {
  const auto n = make_unique_name("a/b:c d");
  EXPECT_TRUE(n.ends_with(".a\\057b\\072cd")) << n;
  const auto long_name = make_unique_name(std::string(200, 'h'));
  EXPECT_EQ(long_name.size(), max_unique_name_length);
  EXPECT_TRUE(valid_pop3_unique_id(long_name));
  EXPECT_TRUE(make_unique_name("").ends_with(".localhost"));
}

TEST(maildir_names, pop3_unique_id_rules) {
  EXPECT_TRUE(valid_pop3_unique_id("!~"));
  EXPECT_FALSE(valid_pop3_unique_id(""));
  EXPECT_FALSE(valid_pop3_unique_id("a b"));
  EXPECT_FALSE(valid_pop3_unique_id(std::string(71, 'x')));
  EXPECT_TRUE(valid_pop3_unique_id(std::string(70, 'x')));
}

TEST(maildir_names, info_flags_round_trip) {
  const auto f = split_file_name("123.M1P2Q3R4.host:2,FRS");
  EXPECT_EQ(f.base, "123.M1P2Q3R4.host");
  EXPECT_EQ(f.flag_letters, "FRS");
  EXPECT_EQ(flags_from_letters("FRS"), flag_flagged | flag_answered | flag_seen);
  EXPECT_EQ(split_file_name("x:1,abc").flag_letters, "");
  EXPECT_EQ(split_file_name("x:1,abc").base, "x");
  EXPECT_EQ(split_file_name("plain").base, "plain");
  EXPECT_EQ(
      letters_from_flags(flag_seen | flag_draft | flag_deleted | flag_flagged | flag_answered),
      "DFRST");
  EXPECT_EQ(letters_from_flags(0), "");
  // Letters we do not model (P passed, keywords) are kept, in ASCII order.
  EXPECT_EQ(letters_from_flags(flag_seen, "PSTab"), "PSab");
  EXPECT_EQ(cur_file_name("b", "S"), "b:2,S");
  for (std::uint8_t flags = 0; flags < 32; ++flags) {
    EXPECT_EQ(flags_from_letters(letters_from_flags(flags)), flags);
  }
}

TEST(maildir_names, folder_names_round_trip) {
  EXPECT_TRUE(is_inbox("InBoX"));
  EXPECT_FALSE(is_inbox("INBOX2"));
  EXPECT_EQ(folder_directory("INBOX"), std::nullopt);
  EXPECT_EQ(folder_directory("Sent"), ".Sent");
  EXPECT_EQ(folder_directory("Archive/2024"), ".Archive.2024");
  EXPECT_EQ(folder_directory("v1.2 100%"), ".v1%2E2 100%25");
  EXPECT_EQ(folder_directory("a//b"), std::nullopt);
  EXPECT_EQ(folder_directory("/a"), std::nullopt);
  EXPECT_EQ(folder_directory("a/"), std::nullopt);
  EXPECT_EQ(folder_directory(""), std::nullopt);
  EXPECT_EQ(folder_directory("bad\nname"), std::nullopt);
  for (const char* name : {"Sent", "Archive/2024", "v1.2 100%", "&AMk-t&AOk-", "INBOX/x"}) {
    const auto dir = folder_directory(name);
    ASSERT_TRUE(dir) << name;
    EXPECT_EQ(mailbox_from_directory(*dir), name);
  }
  EXPECT_EQ(mailbox_from_directory("."), std::nullopt);
  EXPECT_EQ(mailbox_from_directory(".."), std::nullopt);
  EXPECT_EQ(mailbox_from_directory(".a..b"), std::nullopt);
  EXPECT_EQ(mailbox_from_directory(".a."), std::nullopt);
  EXPECT_EQ(mailbox_from_directory(".INBOX"), std::nullopt);
  EXPECT_EQ(mailbox_from_directory(".a%41"), std::nullopt);
  EXPECT_EQ(mailbox_from_directory("cur"), std::nullopt);
}

}  // namespace
}  // namespace mailtls::server::store
