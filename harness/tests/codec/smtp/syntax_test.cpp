#include "codec/smtp/syntax.hpp"

#include <gtest/gtest.h>

namespace mailtls::codec::smtp::syntax {
namespace {

TEST(syntax, domains) {
  bool u = false;
  EXPECT_EQ(check_domain("mx.example.org", u), npos);
  EXPECT_EQ(check_domain("a-b.c1", u), npos);
  EXPECT_EQ(check_domain("1", u), npos);
  EXPECT_FALSE(u);
  EXPECT_EQ(check_domain("", u), 0u);
  EXPECT_EQ(check_domain(".a", u), 0u);
  EXPECT_EQ(check_domain("a.", u), 1u);
  EXPECT_EQ(check_domain("a-.b", u), 1u);
  EXPECT_EQ(check_domain("a.-b", u), 2u);
  EXPECT_EQ(check_domain("a_b", u), 1u);
  EXPECT_EQ(check_domain("b\xc3\xbc.de", u), npos);
  EXPECT_TRUE(u);
}

TEST(syntax, address_literals) {
  EXPECT_EQ(check_address_literal("[192.0.2.255]"), npos);
  EXPECT_EQ(check_address_literal("[192.0.2.256]"), 0u);
  EXPECT_EQ(check_address_literal("[192.0.2]"), 0u);
  EXPECT_EQ(check_address_literal("[1.2.3.4.5]"), 0u);
  EXPECT_EQ(check_address_literal("[0001.2.3.4]"), 0u);
  EXPECT_EQ(check_address_literal("[IPv6:::]"), npos);
  EXPECT_EQ(check_address_literal("[ipv6:1:2:3:4:5:6:7:8]"), npos);
  EXPECT_EQ(check_address_literal("[IPv6:1:2:3:4:5:6:7]"), 0u);
  EXPECT_EQ(check_address_literal("[IPv6:1:2:3:4:5:6:7:8:9]"), 0u);
  EXPECT_EQ(check_address_literal("[IPv6:1::2:3:4:5:6]"), npos);
  EXPECT_EQ(check_address_literal("[IPv6:1::2:3:4:5:6:7]"), 0u);
  EXPECT_EQ(check_address_literal("[IPv6:1:2:3:4:5:6:1.2.3.4]"), npos);
  EXPECT_EQ(check_address_literal("[IPv6:::ffff:1.2.3.4]"), npos);
  EXPECT_EQ(check_address_literal("[IPv6:1:]"), 0u);
  EXPECT_EQ(check_address_literal("[IPv6:12345::]"), 0u);
  EXPECT_EQ(check_address_literal("[x-tag:any]"), npos);
  EXPECT_EQ(check_address_literal("[tag:]"), 0u);
  EXPECT_EQ(check_address_literal("[tag:a[b]"), 0u);
  EXPECT_EQ(check_address_literal("[]"), 0u);
  EXPECT_EQ(check_address_literal("1.2.3.4"), 0u);
}

TEST(syntax, local_parts) {
  bool u = false;
  std::size_t bad = 0;
  EXPECT_EQ(scan_local_part("john.doe@x", 0, u, bad), 8u);
  EXPECT_EQ(scan_local_part("\"a@b\\\"c\"@x", 0, u, bad), 8u);
  EXPECT_EQ(scan_local_part("a.@x", 0, u, bad), npos);
  EXPECT_EQ(bad, 1u);
  EXPECT_EQ(scan_local_part("\"a\x01\"@x", 0, u, bad), npos);
  EXPECT_EQ(bad, 2u);
  EXPECT_EQ(scan_local_part("@x", 0, u, bad), npos);
  EXPECT_EQ(bad, 0u);
  EXPECT_FALSE(u);
}

TEST(syntax, keywords_values_base64) {
  EXPECT_EQ(check_keyword("X-FOO1"), npos);
  EXPECT_EQ(check_keyword("-X"), 0u);
  EXPECT_EQ(check_keyword("A_B"), 1u);
  EXPECT_EQ(check_esmtp_value("rfc822;a@b"), npos);
  EXPECT_EQ(check_esmtp_value("a=b"), 1u);
  EXPECT_EQ(check_base64("AGFsaWNl"), npos);
  EXPECT_EQ(check_base64("AGFsaQ=="), npos);
  EXPECT_EQ(check_base64("AGFsaWM="), npos);
  EXPECT_EQ(check_base64("AG=s"), 3u);
  EXPECT_EQ(check_base64("AGF"), 3u);
  EXPECT_TRUE(iequals("Starttls", "STARTTLS"));
  EXPECT_FALSE(iequals("STARTTL", "STARTTLS"));
}

}  // namespace
}  // namespace mailtls::codec::smtp::syntax
