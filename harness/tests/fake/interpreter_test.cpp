#include "fake/interpreter.hpp"

#include <gtest/gtest.h>

#include "fake_fixture.hpp"

namespace mailtls::fake::test {
namespace {

using runner::outcome;

constexpr std::string_view stripping =
    "S: 220 mail.example.org ESMTP\n"
    "C: EHLO *\n"
    "S: 250-mail.example.org\n"
    "S: 250 AUTH PLAIN LOGIN\n"
    "expect abort\n";

TEST(fake_interpreter, stripping_client_that_closes_passes) {
  session s("submission", stripping);
  EXPECT_EQ(s.start(), "send \"220 mail.example.org ESMTP\\r\\n\"\nread 5000ms");
  EXPECT_EQ(s.bytes("EHLO client\r\n"),
            "send \"250-mail.example.org\\r\\n250 AUTH PLAIN LOGIN\\r\\n\"\nread 5000ms");
  EXPECT_EQ(s.closed(), "");
  ASSERT_TRUE(s.finished());
  EXPECT_EQ(s.v().result, outcome::pass) << s.v().reason;
  EXPECT_EQ(s.transcript(),
            (std::vector<std::string>{"S 220 mail.example.org ESMTP", "C EHLO client",
                                      "S 250-mail.example.org", "S 250 AUTH PLAIN LOGIN",
                                      "-- connection closed by the client"}));
}

TEST(fake_interpreter, quit_during_abort_is_answered) {
  session s("submission", stripping);
  s.start();
  s.bytes("EHLO client\r\n");
  EXPECT_EQ(s.bytes("QUIT\r\n"), "send \"221 2.0.0 Bye\\r\\n\"\nclose");
  EXPECT_EQ(s.v().result, outcome::pass);
  EXPECT_EQ(s.v().notes,
            std::vector<std::string>{"the client sent QUIT (answered, connection closed)"});
}

TEST(fake_interpreter, silence_until_the_wait_ends_passes) {
  session s("submission", stripping);
  s.start();
  s.bytes("EHLO client\r\n");
  s.now = 5000;
  EXPECT_EQ(s.timeout(), "close");
  EXPECT_EQ(s.v().result, outcome::pass);
  EXPECT_EQ(s.v().notes, std::vector<std::string>{"the client sent nothing more for 5000 ms"});
}

TEST(fake_interpreter, cleartext_auth_fails_and_is_redacted) {
  session s("submission", stripping);
  s.start();
  s.bytes("EHLO client\r\n");
  EXPECT_EQ(s.bytes("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n"), "close");
  EXPECT_EQ(s.v().result, outcome::fail);
  EXPECT_EQ(s.v().reason, "client sent credentials in cleartext: AUTH PLAIN <redacted>");
  EXPECT_EQ(s.v().file, "t.scn");
  EXPECT_EQ(s.v().line, 12u);
  EXPECT_EQ(s.v().expected, "expect abort");
  EXPECT_EQ(s.everything().find("AGFsaWNl"), std::string::npos);
  EXPECT_EQ(s.everything().find("s3cret"), std::string::npos);
}

TEST(fake_interpreter, cleartext_mail_fails_even_while_a_line_is_expected) {
  session s("submission", "S: 220 x\nC: EHLO *\nS: 250 x\nC: NOOP\nexpect abort\n");
  s.start();
  // The monitor reads every line as it arrives: the pipelined MAIL ends the run at once.
  EXPECT_EQ(s.bytes("EHLO c\r\nMAIL FROM:<a@example.org>\r\n"), "close");
  EXPECT_EQ(s.v().reason, "client sent mail in cleartext: MAIL FROM:<a@example.org>");
}

constexpr std::string_view baseline =
    "S: 220 mail.example.org ESMTP\n"
    "C: EHLO *\n"
    "S: 250-mail.example.org\n"
    "S: 250 STARTTLS\n"
    "C: STARTTLS\n"
    "S: 220 2.0.0 Ready\n"
    "starttls\n"
    "C: EHLO *\n"
    "S: 250-mail.example.org\n"
    "S: 250 AUTH PLAIN\n"
    "C: AUTH PLAIN *\n"
    "S: 235 2.7.0 ok\n"
    "C: QUIT\n"
    "S: 221 bye\n"
    "expect close\n";

TEST(fake_interpreter, baseline_logs_in_over_tls) {
  session s("submission", baseline);
  s.start();
  s.bytes("EHLO c\r\n");
  EXPECT_EQ(s.bytes("STARTTLS\r\n"), "send \"220 2.0.0 Ready\\r\\n\"\nstart_tls cert=good");
  EXPECT_EQ(s.tls(tls_ok()), "read 5000ms");
  s.bytes("EHLO c\r\n");
  EXPECT_EQ(s.bytes("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n"),
            "send \"235 2.7.0 ok\\r\\n\"\nread 5000ms");
  EXPECT_EQ(s.bytes("QUIT\r\n"), "send \"221 bye\\r\\n\"\nread 5000ms");
  EXPECT_EQ(s.closed(), "");
  EXPECT_EQ(s.v().result, outcome::pass) << s.v().reason;
  const auto t = s.transcript();
  EXPECT_NE(std::find(t.begin(), t.end(), "C AUTH PLAIN <redacted>"), t.end());
  EXPECT_NE(std::find(t.begin(), t.end(), "TLS TLSv1.3 TLS_AES_128_GCM_SHA256, certificate: good"),
            t.end());
  EXPECT_EQ(s.everything().find("AGFsaWNl"), std::string::npos);
}

TEST(fake_interpreter, baseline_failed_handshake_is_a_fail) {
  session s("submission", baseline);
  s.start();
  s.bytes("EHLO c\r\n");
  s.bytes("STARTTLS\r\n");
  EXPECT_EQ(s.tls(tls_failed("tlsv1 alert unknown ca")), "close");
  EXPECT_EQ(s.v().result, outcome::fail);
  EXPECT_EQ(s.v().reason, "the TLS handshake failed: tlsv1 alert unknown ca");
  EXPECT_EQ(s.v().line, 15u);  // the statement after starttls
}

TEST(fake_interpreter, pipelining_after_starttls_fails) {
  session s("submission", baseline);
  s.start();
  s.bytes("EHLO c\r\n");
  EXPECT_EQ(s.bytes("STARTTLS\r\nEHLO c\r\n"), "send \"220 2.0.0 Ready\\r\\n\"\nclose");
  EXPECT_EQ(s.v().reason,
            "the client sent 7 bytes after STARTTLS before the TLS handshake: 'EHLO c'");
  EXPECT_EQ(s.v().expected, "starttls");
}

constexpr std::string_view bad_cert =
    "S: 220 mail.example.org ESMTP\n"
    "C: EHLO *\n"
    "S: 250 STARTTLS\n"
    "C: STARTTLS\n"
    "S: 220 Ready\n"
    "starttls cert expired\n"
    "expect tls fail\n";

TEST(fake_interpreter, rejected_certificate_passes) {
  session s("submission", bad_cert);
  s.start();
  s.bytes("EHLO c\r\n");
  EXPECT_EQ(s.bytes("STARTTLS\r\n"), "send \"220 Ready\\r\\n\"\nstart_tls cert=expired");
  EXPECT_EQ(s.tls(tls_failed("tlsv1 alert certificate expired")), "close");
  EXPECT_EQ(s.v().result, outcome::pass);
  EXPECT_EQ(s.v().notes, std::vector<std::string>{
                             "the client rejected the TLS handshake: tlsv1 alert certificate "
                             "expired"});
}

TEST(fake_interpreter, data_over_a_bad_certificate_fails) {
  session s("submission", bad_cert);
  s.start();
  s.bytes("EHLO c\r\n");
  s.bytes("STARTTLS\r\n");
  EXPECT_EQ(s.tls(tls_ok()), "read 5000ms");
  EXPECT_EQ(s.bytes("EH"), "close");
  EXPECT_EQ(s.v().result, outcome::fail);
  EXPECT_EQ(s.v().reason, "client accepted an expired certificate: it sent 'EH' over TLS");
  EXPECT_EQ(s.v().expected, "expect tls fail");
}

TEST(fake_interpreter, completed_handshake_then_close_passes) {
  session s("submission", bad_cert);
  s.start();
  s.bytes("EHLO c\r\n");
  s.bytes("STARTTLS\r\n");
  s.tls(tls_ok());
  EXPECT_EQ(s.closed(), "");
  EXPECT_EQ(s.v().result, outcome::pass);
  EXPECT_EQ(s.v().notes,
            std::vector<std::string>{"the TLS handshake completed, then the client closed without "
                                     "sending anything"});
}

TEST(fake_interpreter, imap_tag_is_captured) {
  session s("imap",
            "S: * OK [CAPABILITY IMAP4rev1 STARTTLS] ready\n"
            "C: * STARTTLS\n"
            "S: ${tag} OK begin TLS\n"
            "starttls cert wrong-name\n"
            "expect tls fail\n",
            runner::service::imap);
  s.start();
  EXPECT_EQ(s.bytes("A001 starttls\r\n"),
            "send \"A001 OK begin TLS\\r\\n\"\nstart_tls cert=wrong-name");
  s.tls(tls_ok());
  EXPECT_EQ(s.bytes("A002 LOGIN alice s3cret\r\n"), "close");
  EXPECT_EQ(s.v().reason,
            "client accepted a wrong-name certificate: it sent 'A002 LOGIN alice <redacted>' over "
            "TLS");
  EXPECT_EQ(s.everything().find("s3cret"), std::string::npos);
}

TEST(fake_interpreter, imap_logout_answered_with_bye) {
  session s(
      "imap",
      "S: * OK ready\nC: * CAPABILITY\nS: * CAPABILITY IMAP4rev1\nS: ${tag} OK\nexpect abort\n",
      runner::service::imap);
  s.start();
  s.bytes("a1 CAPABILITY\r\n");
  EXPECT_EQ(s.bytes("a2 LOGOUT\r\n"),
            "send \"* BYE logging out\\r\\na2 OK LOGOUT completed\\r\\n\"\nclose");
  EXPECT_EQ(s.v().result, outcome::pass);
}

TEST(fake_interpreter, mismatched_line_fails_with_file_and_line) {
  session s("submission", stripping);
  s.start();
  EXPECT_EQ(s.bytes("HELO client\r\n"), "close");
  EXPECT_EQ(s.v().result, outcome::fail);
  EXPECT_EQ(s.v().reason, "expected a line matching 'EHLO *', got 'HELO client'");
  EXPECT_EQ(s.v().line, 9u);
  EXPECT_EQ(s.v().expected, "C: EHLO *");
  EXPECT_EQ(s.v().got, "HELO client");
}

TEST(fake_interpreter, early_close_passes_only_when_the_scenario_expects_a_stop) {
  session a("submission", stripping);
  a.start();
  EXPECT_EQ(a.closed(), "");
  EXPECT_EQ(a.v().result, outcome::pass);
  EXPECT_EQ(a.v().notes, std::vector<std::string>{
                             "the client closed the connection, before the scenario expected it "
                             "to; it sent nothing flagged"});
  session b("submission", baseline);
  b.start();
  EXPECT_EQ(b.closed(), "");
  EXPECT_EQ(b.v().result, outcome::fail);
  EXPECT_EQ(b.v().reason, "the client closed the connection");
}

TEST(fake_interpreter, expect_silence_and_expect_close) {
  session s("submission",
            "S: 220 x\nC: EHLO *\nS: 250 STARTTLS\nC: STARTTLS\nexpect silence 2s\nS: 220 go\n"
            "starttls\nexpect close\n");
  s.start();
  s.bytes("EHLO c\r\n");
  EXPECT_EQ(s.bytes("STARTTLS\r\n"), "read 2000ms");
  EXPECT_EQ(s.bytes("\x16\x03\x01"), "close");
  EXPECT_EQ(s.v().reason, "expected silence for 2000 ms, got '\\x16\\x03\\x01'");

  session t("submission",
            "S: 220 x\nC: EHLO *\nS: 250 STARTTLS\nC: STARTTLS\nexpect silence 2s\nS: 220 go\n"
            "starttls\nexpect close\n");
  t.start();
  t.bytes("EHLO c\r\n");
  t.bytes("STARTTLS\r\n");
  t.now = 2000;
  EXPECT_EQ(t.timeout(), "send \"220 go\\r\\n\"\nstart_tls cert=good");
  EXPECT_EQ(t.tls(tls_ok()), "read 5000ms");
  t.now = 7000;
  EXPECT_EQ(t.timeout(), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected the client to close within 5000 ms, it stayed open");
}

TEST(fake_interpreter, implicit_tls_takes_the_first_starttls) {
  session s("submissions", "starttls cert self-signed max TLS1.2\nexpect tls fail\n",
            runner::service::submissions);
  EXPECT_EQ(s.start(), "start_tls cert=self-signed max=TLSv1.2 implicit");
  EXPECT_EQ(s.tls(tls_failed("tlsv1 alert bad certificate")), "close");
  EXPECT_EQ(s.v().result, outcome::pass);

  session g("submissions", "S: 220 x\nC: EHLO *\nexpect abort\n", runner::service::submissions);
  EXPECT_EQ(g.start(), "start_tls cert=good implicit");
  EXPECT_EQ(g.tls(tls_ok()), "send \"220 x\\r\\n\"\nread 5000ms");
}

TEST(fake_interpreter, cleartext_on_an_implicit_port) {
  session s("submissions", "connect: plain\nS: 220 x\nexpect abort\n",
            runner::service::submissions);
  EXPECT_EQ(s.start(), "send \"220 x\\r\\n\"\nread 5000ms");
  EXPECT_EQ(s.bytes(std::string("\x16\x03\x01\x00\x05hello\n", 11)), "read 5000ms");
  EXPECT_EQ(s.closed(), "");
  EXPECT_EQ(s.v().result, outcome::pass);
  EXPECT_EQ(s.v().notes, std::vector<std::string>{"11 bytes of TLS records in cleartext"});
}

TEST(fake_interpreter, undefined_tag_is_an_error_and_long_lines_a_limit) {
  session s("imap", "S: ${tag} OK\n", runner::service::imap);
  EXPECT_EQ(s.start(), "close");
  EXPECT_EQ(s.v().result, outcome::error);
  EXPECT_EQ(s.v().reason, "variable ${tag} is not defined (no IMAP command read yet)");

  session l("submission", stripping);
  l.start();
  EXPECT_EQ(l.bytes(std::string(64 * 1024 + 1, 'a')), "close");
  EXPECT_EQ(l.v().limit, runner::limit_kind::line_length);
}

// The verdict and transcript do not depend on how the client's bytes are cut into reads.
TEST(fake_interpreter, verdict_is_independent_of_splits) {
  const std::string client = "EHLO c\r\nSTARTTLS\r\n";
  const std::string after = "EHLO c\r\nAUTH PLAIN AGFsaWNlAHMzY3JldA==\r\nQUIT\r\n";
  auto run = [&](std::size_t cut1, std::size_t cut2) {
    session s("submission", baseline);
    std::string log = s.start();
    log += s.bytes(client.substr(0, cut1));
    log += s.bytes(client.substr(cut1));
    log += s.tls(tls_ok());
    log += s.bytes(after.substr(0, cut2));
    log += s.bytes(after.substr(cut2));
    log += s.closed();
    // Client and server lines interleave by arrival; each direction keeps its own order.
    std::string c, o;
    for (const auto& l : s.transcript())
      (l.starts_with("C ") ? c : o) += l + "\n";
    // The actions differ (a partial line asks for another read; consecutive S: lines leave in one
    // write), the bytes sent do not: they are in the server side of the transcript.
    return std::string(runner::to_name(s.v().result)) + "|" + c + "|" + o;
  };
  const auto whole = run(client.size(), after.size());
  EXPECT_EQ(whole.substr(0, 5), "pass|");
  for (std::size_t i = 0; i <= client.size(); ++i) {
    for (std::size_t j = 0; j <= after.size(); j += 3)
      ASSERT_EQ(run(i, j), whole) << i << " " << j;
  }
}

TEST(fake_interpreter, every_byte_split_of_a_cleartext_leak) {
  const std::string client = "EHLO c\r\nAUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n";
  for (std::size_t i = 0; i <= client.size(); ++i) {
    session s("submission", stripping);
    s.start();
    s.bytes(client.substr(0, i));
    if (!s.finished()) s.bytes(client.substr(i));
    ASSERT_TRUE(s.finished()) << i;
    EXPECT_EQ(s.v().reason, "client sent credentials in cleartext: AUTH PLAIN <redacted>") << i;
  }
}

}  // namespace
}  // namespace mailtls::fake::test

namespace mailtls::fake::test {
namespace {

// Consecutive S: and send statements leave in one write: the tagged OK and the injected
// CAPABILITY reach the client in one segment (CVE-2020-14954).
TEST(fake_interpreter, consecutive_sends_are_one_write) {
  session s("imap",
            "S: * OK ready\nC: * STARTTLS\nS: ${tag} OK begin TLS\n"
            "send \"* CAPABILITY IMAP4REV1 AUTH=PLAIN\\r\\n\"\nstarttls\nC: * CAPABILITY\n",
            runner::service::imap);
  s.start();
  EXPECT_EQ(s.bytes("a1 STARTTLS\r\n"),
            "send \"a1 OK begin TLS\\r\\n* CAPABILITY IMAP4REV1 AUTH=PLAIN\\r\\n\"\n"
            "start_tls cert=good");
}

}  // namespace
}  // namespace mailtls::fake::test
