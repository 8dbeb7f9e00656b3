// Variables in the interpreter: substitution, undefined and credential variables, secret
// redaction, `set`, and `requires:` turning a failure into a skip.
#include <gtest/gtest.h>

#include "interp_fixture.hpp"

namespace mailtls::runner::test {
namespace {

TEST(interpreter_variables, undefined_variable_is_an_error_at_its_line) {
  session t("S: 220 *\nC: EHLO ${nope}\n");
  t.start();
  EXPECT_EQ(t.bytes("220 x\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::error);
  EXPECT_EQ(t.v().reason, "variable ${nope} is not defined");
  EXPECT_EQ(t.v().got, "");  // the 220 belonged to the statement before
  EXPECT_EQ(t.v().file, "t.scn");
  EXPECT_EQ(t.v().line, 2u);
  EXPECT_EQ(t.v().expected, "C: EHLO ${nope}");
}

TEST(interpreter_variables, missing_credentials_skip) {
  auto c = config_for(service::smtp);
  c.variables = standard_variables("127.0.0.1", 25, "mx.test");
  session t("C: AUTH PLAIN ${sasl_plain}\n", c);
  EXPECT_EQ(t.start(), "close");
  EXPECT_EQ(t.v().result, outcome::skip);
  EXPECT_EQ(t.v().reason, "needs credentials (--user, MAILTLS_PASSWORD)");
  EXPECT_EQ(t.v().notes, std::vector<std::string>{"${sasl_plain} is not defined"});
}

TEST(interpreter_variables, secrets_are_redacted_in_the_transcript_not_on_the_wire) {
  session t(
      "C: AUTH PLAIN ${sasl_plain}\n"
      "S: 535 *\n"
      "C+: PASS ${password}\n"
      "send \"x s3cret y\\r\\n\"\n"
      "S: 250 *\n");
  EXPECT_EQ(t.start(), "send \"AUTH PLAIN AGFsaWNlAHMzY3JldA==\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("535 bad AGFsaWNlAHMzY3JldA==\r\n"),
            "send \"PASS s3cret\"\nsend \"x s3cret y\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("250 s3cret\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass);
  EXPECT_EQ(t.transcript(), (std::vector<std::string>{
                                "C AUTH PLAIN <redacted:sasl_plain>",
                                "S 535 bad <redacted:sasl_plain>",
                                "C PASS <redacted:password>",
                                "C x <redacted:password> y",
                                "S 250 <redacted:password>",
                            }));
}

TEST(interpreter_variables, verdicts_are_redacted_too) {
  session t("C: AUTH PLAIN ${sasl_plain}\nS: 235 *\n");
  t.start();
  t.bytes("535 AGFsaWNlAHMzY3JldA== rejected\r\n");
  EXPECT_EQ(t.v().got, "535 <redacted:sasl_plain> rejected");
}

TEST(interpreter_variables, set_defines_a_literal_value) {
  session t("set who = ${user} x\nC: HELO ${who}\nset user = bob\nC: HELO ${user}\nS: 250\n");
  EXPECT_EQ(t.start(), "send \"HELO ${user} x\\r\\n\"\nsend \"HELO bob\\r\\n\"\nread 5000ms");
}

TEST(interpreter_variables, a_required_capability_never_offered_makes_a_failure_a_skip) {
  constexpr std::string_view scn =
      "requires: STARTTLS\n"
      "C: EHLO x\n"
      "S: 250 [+STARTTLS]\n";
  session t(scn);
  t.start();
  EXPECT_EQ(t.bytes("250-mx\r\n250 SIZE 100\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::skip);
  EXPECT_EQ(t.v().reason, "the server does not offer STARTTLS");
  EXPECT_EQ(t.v().line, 3u);
  EXPECT_EQ(t.v().notes, std::vector<std::string>{
                             "would have failed: expected the server to offer STARTTLS, it does "
                             "not"});

  // Offered, the failure stays a failure.
  session u("requires: starttls AUTH=PLAIN\nC: EHLO x\nS: 250 *\nC: AUTH PLAIN x\nS: 235\n");
  u.start();
  u.bytes("250-mx\r\n250-STARTTLS\r\n250 AUTH LOGIN PLAIN\r\n");
  EXPECT_EQ(u.bytes("535 no\r\n"), "close");
  EXPECT_EQ(u.v().result, outcome::fail);

  // Nothing advertised yet (a wrong greeting): the failure stays a failure.
  session x("requires: STARTTLS\nS: 220 *\nC: EHLO x\nS: 250 [+STARTTLS]\n");
  x.start();
  EXPECT_EQ(x.bytes("554 go away\r\n"), "close");
  EXPECT_EQ(x.v().result, outcome::fail);
  EXPECT_EQ(x.v().line, 2u);

  // Errors stay errors.
  session w("requires: STARTTLS\nC: ${nope}\n");
  w.start();
  EXPECT_EQ(w.v().result, outcome::error);
}

TEST(interpreter_variables, requires_sees_imap_and_pop3_lists) {
  session t("requires: AUTH=PLAIN\nS: * OK *\nC: a1 X\nS: tag OK\n", service::imap);
  t.start();
  t.bytes("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n");
  t.bytes("a1 BAD no\r\n");
  EXPECT_EQ(t.v().result, outcome::fail);

  session u("requires: SASL=PLAIN\nC: CAPA\nS: +OK *\nC: AUTH PLAIN x\nS: +OK\n", service::pop3);
  u.start();
  u.bytes("+OK\r\nSASL LOGIN\r\n.\r\n");
  u.bytes("-ERR no\r\n");
  EXPECT_EQ(u.v().result, outcome::skip);
  EXPECT_EQ(u.v().reason, "the server does not offer SASL=PLAIN");
}

TEST(interpreter_variables, standard_variables_and_names) {
  const auto v = standard_variables("mx.example", 587, "mail.example", "alice", "s3cret");
  EXPECT_EQ(v.at("host"), "mx.example");
  EXPECT_EQ(v.at("port"), "587");
  EXPECT_EQ(v.at("servername"), "mail.example");
  EXPECT_EQ(v.at("client_name"), "mailtls.test");
  EXPECT_EQ(v.at("user"), "alice");
  EXPECT_EQ(v.at("password"), "s3cret");
  EXPECT_EQ(v.at("sasl_plain"), "AGFsaWNlAHMzY3JldA==");  // "\0alice\0s3cret"
  EXPECT_EQ(v.at("sasl_login_user"), "YWxpY2U=");
  EXPECT_EQ(v.at("sasl_login_password"), "czNjcmV0");
  EXPECT_EQ(v.size(), 9u);
  const auto anon = standard_variables("h", 25, "h");
  EXPECT_EQ(anon.size(), 4u);
  EXPECT_EQ(anon.count("sasl_plain"), 0u);
  EXPECT_EQ(secret_variable_names(),
            (std::set<std::string>{"password", "sasl_login_password", "sasl_plain"}));
  EXPECT_EQ(credential_variable_names().size(), 5u);
  EXPECT_EQ(redact("pw=s3cret user=alice s3cre", v, secret_variable_names()),
            "pw=<redacted:password> user=alice s3cre");
}

}  // namespace
}  // namespace mailtls::runner::test
