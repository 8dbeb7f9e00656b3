#include "codec/smtp/reply.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mailtls::codec::smtp {
namespace {

TEST(reply, enhanced_status_codes) {
  // RFC 3463 §2: class 2/4/5, subject and detail 1*3digit.
  EXPECT_EQ(parse_enhanced_status("2.0.0 Ok"), (enhanced_status{2, 0, 0}));
  EXPECT_EQ(parse_enhanced_status("5.7.1"), (enhanced_status{5, 7, 1}));
  EXPECT_EQ(parse_enhanced_status("4.999.999 x"), (enhanced_status{4, 999, 999}));
  std::size_t len = 0;
  ASSERT_TRUE(parse_enhanced_status("5.1.10 bad", &len));
  EXPECT_EQ(len, 6u);
  EXPECT_FALSE(parse_enhanced_status("3.0.0 x"));
  EXPECT_FALSE(parse_enhanced_status("2.0 x"));
  EXPECT_FALSE(parse_enhanced_status("2.1000.0"));
  EXPECT_FALSE(parse_enhanced_status("2.0.0x"));
  EXPECT_FALSE(parse_enhanced_status("2..0"));
  EXPECT_FALSE(parse_enhanced_status(""));
  EXPECT_EQ((enhanced_status{5, 7, 1}).to_string(), "5.7.1");
}

TEST(reply, helpers) {
  reply r{550, {"5.7.1 Relaying denied", "5.7.1 see policy"}};
  EXPECT_EQ(r.enhanced(), (enhanced_status{5, 7, 1}));
  EXPECT_EQ(r.enhanced(1), (enhanced_status{5, 7, 1}));
  EXPECT_FALSE(r.enhanced(2));
  EXPECT_EQ(r.text(), "5.7.1 Relaying denied\n5.7.1 see policy");
  EXPECT_TRUE(r.is_permanent_negative());
  EXPECT_FALSE(r.is_positive());
  EXPECT_EQ(r.digit(0), 5);
  EXPECT_EQ(r.digit(1), 5);
  EXPECT_EQ(r.digit(2), 0);
  EXPECT_TRUE((reply{354, {"go"}}).is_positive_intermediate());
  EXPECT_TRUE((reply{354, {"go"}}).is_positive());
  EXPECT_TRUE((reply{421, {"bye"}}).is_transient_negative());
  EXPECT_TRUE((reply{250, {"ok"}}).is_positive_completion());
}

TEST(reply, serialize) {
  std::string out;
  serialize(reply{250, {"mx", "PIPELINING", "STARTTLS"}}, out);
  EXPECT_EQ(out, "250-mx\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
  out.clear();
  serialize(reply{354, {""}}, out);
  EXPECT_EQ(out, "354\r\n");
  out.clear();
  serialize(reply{221, {}}, out);
  EXPECT_EQ(out, "221\r\n");
  out.clear();
  serialize_reply(501, "5.5.4 Syntax error", out);
  EXPECT_EQ(out, "501 5.5.4 Syntax error\r\n");
}

}  // namespace
}  // namespace mailtls::codec::smtp
