#include "codec/pop3/capabilities.hpp"

#include <gtest/gtest.h>

#include <string>

#include "codec/pop3/response_parser.hpp"
#include "support/split_feed.hpp"

namespace mailtls::codec::pop3 {
namespace {

constexpr std::string_view capa_response =
    "+OK Capability list follows\r\n"
    "TOP\r\nUSER\r\nSASL PLAIN LOGIN SCRAM-SHA-256\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n"
    "PIPELINING\r\nEXPIRE 31 USER\r\nLOGIN-DELAY 900\r\nUIDL\r\nstls\r\n"
    "IMPLEMENTATION Example  POP3 Server\r\n.\r\n";

TEST(capabilities, parsed_from_a_capa_response) {
  // RFC 2449 §5-6, RFC 2595 §4.
  response_parser p;
  p.expect(response_kind::multi_line);
  ASSERT_TRUE(p.parse(capa_response).is_complete());
  const auto caps = capabilities::parse(p.message().body);
  EXPECT_TRUE(caps.has("STLS"));  // case-insensitive
  EXPECT_TRUE(caps.stls());
  EXPECT_TRUE(caps.user());
  EXPECT_TRUE(caps.top());
  EXPECT_TRUE(caps.uidl());
  EXPECT_TRUE(caps.pipelining());
  EXPECT_TRUE(caps.resp_codes());
  EXPECT_TRUE(caps.auth_resp_code());
  EXPECT_FALSE(caps.has("APOP"));
  EXPECT_EQ(caps.sasl_mechanisms(), (std::vector<std::string>{"PLAIN", "LOGIN", "SCRAM-SHA-256"}));
  EXPECT_EQ(caps.expire_days(), 31u);
  EXPECT_FALSE(caps.expire_never());
  EXPECT_EQ(caps.params("expire"), (std::vector<std::string>{"31", "USER"}));
  EXPECT_EQ(caps.login_delay(), 900u);
  EXPECT_EQ(caps.implementation(), "Example POP3 Server");
  EXPECT_EQ(caps.entries().size(), 11u);
  EXPECT_EQ(caps.find("stls")->name, "stls");
}

TEST(capabilities, absent_and_odd_values) {
  const auto caps = capabilities::parse("EXPIRE NEVER\nLOGIN-DELAY x\r\n\r\n   \r\n");
  EXPECT_TRUE(caps.expire_never());
  EXPECT_EQ(caps.expire_days(), std::nullopt);
  EXPECT_EQ(caps.login_delay(), std::nullopt);
  EXPECT_EQ(caps.implementation(), std::nullopt);
  EXPECT_TRUE(caps.sasl_mechanisms().empty());
  EXPECT_EQ(caps.entries().size(), 2u);
}

TEST(capabilities, builder_round_trips_through_the_wire) {
  capabilities caps;
  caps.add("USER").add("STLS").add("SASL", {"PLAIN", "XOAUTH2"}).add("IMPLEMENTATION", {"mailtls"});
  response r{.text = "Capability list follows", .multi_line = true};
  caps.append_body(r.body);
  EXPECT_EQ(r.body, "USER\r\nSTLS\r\nSASL PLAIN XOAUTH2\r\nIMPLEMENTATION mailtls\r\n");
  std::string wire;
  serialize(r, wire);
  const auto t = test::expect_split_invariant(
      wire,
      [] {
        response_parser p;
        p.expect(response_kind::multi_line);
        return p;
      },
      [](const response_parser& p) { return p.message().body; });
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(capabilities::parse(t[0]), caps);
}

}  // namespace
}  // namespace mailtls::codec::pop3
