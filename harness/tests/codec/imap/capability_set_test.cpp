#include "codec/imap/capability_set.hpp"

#include <gtest/gtest.h>

#include "codec/imap/response_parser.hpp"

namespace mailtls::codec::imap {
namespace {

TEST(imap_capability_set, from_untagged_capability) {
  response_parser p;
  ASSERT_TRUE(p.parse("* CAPABILITY IMAP4rev2 starttls LOGINDISABLED AUTH=PLAIN auth=XOAUTH2\r\n")
                  .is_complete());
  const auto caps = capability_set::from_response(p.get());
  ASSERT_TRUE(caps.has_value());
  EXPECT_TRUE(caps->has("STARTTLS"));
  EXPECT_TRUE(caps->has("LoginDisabled"));
  EXPECT_FALSE(caps->has("IMAP4rev1"));
  EXPECT_EQ(caps->auth_mechanisms(), (std::vector<std::string>{"PLAIN", "XOAUTH2"}));
  EXPECT_TRUE(caps->has_auth("xoauth2"));
  EXPECT_FALSE(caps->has_auth("LOGIN"));
}

TEST(imap_capability_set, from_greeting_code_and_tagged_ok) {
  response_parser p;
  ASSERT_TRUE(p.parse("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n").is_complete());
  auto caps = capability_set::from_response(p.get());
  ASSERT_TRUE(caps.has_value());
  EXPECT_EQ(caps->items(), (std::vector<std::string>{"IMAP4rev1", "STARTTLS"}));
  ASSERT_TRUE(p.parse("a OK [CAPABILITY IMAP4rev1 AUTH=SCRAM-SHA-256] done\r\n").is_complete());
  caps = capability_set::from_response(p.get());
  ASSERT_TRUE(caps.has_value());
  EXPECT_EQ(caps->auth_mechanisms(), (std::vector<std::string>{"SCRAM-SHA-256"}));
  ASSERT_TRUE(p.parse("* OK [ALERT] hi\r\n").is_complete());
  EXPECT_FALSE(capability_set::from_response(p.get()).has_value());
  ASSERT_TRUE(p.parse("* 3 EXISTS\r\n").is_complete());
  EXPECT_FALSE(capability_set::from_response(p.get()).has_value());
}

TEST(imap_capability_set, builder_round_trips_through_the_parser) {
  capability_set caps;
  caps.add("IMAP4rev2").add("STARTTLS").add("starttls").add_auth("PLAIN").add("LOGINDISABLED");
  caps.remove("loginDISABLED");
  EXPECT_EQ(caps.items(), (std::vector<std::string>{"IMAP4rev2", "STARTTLS", "AUTH=PLAIN"}));
  std::string wire;
  serialize(caps.to_response(), wire);
  EXPECT_EQ(wire, "* CAPABILITY IMAP4rev2 STARTTLS AUTH=PLAIN\r\n");
  response_parser p;
  ASSERT_TRUE(p.parse(wire).is_complete());
  EXPECT_EQ(capability_set::from_response(p.get()), caps);

  wire.clear();
  serialize(response::make_status(response_status::ok, "ready", caps.to_code()), wire);
  EXPECT_EQ(wire, "* OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=PLAIN] ready\r\n");
  ASSERT_TRUE(p.parse(wire).is_complete());
  EXPECT_EQ(p.get().code, caps.to_code());
  EXPECT_EQ(capability_set::from_response(p.get()), caps);
}

}  // namespace
}  // namespace mailtls::codec::imap
