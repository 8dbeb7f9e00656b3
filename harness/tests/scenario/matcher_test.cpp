#include "scenario/matcher.hpp"

#include <gtest/gtest.h>

namespace mailtls::scenario {
namespace {

reply_matcher ok(std::string_view text) {
  reply_matcher m;
  const auto e = parse_matcher(text, 0, m);
  EXPECT_FALSE(e.has_value()) << text << ": " << (e ? e->message : "");
  return m;
}

using kind = reply_matcher::kind;

TEST(scenario_matcher, smtp_codes_classes_and_sets) {
  auto m = ok("5xx *");
  EXPECT_EQ(m.kind_, kind::smtp);
  EXPECT_EQ(m.codes_, std::vector<std::string>{"5xx"});
  EXPECT_EQ(m.text_.kind_, text_pattern::kind::any);
  m = ok("{ 530 , 5x8 }");
  EXPECT_EQ(m.codes_, (std::vector<std::string>{"530", "5x8"}));
  EXPECT_TRUE(m.capabilities_.empty());
}

TEST(scenario_matcher, text_glob_regex_caps_and_capture) {
  auto m = ok("250 mx.example ESMTP* [+PIPELINING -CHUNKING] -> greeting");
  EXPECT_EQ(m.text_, (text_pattern{text_pattern::kind::glob, "mx.example ESMTP*"}));
  EXPECT_EQ(m.capabilities_,
            (std::vector<capability_assertion>{{"PIPELINING", true}, {"CHUNKING", false}}));
  EXPECT_EQ(m.capture_, "greeting");
  m = ok("220 /^[a-z.]+ ESMTP$/");
  EXPECT_EQ(m.text_, (text_pattern{text_pattern::kind::regex, "^[a-z.]+ ESMTP$"}));
}

TEST(scenario_matcher, bracket_text_that_is_not_an_assertion_list_stays_text) {
  const auto m = ok("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready");
  EXPECT_EQ(m.kind_, kind::imap_untagged);
  EXPECT_EQ(m.keyword_, "OK");
  EXPECT_EQ(m.text_.value_, "[CAPABILITY IMAP4rev1 STARTTLS] ready");
  EXPECT_TRUE(m.capabilities_.empty());
}

TEST(scenario_matcher, imap_forms) {
  auto m = ok("tag OK *");
  EXPECT_EQ(m.kind_, kind::imap_tagged);
  EXPECT_EQ(m.tag_, "tag");
  EXPECT_EQ(m.statuses_, std::vector<std::string>{"OK"});
  m = ok("a1 {NO,BAD} *");
  EXPECT_EQ(m.statuses_, (std::vector<std::string>{"NO", "BAD"}));
  m = ok("* CAPABILITY [+STARTTLS +LOGINDISABLED]");
  EXPECT_EQ(m.kind_, kind::imap_untagged);
  EXPECT_EQ(m.keyword_, "CAPABILITY");
  EXPECT_EQ(m.capabilities_.size(), 2u);
  EXPECT_EQ(ok("+ *").kind_, kind::imap_continuation);
}

TEST(scenario_matcher, pop3_forms) {
  EXPECT_EQ(ok("+OK *").kind_, kind::pop3_ok);
  const auto m = ok("-ERR [AUTH] *");
  EXPECT_EQ(m.kind_, kind::pop3_err);
  EXPECT_EQ(m.text_.value_, "[AUTH] *");
}

TEST(scenario_matcher, code_patterns) {
  EXPECT_TRUE(is_code_pattern("250"));
  EXPECT_TRUE(is_code_pattern("4xx"));
  EXPECT_FALSE(is_code_pattern("1xx"));
  EXPECT_FALSE(is_code_pattern("25"));
  EXPECT_FALSE(is_code_pattern("2500"));
  EXPECT_FALSE(is_code_pattern("x50"));
}

}  // namespace
}  // namespace mailtls::scenario
