#include "codec/smtp/ehlo.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/smtp/errc.hpp"
#include "codec/smtp/reply_parser.hpp"

namespace mailtls::codec::smtp {
namespace {

using strings = std::vector<std::string>;

reply parse_reply(std::string_view in) {
  reply_parser p;
  EXPECT_TRUE(p.parse(in).is_complete()) << in;
  return p.get();
}

strings to_vec(std::span<const std::string> s) {
  return strings(s.begin(), s.end());
}

TEST(ehlo, capabilities_from_reply) {
  const reply r = parse_reply(
      "250-mx.example Hello client [192.0.2.1]\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n"
      "250-8bitmime\r\n250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN LOGIN XOAUTH2\r\n"
      "250-ENHANCEDSTATUSCODES\r\n250-bad_keyword\r\n250-DSN\r\n250 STARTTLS\r\n");
  ehlo_capabilities caps;
  ASSERT_FALSE(caps.parse(r));
  EXPECT_EQ(caps.domain(), "mx.example");
  EXPECT_EQ(caps.greeting(), "Hello client [192.0.2.1]");
  EXPECT_TRUE(caps.has("starttls"));
  EXPECT_TRUE(caps.has(ehlo_keyword::eight_bit_mime));
  EXPECT_TRUE(caps.has("DSN"));
  EXPECT_FALSE(caps.has("SMTPUTF8"));
  EXPECT_FALSE(caps.has("CHUNKING"));
  EXPECT_EQ(to_vec(caps.params("auth")), (strings{"PLAIN", "LOGIN", "XOAUTH2"}));
  EXPECT_TRUE(caps.find("AUTH")->legacy_auth);
  EXPECT_EQ(caps.size_limit(), 35882577u);
  EXPECT_EQ(caps.malformed_lines(), 1u);
  EXPECT_EQ(caps.all().size(), 7u);
  EXPECT_TRUE(caps.params("PIPELINING").empty());
  EXPECT_TRUE(caps.params("NOPE").empty());
}

TEST(ehlo, legacy_auth_alone) {
  ehlo_capabilities caps;
  ASSERT_FALSE(caps.parse(parse_reply("250-mx\r\n250 AUTH=LOGIN PLAIN\r\n")));
  EXPECT_EQ(to_vec(caps.params("AUTH")), (strings{"LOGIN", "PLAIN"}));
}

TEST(ehlo, single_line_reply_has_no_capabilities) {
  ehlo_capabilities caps;
  ASSERT_FALSE(caps.parse(parse_reply("250 mx.example\r\n")));
  EXPECT_EQ(caps.domain(), "mx.example");
  EXPECT_TRUE(caps.all().empty());
  EXPECT_FALSE(caps.size_limit());
}

TEST(ehlo, not_a_250_reply) {
  ehlo_capabilities caps;
  EXPECT_EQ(caps.parse(parse_reply("502 5.5.1 EHLO not supported\r\n")), smtp_errc::not_ehlo_reply);
  EXPECT_TRUE(caps.all().empty());
}

TEST(ehlo, builder_round_trip) {
  ehlo_capabilities caps;
  caps.set_domain("mx.example", "at your service");
  caps.add("pipelining");
  caps.add(ehlo_keyword::size, {"10485760"});
  caps.add(ehlo_keyword::auth, {"PLAIN", "LOGIN"});
  caps.add(ehlo_keyword::starttls);
  std::string out;
  serialize(caps.to_reply(), out);
  EXPECT_EQ(out,
            "250-mx.example at your service\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n"
            "250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n");
  ehlo_capabilities back;
  ASSERT_FALSE(back.parse(parse_reply(out)));
  EXPECT_EQ(back, caps);
  EXPECT_EQ(back.size_limit(), 10485760u);
}

TEST(ehlo, legacy_builder_round_trip) {
  ehlo_capabilities caps;
  ASSERT_FALSE(caps.parse(parse_reply("250-mx\r\n250 AUTH=PLAIN\r\n")));
  std::string out;
  serialize(caps.to_reply(), out);
  EXPECT_EQ(out, "250-mx\r\n250-AUTH PLAIN\r\n250 AUTH=PLAIN\r\n");
  ehlo_capabilities back;
  ASSERT_FALSE(back.parse(parse_reply(out)));
  EXPECT_EQ(back, caps);
}

}  // namespace
}  // namespace mailtls::codec::smtp
