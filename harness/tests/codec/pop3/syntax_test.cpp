#include "codec/pop3/syntax.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mailtls::codec::pop3 {
namespace {

constexpr auto npos = std::string_view::npos;

TEST(syntax, iequals) {
  EXPECT_TRUE(iequals("stls", "STLS"));
  EXPECT_FALSE(iequals("stl", "STLS"));
  EXPECT_FALSE(iequals("st1s", "STLS"));
}

TEST(syntax, base64) {
  // RFC 4648 §4.
  EXPECT_EQ(base64_error_at(""), npos);
  EXPECT_EQ(base64_error_at("dGVzdA=="), npos);
  EXPECT_EQ(base64_error_at("dGVzdGk="), npos);
  EXPECT_EQ(base64_error_at("a+/9"), npos);
  EXPECT_EQ(base64_error_at("abc"), 3u);
  EXPECT_EQ(base64_error_at("ab=c"), 2u);
  EXPECT_EQ(base64_error_at("a==="), 1u);
  EXPECT_EQ(base64_error_at("ab c"), 2u);
  EXPECT_EQ(base64_error_at("===="), 0u);
}

TEST(syntax, word_at_a_time_scans) {
  const std::string s = "0123456789abcdefghij klmnop";
  EXPECT_EQ(find_byte(s, 0, ' '), 20u);
  EXPECT_EQ(find_byte(s, 21, ' '), npos);
  EXPECT_EQ(find_byte(s, 3, '3'), 3u);
  EXPECT_EQ(find_byte("", 0, ' '), npos);
  // High-bit bytes are not controls; every position of a control is found exactly.
  EXPECT_EQ(find_control("\xc3\xa9t\xc3\xa9 \xff\x80\x81"
                         "abcdefgh"),
            npos);
  for (std::size_t at = 0; at < 20; ++at) {
    for (char c : {'\0', '\x1f', '\x7f', '\t'}) {
      std::string t(20, '\xe9');
      t[at] = c;
      EXPECT_EQ(find_control(t), at);
      t.assign(20, 'x');
      t[at] = c;
      EXPECT_EQ(find_byte(t, 0, c), at);
    }
  }
}

TEST(syntax, controls) {
  EXPECT_TRUE(is_control('\0'));
  EXPECT_TRUE(is_control('\x7f'));
  EXPECT_FALSE(is_control(' '));
  EXPECT_FALSE(is_control('\x80'));
}

}  // namespace
}  // namespace mailtls::codec::pop3
