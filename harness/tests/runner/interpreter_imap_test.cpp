// The interpreter against IMAP responses: tagged completions with untagged data before them
// (RFC 9051 §2.2.2), greeting [CAPABILITY] codes, tags, continuation requests, untagged matchers.
#include <gtest/gtest.h>

#include "interp_fixture.hpp"

namespace mailtls::runner::test {
namespace {

TEST(interpreter_imap, greeting_capability_code_and_tagged_completion) {
  session t(
      "S: * OK [+STARTTLS +LOGINDISABLED]\n"
      "C: a1 CAPABILITY\n"
      "S: tag OK [+IMAP4rev1 +STARTTLS +AUTH -AUTH=PLAIN]\n"
      "C: a2 LOGOUT\n"
      "S: * BYE *\n"
      "S: tag OK *\n"
      "expect close\n",
      service::imap);
  EXPECT_EQ(t.start(), "read 5000ms");
  EXPECT_EQ(t.bytes("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n"),
            "send \"a1 CAPABILITY\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI\r\n"), "read 5000ms");
  EXPECT_EQ(t.bytes("a1 OK done\r\n"), "send \"a2 LOGOUT\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("* BYE logging out\r\na2 OK bye\r\n"), "read 5000ms");
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
}

TEST(interpreter_imap, a_tolerated_status_passes_with_a_note) {
  session t("C: x LOGIN a b\nS: x {NO,~BAD} *\n", service::imap);
  t.start();
  EXPECT_EQ(t.bytes("x BAD [PRIVACYREQUIRED] no\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.v().notes, std::vector<std::string>{"tolerated reply x BAD (conformant: NO)"});
  session u("C: x LOGIN a b\nS: x {NO,~BAD} *\n", service::imap);
  u.start();
  u.bytes("x OK welcome\r\n");
  EXPECT_EQ(u.v().reason, "expected x NO (tolerated: BAD), got x OK");
}

TEST(interpreter_imap, capabilities_of_the_tagged_code_count_too) {
  session t("C: a1 LOGIN u p\nS: tag OK [-IMAP4rev1]\n", service::imap);
  t.start();
  EXPECT_EQ(t.bytes("a1 OK [CAPABILITY IMAP4rev1 IDLE] logged in\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected the server not to offer IMAP4rev1, it does");
}

TEST(interpreter_imap, assertions_without_any_capability_list_fail) {
  session t("C: a1 NOOP\nS: tag OK [+IDLE]\n", service::imap);
  t.start();
  t.bytes("a1 OK done\r\n");
  EXPECT_EQ(t.v().reason, "expected a capability list in the reply, got none");
}

TEST(interpreter_imap, tag_mismatch_fails) {
  session t("C: a1 NOOP\nS: tag OK *\n", service::imap);
  t.start();
  EXPECT_EQ(t.bytes("* 3 EXISTS\r\nb7 OK done\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected the tag a1, got 'b7'");
  EXPECT_EQ(t.v().got, "* 3 EXISTS\nb7 OK done");
}

TEST(interpreter_imap, status_mismatch_and_literal_tags) {
  session t("C: x LOGIN a b\nS: x {NO,BAD} *\n", service::imap);
  t.start();
  t.bytes("x OK [CAPABILITY IMAP4rev1] welcome\r\n");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected x NO or BAD, got x OK");
}

TEST(interpreter_imap, completion_text_matches_with_or_without_the_code) {
  session t("C: a1 LOGIN a b\nS: tag NO *disabled* -> why\nC: a2 NOOP ${why}\nS: tag OK done\n",
            service::imap);
  t.start();
  EXPECT_EQ(t.bytes("a1 NO [PRIVACYREQUIRED] LOGIN disabled\r\n"),
            "send \"a2 NOOP LOGIN disabled\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("a2 OK [READ-WRITE] done\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
}

TEST(interpreter_imap, continuation_keeps_the_command_tag) {
  session t("C: a1 AUTHENTICATE PLAIN\nS: + *\nC: ${sasl_plain}\nS: tag OK *\n", service::imap);
  t.start();
  EXPECT_EQ(t.bytes("+ \r\n"), "send \"AGFsaWNlAHMzY3JldA==\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("a1 OK authenticated\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
}

TEST(interpreter_imap, a_continuation_instead_of_a_completion_fails) {
  session t("C: a1 NOOP\nS: tag OK *\n", service::imap);
  t.start();
  t.bytes("+ go on\r\n");
  EXPECT_EQ(t.v().reason, "expected a tagged completion, got '+ go on'");
}

TEST(interpreter_imap, untagged_matchers_look_at_the_next_response_only) {
  session t("C: a1 SELECT INBOX\nS: * 3 EXISTS\nS: * FLAGS *Seen*\nS: * EXISTS\n", service::imap);
  t.start();
  EXPECT_EQ(t.bytes("* 3 EXISTS\r\n* FLAGS (\\Seen \\Deleted)\r\n"), "read 5000ms");
  EXPECT_EQ(t.bytes("* OK [UIDNEXT 4] next\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected an untagged EXISTS response, got '* OK [UIDNEXT 4] next'");
  EXPECT_EQ(t.v().line, 4u);
}

TEST(interpreter_imap, tag_before_any_command_is_an_error) {
  session t("S: tag OK *\n", service::imap);
  EXPECT_EQ(t.start(), "close");
  EXPECT_EQ(t.v().result, outcome::error);
  EXPECT_EQ(t.v().reason, "'S: tag ...' before any IMAP command: there is no tag to match");
}

TEST(interpreter_imap, literals_are_read_whole_whatever_the_split) {
  constexpr std::string_view scn =
      "S: * OK *\nC: a1 FETCH 1 BODY[]\nS: tag OK *\nC: a2 LOGOUT\nS: * BYE\nS: tag OK\n";
  const std::vector<std::string> server = {
      "* OK ready\r\n* 1 FETCH (BODY[] {12}\r\nSubject: x\r\n)\r\na1 OK done\r\n"
      "* BYE bye\r\na2 OK bye\r\n"};
  const auto whole = replay(scn, service::imap, server, 1000);
  EXPECT_NE(whole.find("pass: \n"), std::string::npos) << whole;
  for (std::size_t chunk : {1u, 3u, 11u}) {
    EXPECT_EQ(replay(scn, service::imap, server, chunk), whole) << "chunk " << chunk;
  }
}

}  // namespace
}  // namespace mailtls::runner::test
