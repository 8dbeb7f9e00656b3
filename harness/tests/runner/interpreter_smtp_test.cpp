// The interpreter against SMTP replies: greeting, EHLO capability assertions, code sets,
// multi-line replies, text patterns, captures, pipelined replies, split independence.
#include <gtest/gtest.h>

#include "interp_fixture.hpp"

namespace mailtls::runner::test {
namespace {

constexpr std::string_view ehlo_reply =
    "250-mx.test greets mailtls.test\r\n"
    "250-PIPELINING\r\n"
    "250-SIZE 10240000\r\n"
    "250-STARTTLS\r\n"
    "250 AUTH PLAIN LOGIN\r\n";

TEST(interpreter_smtp, greeting_ehlo_capabilities_and_quit_pass) {
  session t(
      "S: 220 *\n"
      "C: EHLO ${client_name}\n"
      "S: 250 [+STARTTLS +AUTH=plain -CHUNKING +size]\n"
      "C: QUIT\n"
      "S: 221 *\n"
      "expect close\n");
  EXPECT_EQ(t.start(), "read 5000ms");
  t.now = 10;
  EXPECT_EQ(t.bytes("220 mx.test ESMTP\r\n"), "send \"EHLO mailtls.test\\r\\n\"\nread 5000ms");
  t.now = 20;
  EXPECT_EQ(t.bytes(ehlo_reply), "send \"QUIT\\r\\n\"\nread 5000ms");
  t.now = 30;
  EXPECT_EQ(t.bytes("221 2.0.0 bye\r\n"), "read 5000ms");
  EXPECT_FALSE(t.finished());
  t.now = 31;
  EXPECT_EQ(t.closed(), "");  // the server closed: nothing left to do
  ASSERT_TRUE(t.finished());
  EXPECT_EQ(t.v().result, outcome::pass);
  EXPECT_EQ(t.v().reason, "");
  EXPECT_EQ(t.v().got, "");
  EXPECT_EQ(t.v().expected, "");
  EXPECT_EQ(t.v().file, "t.scn");
  EXPECT_EQ(t.v().line, 0u);
  EXPECT_EQ(t.result().duration_ms, 31u);
  EXPECT_EQ(t.transcript(), (std::vector<std::string>{
                                "S 220 mx.test ESMTP",
                                "C EHLO mailtls.test",
                                "S 250-mx.test greets mailtls.test",
                                "S 250-PIPELINING",
                                "S 250-SIZE 10240000",
                                "S 250-STARTTLS",
                                "S 250 AUTH PLAIN LOGIN",
                                "C QUIT",
                                "S 221 2.0.0 bye",
                                "-- connection closed by the server",
                            }));
  EXPECT_EQ(t.result().transcript[1].at_ms, 10u);
  EXPECT_EQ(t.result().transcript[9].at_ms, 31u);
}

TEST(interpreter_smtp, missing_capability_fails_with_the_statement_and_the_reply) {
  session t(
      "id: x\n"
      "S: 220 *\n"
      "C: EHLO mailtls.test\n"
      "S: 250 * [+STARTTLS]\n"
      "C: QUIT\n");
  t.start();
  t.bytes("220 ready\r\n");
  EXPECT_EQ(t.bytes("250-mx.test\r\n250 8BITMIME\r\n"), "close");
  ASSERT_TRUE(t.finished());
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected the server to offer STARTTLS, it does not");
  EXPECT_EQ(t.v().file, "t.scn");
  EXPECT_EQ(t.v().line, 4u);
  EXPECT_EQ(t.v().expected, "S: 250 * [+STARTTLS]");
  EXPECT_EQ(t.v().got, "250-mx.test\n250 8BITMIME");
  EXPECT_EQ(t.v().limit, limit_kind::none);
}

TEST(interpreter_smtp, absent_capability_assertion_sees_auth_parameters) {
  session t("C: EHLO x\nS: 250 [-AUTH=PLAIN]\n");
  t.start();
  EXPECT_EQ(t.bytes("250-mx\r\n250 AUTH LOGIN plain\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected the server not to offer AUTH=PLAIN, it does");
}

TEST(interpreter_smtp, legacy_auth_equals_line_counts_as_auth) {
  session t("C: EHLO x\nS: 250 [+AUTH +AUTH=LOGIN -AUTH=CRAM-MD5]\n");
  t.start();
  EXPECT_EQ(t.bytes("250-mx\r\n250 AUTH=LOGIN\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
}

TEST(interpreter_smtp, code_sets_and_patterns) {
  session t(
      "C: AUTH PLAIN x\n"
      "S: {530,538} *\n");
  t.start();
  EXPECT_EQ(t.bytes("235 2.7.0 Authentication successful\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected a reply 530 or 538, got 235");
  EXPECT_EQ(t.v().expected, "S: {530,538} *");
  EXPECT_EQ(t.v().got, "235 2.7.0 Authentication successful");

  session u("C: NOOP\nS: 5xx\nC: NOOP\nS: {2x0,25x,4xx}\n");
  u.start();
  EXPECT_EQ(u.bytes("554 no\r\n"), "send \"NOOP\\r\\n\"\nread 5000ms");
  EXPECT_EQ(u.bytes("251 ok\r\n"), "close");
  EXPECT_EQ(u.v().result, outcome::pass) << u.v().reason;

  session w("C: NOOP\nS: {2x0,25x,4xx}\n");
  w.start();
  w.bytes("221 bye\r\n");
  EXPECT_EQ(w.v().reason, "expected a reply 2x0, 25x or 4xx, got 221");
}

TEST(interpreter_smtp, a_tolerated_code_passes_with_a_note_and_is_named_on_failure) {
  session t("C: AUTH PLAIN\nS: {530,538,~503} *\nC: AUTH PLAIN\nS: {530,538,~503} *\n");
  t.start();
  EXPECT_EQ(t.bytes("530 5.7.0 Must issue a STARTTLS command first\r\n"),
            "send \"AUTH PLAIN\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("503 5.5.1 Error: authentication not enabled\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.v().notes, std::vector<std::string>{"tolerated reply 503 (conformant: 530 or 538)"});

  session u("C: AUTH PLAIN\nS: {530,538,~503} *\n");
  u.start();
  u.bytes("334 \r\n");
  EXPECT_EQ(u.v().result, outcome::fail);
  EXPECT_EQ(u.v().reason, "expected a reply 530 or 538 (tolerated: 503), got 334");
  EXPECT_EQ(u.v().expected, "S: {530,538,~503} *");
}

TEST(interpreter_smtp, glob_text_is_case_insensitive_and_matches_any_line) {
  session t("S: 220 *esmtp*\nC: EHLO x\nS: 250 *PIPE*\nC: NOOP\nS: 250 ok\n");
  t.start();
  EXPECT_EQ(t.bytes("220 mx.test ESMTP Postfix\r\n"), "send \"EHLO x\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes(ehlo_reply), "send \"NOOP\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("250 2.0.0 Ok\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected a reply line matching 'ok', got '2.0.0 Ok'");
  EXPECT_EQ(t.v().line, 5u);
}

TEST(interpreter_smtp, regex_text_searches_each_line) {
  session t(
      "S: 220 /^mx\\.[a-z]+ /\nC: EHLO x\nS: 250 /^SIZE [0-9]+$/\nC: NOOP\nS: 250 /^[0-9]+$/\n");
  t.start();
  t.bytes("220 mx.test ESMTP\r\n");
  t.bytes(ehlo_reply);
  EXPECT_EQ(t.bytes("250 2.0.0 Ok\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected a reply line matching /^[0-9]+$/, got '2.0.0 Ok'");
}

TEST(interpreter_smtp, invalid_regex_is_an_error_of_the_scenario) {
  session t("S: 220 /([a-/\n");
  t.start();
  EXPECT_EQ(t.bytes("220 x\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::error);
  EXPECT_TRUE(t.v().reason.starts_with("the regex /([a-/ is not valid: ")) << t.v().reason;
  EXPECT_EQ(t.v().line, 1u);
}

TEST(interpreter_smtp, capture_stores_the_first_line_text_for_later_lines) {
  session t("C: EHLO x\nS: 250 * -> greet\nC: NOOP ${greet}\nS: 250\n");
  t.start();
  EXPECT_EQ(t.bytes(ehlo_reply), "send \"NOOP mx.test greets mailtls.test\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("250 ok\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass);
}

TEST(interpreter_smtp, pipelined_replies_in_one_read_are_matched_without_reading_again) {
  session t("send \"NOOP\\r\\nNOOP\\r\\n\"\nS: 250 *\nS: 251 *\nC: QUIT\nS: 221\n");
  EXPECT_EQ(t.start(), "send \"NOOP\\r\\nNOOP\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("250 a\r\n251 b\r\n221 c\r\n"), "send \"QUIT\\r\\n\"\nclose");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.transcript(), (std::vector<std::string>{"C NOOP", "C NOOP", "S 250 a", "S 251 b",
                                                      "C QUIT", "S 221 c"}));
}

TEST(interpreter_smtp, include_statements_fail_with_their_own_file_and_line) {
  session t("S: 220 *\ninclude ehlo.scn\n");
  t.start();
  t.bytes("220 x\r\n");
  EXPECT_EQ(t.bytes("502 no\r\n"), "close");
  EXPECT_EQ(t.v().file, "ehlo.scn");
  EXPECT_EQ(t.v().line, 2u);
  EXPECT_EQ(t.v().expected, "S: 250 *");
}

TEST(interpreter_smtp, a_protocol_mismatch_is_an_error) {
  session t("S: +OK *\n");
  t.start();
  EXPECT_EQ(t.bytes("220 x\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::error);
  EXPECT_EQ(t.v().reason, "the matcher '+OK' is not a reply of smtp");
}

TEST(interpreter_smtp, the_verdict_does_not_depend_on_how_the_bytes_are_split) {
  constexpr std::string_view scn =
      "S: 220 *ESMTP*\n"
      "C: EHLO ${client_name}\n"
      "S: 250 [+STARTTLS -AUTH=PLAIN] -> greet\n"
      "C: MAIL FROM:<${user}@x>\n"
      "S: 250 *\n"
      "starttls\n"
      "C: EHLO again\n"
      "S: 250 *AUTH* [+AUTH=PLAIN]\n"
      "C: QUIT\n"
      "S: 221 *\n"
      "expect close\n";
  const std::vector<std::string> server = {
      "220 mx ESMTP\r\n250-mx\r\n250-STARTTLS\r\n250 SIZE 1000\r\n250 2.1.0 ok\r\n",
      "250-mx\r\n250 AUTH PLAIN\r\n221 bye\r\n"};
  std::size_t size = 0;
  for (const auto& s : server)
    size += s.size();
  const auto whole = replay(scn, service::smtp, server, size);
  EXPECT_NE(whole.find("pass: \n"), std::string::npos) << whole;
  EXPECT_NE(whole.find("start_tls\n"), std::string::npos) << whole;
  for (std::size_t chunk : {1u, 2u, 3u, 5u, 13u}) {
    EXPECT_EQ(replay(scn, service::smtp, server, chunk), whole) << "chunk " << chunk;
  }
  // A failing run too: the second EHLO lacks AUTH=PLAIN.
  const std::vector<std::string> bad = {server[0], "250-mx\r\n250 AUTH LOGIN\r\n"};
  const auto bad_whole = replay(scn, service::smtp, bad, size);
  EXPECT_NE(bad_whole.find("fail: expected the server to offer AUTH=PLAIN, it does not"),
            std::string::npos)
      << bad_whole;
  for (std::size_t chunk : {1u, 4u, 9u}) {
    EXPECT_EQ(replay(scn, service::smtp, bad, chunk), bad_whole) << "chunk " << chunk;
  }
}

}  // namespace
}  // namespace mailtls::runner::test
