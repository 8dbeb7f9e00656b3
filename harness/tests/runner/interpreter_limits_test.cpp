// The interpreter's bounds: step and scenario timeouts, reply size, line length, malformed
// replies, closes and resets while waiting, transcript size.
#include <gtest/gtest.h>

#include "interp_fixture.hpp"

namespace mailtls::runner::test {
namespace {

run_config limited(run_limits l) {
  auto c = config_for(service::smtp);
  c.limits = l;
  return c;
}

TEST(interpreter_limits, step_timeout) {
  session t("S: 220 *\n");
  t.now = 100;
  EXPECT_EQ(t.start(), "read 5000ms");
  t.now = 5100;
  EXPECT_EQ(t.timeout(), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "no reply within 5000 ms");
  EXPECT_EQ(t.v().limit, limit_kind::step_timeout);
  EXPECT_EQ(t.v().line, 1u);
  EXPECT_EQ(t.result().duration_ms, 5000u);
}

TEST(interpreter_limits, partial_reply_at_timeout_is_evidence) {
  session t("C: EHLO x\nS: 250 *\n");
  t.start();
  EXPECT_EQ(t.bytes("250-mx\r\n250-SIZE"), "read 5000ms");
  t.now = 5000;
  EXPECT_EQ(t.timeout(), "close");
  EXPECT_EQ(t.v().got, "250-mx\n250-SIZE");
}

TEST(interpreter_limits, the_scenario_deadline_cuts_reads) {
  session t("timeout: 3s\nS: 220 *\nC: NOOP\nS: 250 *\n");
  t.now = 1000;
  EXPECT_EQ(t.start(), "read 3000ms");
  t.now = 3500;
  EXPECT_EQ(t.bytes("220 x\r\n"), "send \"NOOP\\r\\n\"\nread 500ms");
  t.now = 4000;
  EXPECT_EQ(t.timeout(), "close");
  EXPECT_EQ(t.v().limit, limit_kind::scenario_timeout);
  EXPECT_EQ(t.v().reason, "no reply within 500 ms (the scenario's timeout of 3000 ms passed)");
}

TEST(interpreter_limits, a_deadline_already_passed_fails_before_reading) {
  run_limits l;
  l.scenario_timeout_ms = 1000;
  session t("S: 220 *\nC: NOOP\nS: 250 *\n", limited(l));
  t.start();
  t.now = 1000;
  EXPECT_EQ(t.bytes("220 x\r\n"), "send \"NOOP\\r\\n\"\nclose");
  EXPECT_EQ(t.v().limit, limit_kind::scenario_timeout);
  EXPECT_EQ(t.v().reason, "the scenario did not finish within its timeout of 1000 ms");
  EXPECT_EQ(t.v().line, 3u);
}

TEST(interpreter_limits, silence_cut_by_the_deadline_is_a_scenario_timeout) {
  session t("timeout: 1s\nexpect silence 5s\n");
  EXPECT_EQ(t.start(), "read 1000ms");
  t.now = 1000;
  EXPECT_EQ(t.timeout(), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().limit, limit_kind::scenario_timeout);
}

TEST(interpreter_limits, reply_size_limit) {
  run_limits l;
  l.max_reply_bytes = 40;
  session t("C: EHLO x\nS: 250 *\n", limited(l));
  t.start();
  EXPECT_EQ(t.bytes("250-mx.test\r\n250-PIPELINING\r\n"), "read 5000ms");
  EXPECT_EQ(t.bytes("250-SIZE 1000\r\n250 OK\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().limit, limit_kind::reply_size);
  EXPECT_EQ(t.v().reason, "the reply is longer than 40 bytes");

  // The same reply in one read gives the same verdict.
  session u("C: EHLO x\nS: 250 *\n", limited(l));
  u.start();
  EXPECT_EQ(u.bytes("250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 OK\r\n"), "close");
  EXPECT_EQ(u.v().limit, limit_kind::reply_size);
}

TEST(interpreter_limits, line_length_limit) {
  run_limits l;
  l.max_line_length = 16;
  session t("S: 220 *\n", limited(l));
  t.start();
  EXPECT_EQ(t.bytes("220 0123456789abcdef\r\n"), "close");
  EXPECT_EQ(t.v().limit, limit_kind::line_length);
  EXPECT_EQ(t.v().reason, "a reply line is longer than 16 bytes");

  session ok("S: 220 *\n", limited(l));
  ok.start();
  EXPECT_EQ(ok.bytes("220 0123456789ab\r\n"), "close");
  EXPECT_EQ(ok.v().result, outcome::pass) << ok.v().reason;
}

TEST(interpreter_limits, malformed_reply_names_the_byte_and_the_codec_error) {
  session t("C: NOOP\nS: 250 *\n");
  t.start();
  EXPECT_EQ(t.bytes("250-a\r\n251 b\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_TRUE(t.v().reason.starts_with("malformed reply at byte 7: ")) << t.v().reason;
  EXPECT_GT(t.v().reason.size(), std::string_view("malformed reply at byte 7: ").size());

  session u("S: 220 *\n");
  u.start();
  EXPECT_EQ(u.bytes("220 bare lf\n"), "close");
  EXPECT_TRUE(u.v().reason.starts_with("malformed reply at byte 11: ")) << u.v().reason;
  EXPECT_EQ(u.v().got, "220 bare lf\\n");
}

TEST(interpreter_limits, close_while_waiting_for_a_reply) {
  session t("S: 220 *\n");
  t.start();
  EXPECT_EQ(t.bytes("220 part"), "read 5000ms");
  EXPECT_EQ(t.closed(), "");
  ASSERT_TRUE(t.finished());
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "connection closed by the server while waiting for a reply");
  EXPECT_EQ(t.v().got, "220 part");
}

TEST(interpreter_limits, io_error_is_a_fail_without_a_close_action) {
  session t("S: 220 *\nC: QUIT\n");
  t.start();
  EXPECT_EQ(t.io_error("Connection reset by peer"), "");
  ASSERT_TRUE(t.finished());
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "connection reset by the server: Connection reset by peer");
  EXPECT_EQ(t.v().line, 1u);
  // Nothing happens after the end.
  EXPECT_EQ(t.bytes("220 late\r\n"), "");
  EXPECT_EQ(t.closed(), "");
}

TEST(interpreter_limits, transcript_is_bounded) {
  run_limits l;
  l.max_transcript_bytes = 30;
  session t("C: NOOP\nS: 250 *\nC: NOOP\nS: 250 *\nC: NOOP\nS: 250 *\n", limited(l));
  t.start();
  t.bytes("250 0123456789\r\n");
  t.bytes("250 0123456789\r\n");
  EXPECT_EQ(t.bytes("250 0123456789\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass);
  EXPECT_EQ(t.transcript(), (std::vector<std::string>{"C NOOP", "S 250 0123456789", "C NOOP",
                                                      "-- transcript truncated"}));
  EXPECT_EQ(t.v().notes, std::vector<std::string>{"transcript truncated at 30 bytes"});
  EXPECT_EQ(t.v().limit, limit_kind::transcript_size);
}

// A large send is redacted and escaped only as far as the transcript can hold it; a secret that
// starts inside the budget is still redacted whole, and what is cut is said.
TEST(interpreter_limits, a_large_send_is_cut_after_redaction) {
  run_limits l;
  l.max_transcript_bytes = 20;
  const std::string filler(17, 'x');
  session t(
      "set big = " + std::string(3000, 'y') + "\nC+: " + filler + "${password}${big}\nS: 250\n",
      limited(l));
  const auto first = t.start();
  // Everything is sent.
  EXPECT_EQ(first.find("s3cret"), 23u) << first.substr(0, 40);  // after `send "` and 17 x
  EXPECT_NE(first.find(std::string(3000, 'y')), std::string::npos);
  const auto tr = t.transcript();
  ASSERT_FALSE(tr.empty());
  for (const auto& line : tr)
    EXPECT_EQ(line.find("s3cret"), std::string::npos) << line;
  EXPECT_EQ(tr.back(), "-- transcript truncated");
}

}  // namespace
}  // namespace mailtls::runner::test

namespace mailtls::runner::test {
namespace {

// `expect close skip N`: a server that answers pipelined bad commands and then gives up passes
// whatever its threshold, as long as it closes within N lines; one that never closes fails.
TEST(interpreter_limits, expect_close_skip_counts_lines_before_the_close) {
  const std::string scn = "send \"X1\\r\\nX2\\r\\nX3\\r\\n\"\nexpect close skip 4\n";
  session t(scn);
  EXPECT_EQ(t.start(), "send \"X1\\r\\nX2\\r\\nX3\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("500 no\r\n500 n"), "read 5000ms");
  EXPECT_EQ(t.bytes("o\r\n421 bye\r\n"), "read 5000ms");
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.v().notes, std::vector<std::string>{"3 lines before the close"});

  session u(scn);
  u.start();
  u.bytes("500 no\r\n500 no\r\n500 no\r\n");
  EXPECT_EQ(u.bytes("250 still here\r\n500 x\r\n"), "close");
  EXPECT_EQ(u.v().result, outcome::fail);
  EXPECT_EQ(u.v().reason, "expected the connection to close within 4 lines, got more");

  session w(scn);
  w.start();
  w.bytes("500 no\r\n");
  w.now = 6000;
  EXPECT_EQ(w.timeout(), "close");
  EXPECT_EQ(w.v().result, outcome::fail);
  EXPECT_EQ(w.v().limit, limit_kind::step_timeout);
}

}  // namespace
}  // namespace mailtls::runner::test
