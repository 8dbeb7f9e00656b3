// The interpreter against POP3 responses: multi-line decisions (RFC 1939 §3, RFC 2449 §5), CAPA
// assertions, -ERR, SASL challenges (RFC 5034 §4), implicit TLS on pop3s.
#include <gtest/gtest.h>

#include "interp_fixture.hpp"

namespace mailtls::runner::test {
namespace {

// RFC 2449 §6.6: pipelined commands are answered in order; the response read next answers the
// oldest unanswered command, not the last one sent.
TEST(interpreter_pop3, pipelined_commands_are_answered_oldest_first) {
  session t(
      "send \"NOOP\\r\\nCAPA\\r\\nSTAT\\r\\n\"\n"
      "S: +OK *\n"
      "S: +OK [+STLS]\n"
      "S: +OK 0 0\n",
      service::pop3);
  EXPECT_EQ(t.start(), "send \"NOOP\\r\\nCAPA\\r\\nSTAT\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("+OK\r\n+OK list\r\nSTLS\r\n.\r\n+OK 0 0\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
}

TEST(interpreter_pop3, capa_is_multi_line_and_its_capabilities_are_asserted) {
  session t(
      "S: +OK *\n"
      "C: CAPA\n"
      "S: +OK [+STLS +SASL=plain +user -SASL=CRAM-MD5]\n"
      "C: QUIT\n"
      "S: +OK *\n",
      service::pop3);
  EXPECT_EQ(t.start(), "read 5000ms");
  EXPECT_EQ(t.bytes("+OK POP3 ready <1.2@mx>\r\n"), "send \"CAPA\\r\\n\"\nread 5000ms");
  // The status line alone does not end a CAPA response.
  EXPECT_EQ(t.bytes("+OK Capability list follows\r\nUSER\r\n"), "read 5000ms");
  EXPECT_EQ(t.bytes("STLS\r\nSASL PLAIN LOGIN\r\n.\r\n"), "send \"QUIT\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("+OK bye\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.transcript(),
            (std::vector<std::string>{"S +OK POP3 ready <1.2@mx>", "C CAPA",
                                      "S +OK Capability list follows", "S USER", "S STLS",
                                      "S SASL PLAIN LOGIN", "S .", "C QUIT", "S +OK bye"}));
}

TEST(interpreter_pop3, capa_assertion_failure_names_the_capability) {
  session t("C: CAPA\nS: +OK [+STLS]\n", service::pop3);
  t.start();
  EXPECT_EQ(t.bytes("+OK\r\nUSER\r\n.\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected the server to offer STLS, it does not");
  EXPECT_EQ(t.v().got, "+OK\nUSER\n.");
  EXPECT_EQ(t.v().line, 2u);
}

TEST(interpreter_pop3, err_matches_and_a_wrong_status_fails) {
  session t("C: USER alice\nS: -ERR *\nC: PASS x\nS: +OK *\n", service::pop3);
  t.start();
  EXPECT_EQ(t.bytes("-ERR [AUTH] use STLS first\r\n"), "send \"PASS x\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("-ERR no\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected +OK, got -ERR");
  EXPECT_EQ(t.v().expected, "S: +OK *");
}

TEST(interpreter_pop3, text_matches_with_or_without_the_response_code_and_is_captured) {
  session t(
      "C: USER a\nS: -ERR [AUTH]* -> why\nC: USER b\nS: -ERR use stls*\nC: NOOP ${why}\n"
      "S: +OK\n",
      service::pop3);
  t.start();
  EXPECT_EQ(t.bytes("-ERR [AUTH] use STLS first\r\n"), "send \"USER b\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("-ERR [AUTH] use STLS first\r\n"),
            "send \"NOOP [AUTH] use STLS first\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("+OK\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
}

TEST(interpreter_pop3, list_and_uidl_are_multi_line_only_without_argument) {
  session t("C: LIST 1\nS: +OK 1 120\nC: LIST\nS: +OK *\nC: RETR 1\nS: -ERR *\nC: NOOP\nS: +OK\n",
            service::pop3);
  t.start();
  EXPECT_EQ(t.bytes("+OK 1 120\r\n"), "send \"LIST\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("+OK 1 messages\r\n1 120\r\n"), "read 5000ms");
  // RFC 1939 §3: -ERR to a multi-line command is one line.
  EXPECT_EQ(t.bytes(".\r\n"), "send \"RETR 1\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("-ERR no such message\r\n"), "send \"NOOP\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("+OK\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
}

TEST(interpreter_pop3, sasl_challenges_are_continuations) {
  session t("C: AUTH PLAIN\nS: + *\nC: ${sasl_plain}\nS: +OK *\nC: STAT\nS: +OK\n", service::pop3);
  t.start();
  EXPECT_EQ(t.bytes("+ \r\n"), "send \"AGFsaWNlAHMzY3JldA==\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("+OK logged in\r\n"), "send \"STAT\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("+OK 0 0\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.transcript(),
            (std::vector<std::string>{"C AUTH PLAIN", "S + ", "C <redacted:sasl_plain>",
                                      "S +OK logged in", "C STAT", "S +OK 0 0"}));
}

TEST(interpreter_pop3, pop3s_starts_with_implicit_tls) {
  session t("S: +OK *\nC: QUIT\nS: +OK *\n", service::pop3s);
  EXPECT_EQ(t.start(), "start_tls implicit");
  EXPECT_EQ(t.tls(established_tls()), "read 5000ms");
  EXPECT_EQ(t.bytes("+OK ready\r\n"), "send \"QUIT\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("+OK bye\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass);
  EXPECT_TRUE(t.result().tls.implicit);
  EXPECT_TRUE(t.result().tls.attempted);
  EXPECT_EQ(t.transcript()[0], "TLS handshake at connect (implicit TLS)");
  EXPECT_EQ(t.transcript()[1], "TLS TLSv1.3 TLS_AES_256_GCM_SHA384, verified");
}

TEST(interpreter_pop3, connect_plain_skips_implicit_tls) {
  session t("connect: plain\nC: CAPA\nexpect close\n", service::pop3s);
  EXPECT_EQ(t.start(), "send \"CAPA\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::pass);
  EXPECT_FALSE(t.result().tls.attempted);
}

TEST(interpreter_pop3, split_reads_do_not_change_the_run) {
  constexpr std::string_view scn =
      "S: +OK *\nC: CAPA\nS: +OK [+STLS]\nC: STLS\nS: +OK *\nstarttls\nC: CAPA\n"
      "S: +OK [-STLS +USER]\nC: RETR 1\nS: +OK * -> hdr\nC: QUIT\nS: +OK *\nexpect close\n";
  const std::vector<std::string> server = {
      "+OK ready\r\n+OK\r\nSTLS\r\nUSER\r\n.\r\n+OK go\r\n",
      "+OK\r\nUSER\r\n.\r\n+OK 12 octets\r\nSubject: x\r\n..dot\r\n.\r\n+OK bye\r\n"};
  const auto whole = replay(scn, service::pop3, server, 1000);
  EXPECT_NE(whole.find("pass: \n"), std::string::npos) << whole;
  EXPECT_NE(whole.find("S ..dot\n"), std::string::npos) << whole;
  for (std::size_t chunk : {1u, 2u, 7u}) {
    EXPECT_EQ(replay(scn, service::pop3, server, chunk), whole) << "chunk " << chunk;
  }
}

}  // namespace
}  // namespace mailtls::runner::test
