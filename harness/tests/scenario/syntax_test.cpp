#include "scenario/syntax.hpp"

#include <gtest/gtest.h>

namespace mailtls::scenario {
namespace {

TEST(scenario_syntax, refs) {
  EXPECT_TRUE(is_ref("RFC 3207"));
  EXPECT_TRUE(
      is_ref("RFC 5321 \xC2\xA7"
             "4.5.3.1.4"));
  EXPECT_TRUE(
      is_ref("RFC 3501 \xC2\xA7"
             "A.1"));
  EXPECT_TRUE(is_ref("CVE-2023-51764"));
  EXPECT_TRUE(is_ref("CVE-2021-123456"));
  EXPECT_FALSE(is_ref("CVE-2021-123"));
  EXPECT_FALSE(is_ref("CVE-21-1234"));
  EXPECT_FALSE(is_ref("rfc 3207"));
  EXPECT_FALSE(is_ref("RFC3207"));
  EXPECT_FALSE(is_ref("RFC 3207 4"));
  EXPECT_FALSE(is_ref("RFC 3207 \xC2\xA7"));
  EXPECT_FALSE(is_ref("RFC x"));
}

TEST(scenario_syntax, names_and_ids) {
  EXPECT_TRUE(is_name("sasl_plain2"));
  EXPECT_FALSE(is_name("2x"));
  EXPECT_FALSE(is_name("Upper"));
  EXPECT_TRUE(is_id("smtp-starttls-1"));
  EXPECT_FALSE(is_id("smtp_starttls"));
  EXPECT_FALSE(is_id(""));
}

TEST(scenario_syntax, comment_start) {
  EXPECT_EQ(comment_start("# x"), 0u);
  EXPECT_EQ(comment_start("C: a # b"), 5u);
  EXPECT_EQ(comment_start("C: a#b"), std::string_view::npos);
  EXPECT_EQ(comment_start("send \"# \\\" #\" # c"), 14u);
}

TEST(scenario_syntax, durations) {
  std::uint32_t ms = 0;
  EXPECT_FALSE(parse_duration("300ms", 0, 1000, ms));
  EXPECT_EQ(ms, 300u);
  EXPECT_FALSE(parse_duration("2s", 0, 5000, ms));
  EXPECT_EQ(ms, 2000u);
  EXPECT_EQ(parse_duration("6s", 0, 5000, ms)->code, scenario_errc::duration_out_of_range);
  EXPECT_EQ(parse_duration("s", 0, 5000, ms)->code, scenario_errc::bad_duration);
  EXPECT_EQ(parse_duration("-1s", 0, 5000, ms)->code, scenario_errc::bad_duration);
  EXPECT_EQ(parse_duration("1.5s", 0, 5000, ms)->code, scenario_errc::bad_duration);
}

TEST(scenario_syntax, quote_then_parse_quoted_round_trips_every_byte) {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<char>(i));
  const auto q = quote(all);
  std::string back;
  std::size_t pos = 0;
  ASSERT_FALSE(parse_quoted(q, pos, back));
  EXPECT_EQ(pos, q.size());
  EXPECT_EQ(back, all);
}

}  // namespace
}  // namespace mailtls::scenario
