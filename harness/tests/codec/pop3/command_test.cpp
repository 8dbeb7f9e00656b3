#include "codec/pop3/command.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mailtls::codec::pop3 {
namespace {

std::string ser(const command& c) {
  std::string out;
  serialize(c, out);
  return out;
}

TEST(command, serializes_every_kind) {
  EXPECT_EQ(ser({.kind = command_kind::user, .argument = "bob"}), "USER bob\r\n");
  EXPECT_EQ(ser({.kind = command_kind::pass, .argument = "a b"}), "PASS a b\r\n");
  EXPECT_EQ(ser({.kind = command_kind::apop, .argument = "mrose", .digest = "00ff"}),
            "APOP mrose 00ff\r\n");
  EXPECT_EQ(ser({.kind = command_kind::stat}), "STAT\r\n");
  EXPECT_EQ(ser({.kind = command_kind::list}), "LIST\r\n");
  EXPECT_EQ(ser({.kind = command_kind::list, .msg = 7}), "LIST 7\r\n");
  EXPECT_EQ(ser({.kind = command_kind::retr, .msg = 2147483647}), "RETR 2147483647\r\n");
  EXPECT_EQ(ser({.kind = command_kind::top, .msg = 1, .lines = 0}), "TOP 1 0\r\n");
  EXPECT_EQ(ser({.kind = command_kind::uidl, .msg = 3}), "UIDL 3\r\n");
  EXPECT_EQ(ser({.kind = command_kind::stls}), "STLS\r\n");
  EXPECT_EQ(ser({.kind = command_kind::capa}), "CAPA\r\n");
  EXPECT_EQ(ser({.kind = command_kind::auth}), "AUTH\r\n");
  EXPECT_EQ(ser({.kind = command_kind::auth, .argument = "PLAIN", .initial_response = "="}),
            "AUTH PLAIN =\r\n");
  EXPECT_EQ(ser({.kind = command_kind::sasl_response, .argument = "dGVzdA=="}), "dGVzdA==\r\n");
  EXPECT_EQ(ser({.kind = command_kind::sasl_response, .cancel = true}), "*\r\n");
}

TEST(command, knows_which_answers_are_multi_line) {
  // RFC 1939 §3/§5/§7, RFC 2449 §5.
  EXPECT_TRUE((command{.kind = command_kind::capa}.expects_multi_line()));
  EXPECT_TRUE((command{.kind = command_kind::list}.expects_multi_line()));
  EXPECT_FALSE((command{.kind = command_kind::list, .msg = 1}.expects_multi_line()));
  EXPECT_TRUE((command{.kind = command_kind::uidl}.expects_multi_line()));
  EXPECT_FALSE((command{.kind = command_kind::uidl, .msg = 1}.expects_multi_line()));
  EXPECT_TRUE((command{.kind = command_kind::retr, .msg = 1}.expects_multi_line()));
  EXPECT_TRUE((command{.kind = command_kind::top, .msg = 1}.expects_multi_line()));
  EXPECT_TRUE((command{.kind = command_kind::auth}.expects_multi_line()));
  EXPECT_FALSE((command{.kind = command_kind::auth, .argument = "PLAIN"}.expects_multi_line()));
  EXPECT_FALSE((command{.kind = command_kind::stat}.expects_multi_line()));
  EXPECT_FALSE((command{.kind = command_kind::stls}.expects_multi_line()));
}

TEST(command, keywords) {
  EXPECT_EQ(keyword(command_kind::top), "TOP");
  EXPECT_EQ(keyword(command_kind::stls), "STLS");
  EXPECT_EQ(keyword(command_kind::sasl_response), "");
}

}  // namespace
}  // namespace mailtls::codec::pop3
