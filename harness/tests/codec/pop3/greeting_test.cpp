#include "codec/pop3/greeting.hpp"

#include <gtest/gtest.h>

namespace mailtls::codec::pop3 {
namespace {

TEST(greeting, finds_the_apop_timestamp) {
  // RFC 1939 §7 example.
  const auto t = find_apop_timestamp("POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->value, "<1896.697170952@dbc.mtview.ca.us>");
  EXPECT_TRUE(t->msg_id);
}

TEST(greeting, no_timestamp_means_no_apop) {
  EXPECT_FALSE(find_apop_timestamp("POP3 server ready").has_value());
  EXPECT_FALSE(find_apop_timestamp("ready <>").has_value());
  EXPECT_FALSE(find_apop_timestamp("ready <unterminated").has_value());
  EXPECT_FALSE(find_apop_timestamp("<").has_value());
}

TEST(greeting, weak_timestamps_are_flagged) {
  const auto t = find_apop_timestamp("ready <12345>");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->value, "<12345>");
  EXPECT_FALSE(t->msg_id);
  const auto s = find_apop_timestamp("x <a b@c>");
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->msg_id);
  const auto u = find_apop_timestamp("x <@c>");
  ASSERT_TRUE(u.has_value());
  EXPECT_FALSE(u->msg_id);
}

TEST(greeting, skips_broken_brackets) {
  const auto t = find_apop_timestamp("a <b <1.2@host> c");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->value, "<1.2@host>");
  EXPECT_TRUE(t->msg_id);
}

}  // namespace
}  // namespace mailtls::codec::pop3
