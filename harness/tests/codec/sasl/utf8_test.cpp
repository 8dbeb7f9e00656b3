#include "codec/sasl/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mailtls::codec::sasl {
namespace {

using namespace std::string_literals;

TEST(utf8, valid_sequences) {
  for (const std::string& s :
       {""s, "ascii"s, "\0"s, "\xC2\x80"s, "\xDF\xBF"s, "\xE0\xA0\x80"s, "\xED\x9F\xBF"s,
        "\xEE\x80\x80"s, "\xEF\xBF\xBF"s, "\xF0\x90\x80\x80"s, "\xF4\x8F\xBF\xBF"s,
        "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z"s}) {
    EXPECT_EQ(find_invalid_utf8(s), s.size()) << s;
  }
}

TEST(utf8, invalid_sequences_at_their_first_byte) {
  EXPECT_EQ(find_invalid_utf8("\x80"), 0u);              // lone continuation
  EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF"), 2u);        // overlong '/'
  EXPECT_EQ(find_invalid_utf8("\xC1\xBF"), 0u);          // overlong
  EXPECT_EQ(find_invalid_utf8("\xE0\x9F\xBF"), 0u);      // overlong 3-byte
  EXPECT_EQ(find_invalid_utf8("\xED\xA0\x80"), 0u);      // surrogate D800
  EXPECT_EQ(find_invalid_utf8("\xED\xBF\xBF"), 0u);      // surrogate DFFF
  EXPECT_EQ(find_invalid_utf8("\xF0\x8F\xBF\xBF"), 0u);  // overlong 4-byte
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // U+110000
  EXPECT_EQ(find_invalid_utf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(find_invalid_utf8("\xFF"), 0u);
  EXPECT_EQ(find_invalid_utf8("x\xE2\x82"), 1u);   // truncated at the end
  EXPECT_EQ(find_invalid_utf8("x\xE2\x82y"), 1u);  // truncated by ASCII
  EXPECT_EQ(find_invalid_utf8("\xF0\x9F\x98"), 0u);
  EXPECT_EQ(find_invalid_utf8("\xF0\x9F\x98\xC0"), 0u);  // bad 4th byte
}

}  // namespace
}  // namespace mailtls::codec::sasl
