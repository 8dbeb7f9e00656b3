#include "codec/sasl/mechanism.hpp"

#include <gtest/gtest.h>

namespace mailtls::codec::sasl {
namespace {

TEST(mechanism, names) {
  EXPECT_EQ(parse_mechanism("PLAIN"), mechanism::plain);
  EXPECT_EQ(parse_mechanism("plain"), mechanism::plain);
  EXPECT_EQ(parse_mechanism("LoGiN"), mechanism::login);
  EXPECT_EQ(parse_mechanism("CRAM-MD5"), std::nullopt);
  EXPECT_EQ(parse_mechanism("PLAIN "), std::nullopt);
  EXPECT_EQ(parse_mechanism(""), std::nullopt);
  EXPECT_STREQ(to_string(mechanism::plain), "PLAIN");
  EXPECT_STREQ(to_string(mechanism::login), "LOGIN");
}

}  // namespace
}  // namespace mailtls::codec::sasl
