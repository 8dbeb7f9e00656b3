#include "codec/pop3/response.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mailtls::codec::pop3 {
namespace {

std::string ser(const response& r) {
  std::string out;
  serialize(r, out);
  return out;
}

TEST(response, serializes_status_code_and_text) {
  EXPECT_EQ(ser({}), "+OK\r\n");
  EXPECT_EQ(ser({.status = response_status::err, .text = "no"}), "-ERR no\r\n");
  EXPECT_EQ(ser({.status = response_status::err, .code = {"SYS", "TEMP"}, .text = "later"}),
            "-ERR [SYS/TEMP] later\r\n");
  EXPECT_EQ(ser({.status = response_status::err, .code = {"IN-USE"}}), "-ERR [IN-USE]\r\n");
  EXPECT_EQ(ser({.status = response_status::continuation}), "+ \r\n");
  EXPECT_EQ(ser({.status = response_status::continuation, .text = "dGVzdA=="}), "+ dGVzdA==\r\n");
}

TEST(response, serializes_multi_line_with_dot_stuffing) {
  // RFC 1939 §3.
  EXPECT_EQ(ser({.text = "x", .multi_line = true, .body = ".a\r\nb\r\n.\r\n"}),
            "+OK x\r\n..a\r\nb\r\n..\r\n.\r\n");
  EXPECT_EQ(ser({.multi_line = true}), "+OK\r\n.\r\n");
  // Lines split at LF, unterminated last line terminated.
  EXPECT_EQ(ser({.multi_line = true, .body = "a\nb"}), "+OK\r\na\r\nb\r\n.\r\n");
}

TEST(response, response_code_grammar) {
  // RFC 2449 §3/§8.
  std::vector<std::string> code;
  EXPECT_EQ(parse_response_code("[SYS/TEMP] x", code), 11u);
  EXPECT_EQ(code, (std::vector<std::string>{"SYS", "TEMP"}));
  EXPECT_EQ(parse_response_code("[AUTH]", code), 6u);
  EXPECT_EQ(code, (std::vector<std::string>{"AUTH"}));
  EXPECT_EQ(parse_response_code("[]", code), 0u);
  EXPECT_TRUE(code.empty());
  EXPECT_EQ(parse_response_code("[A/]", code), 0u);
  EXPECT_EQ(parse_response_code("[A B]", code), 0u);
  EXPECT_EQ(parse_response_code("[A]B", code), 0u);
  EXPECT_EQ(parse_response_code("[A", code), 0u);
  EXPECT_EQ(parse_response_code("A]", code), 0u);
  EXPECT_TRUE(code.empty());
}

TEST(response, body_lines) {
  const response r{.multi_line = true, .body = "1 120\r\n2 300\r\n\r\n"};
  EXPECT_EQ(r.body_lines(), (std::vector<std::string_view>{"1 120", "2 300", ""}));
  EXPECT_TRUE(response{}.body_lines().empty());
}

}  // namespace
}  // namespace mailtls::codec::pop3
