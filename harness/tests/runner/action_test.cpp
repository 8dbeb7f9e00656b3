// Printing of client-session actions and the names of result enums.
#include "runner/action.hpp"

#include <gtest/gtest.h>

#include "runner/result.hpp"
#include "runner/text.hpp"

namespace mailtls::runner {
namespace {

TEST(runner_action, to_string_is_one_escaped_line_per_action) {
  start_tls full;
  full.implicit = true;
  full.verify = false;
  full.sni = "mx";
  full.min = tls_version_limit::tls1_2;
  full.max = tls_version_limit::tls1_3;
  full.ciphers = "HIGH:!aNULL";
  const actions list = {send_bytes{std::string("EHLO x\r\n\x01\"\\", 11)}, start_tls{}, full,
                        read_bytes{250}, close_connection{}};
  EXPECT_EQ(to_string(list),
            "send \"EHLO x\\r\\n\\x01\\\"\\\\\"\n"
            "start_tls\n"
            "start_tls implicit insecure sni=mx min=TLSv1.2 max=TLSv1.3 ciphers=HIGH:!aNULL\n"
            "read 250ms\n"
            "close");
  EXPECT_EQ(to_string(actions{}), "");
}

TEST(runner_result, names) {
  EXPECT_EQ(to_name(outcome::pass), "pass");
  EXPECT_EQ(to_name(outcome::fail), "fail");
  EXPECT_EQ(to_name(outcome::error), "error");
  EXPECT_EQ(to_name(outcome::skip), "skip");
  EXPECT_EQ(to_name(limit_kind::step_timeout), "step-timeout");
  EXPECT_EQ(to_name(limit_kind::scenario_timeout), "scenario-timeout");
  EXPECT_EQ(to_name(limit_kind::reply_size), "reply-size");
  EXPECT_EQ(to_name(limit_kind::line_length), "line-length");
  EXPECT_EQ(to_name(limit_kind::transcript_size), "transcript-size");
  EXPECT_EQ(to_name(transcript_entry::direction::client), "C");
  EXPECT_EQ(to_name(transcript_entry::direction::server), "S");
  EXPECT_EQ(to_name(transcript_entry::direction::tls), "TLS");
  EXPECT_EQ(to_name(transcript_entry::direction::note), "--");
}

TEST(runner_text, glob) {
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("a*c", "abbbc"));
  EXPECT_TRUE(glob_match("A*C", "abc"));
  EXPECT_TRUE(glob_match("*esmtp*", "mx ESMTP Postfix"));
  EXPECT_TRUE(glob_match("**x", "x"));
  EXPECT_FALSE(glob_match("a*c", "abcd"));
  EXPECT_FALSE(glob_match("abc", "ab"));
  EXPECT_FALSE(glob_match("", "a"));
  EXPECT_TRUE(glob_match("TLS_*_SHA384", "TLS_AES_256_GCM_SHA384"));
}

TEST(runner_text, display_lines_split_at_crlf_and_escape) {
  EXPECT_EQ(display_lines("a\r\nb\nc\rd\r\n\x01\t\\"),
            (std::vector<std::string>{"a", "b\\nc\\rd", "\\x01\\t\\\\"}));
  EXPECT_EQ(display_lines(""), std::vector<std::string>{});
  EXPECT_EQ(display_lines("\r\n"), std::vector<std::string>{""});
  EXPECT_EQ(quoted("abcdef", 3), "'abc...'");
}

}  // namespace
}  // namespace mailtls::runner
