// The interpreter and TLS: STARTTLS success and failure, `expect tls fail`, the RFC 3207 §4.2
// response-injection check, TLS expectations, implicit TLS (RFC 8314 §3), `expect silence` and
// `expect close`.
#include <gtest/gtest.h>

#include "interp_fixture.hpp"

namespace mailtls::runner::test {
namespace {

constexpr std::string_view starttls_prologue =
    "S: 220 *\n"
    "C: STARTTLS\n"
    "S: 220 *\n";

TEST(interpreter_tls, starttls_success_records_the_facts_and_goes_on_over_tls) {
  session t(std::string(starttls_prologue) +
            "starttls insecure sni mx.test min TLS1.2 ciphers HIGH\n"
            "expect tls version TLSv1.3\n"
            "expect tls cipher TLS_AES_*\n"
            "expect tls cert verified\n"
            "C: EHLO x\n"
            "S: 250 *\n");
  t.start();
  EXPECT_EQ(t.bytes("220 mx ESMTP\r\n"), "send \"STARTTLS\\r\\n\"\nread 5000ms");
  t.now = 5;
  EXPECT_EQ(t.bytes("220 2.0.0 go ahead\r\n"),
            "start_tls insecure sni=mx.test min=TLSv1.2 ciphers=HIGH");
  t.now = 40;
  EXPECT_EQ(t.tls(established_tls()), "send \"EHLO x\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes("250 mx\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_TRUE(t.result().tls.established);
  EXPECT_FALSE(t.result().tls.implicit);
  EXPECT_EQ(t.result().tls.cipher, "TLS_AES_256_GCM_SHA384");
  const auto& tr = t.result().transcript;
  ASSERT_EQ(tr.size(), 7u);
  EXPECT_EQ(tr[3], (transcript_entry{5, transcript_entry::direction::tls, "handshake (STARTTLS)"}));
  EXPECT_EQ(tr[4], (transcript_entry{40, transcript_entry::direction::tls,
                                     "TLSv1.3 TLS_AES_256_GCM_SHA384, verified"}));
}

TEST(interpreter_tls, starttls_without_options_leaves_them_to_the_run) {
  session t("starttls\n");
  EXPECT_EQ(t.start(), "start_tls");
  session u("starttls verify max TLS1.2\n");
  EXPECT_EQ(u.start(), "start_tls verify max=TLSv1.2");
}

TEST(interpreter_tls, tls_expectations_fail_with_what_was_negotiated) {
  session t("starttls\nexpect tls version TLS1.2\n");
  t.start();
  EXPECT_EQ(t.tls(established_tls()), "close");
  EXPECT_EQ(t.v().reason, "expected TLSv1.2, got TLSv1.3");
  EXPECT_EQ(t.v().line, 2u);

  session c("starttls\nexpect tls cipher *CHACHA20*\n");
  c.start();
  c.tls(established_tls());
  EXPECT_EQ(c.v().reason, "expected a cipher matching '*CHACHA20*', got TLS_AES_256_GCM_SHA384");

  session u("starttls\nexpect tls cert verified\n");
  u.start();
  auto f = established_tls();
  f.verified = false;
  f.verify_error = "certificate has expired";
  u.tls(f);
  EXPECT_EQ(u.v().reason,
            "expected a verified certificate, got an unverified one (certificate has expired)");

  session w("starttls\nexpect tls cert unverified\nexpect tls fail\n");
  w.start();
  w.tls(f);
  EXPECT_EQ(w.v().reason,
            "expected the TLS handshake to fail, it succeeded: TLSv1.3 "
            "TLS_AES_256_GCM_SHA384, not verified (certificate has expired)");
  EXPECT_EQ(w.v().line, 3u);

  session n("expect tls version TLS1.3\n");
  n.start();
  EXPECT_EQ(n.v().reason, "no TLS session: no handshake succeeded");
}

TEST(interpreter_tls, handshake_failure_fails_the_starttls_statement) {
  session t(std::string(starttls_prologue) + "starttls\nC: EHLO x\n");
  t.start();
  t.bytes("220 x\r\n");
  EXPECT_EQ(t.bytes("220 go\r\n"), "start_tls");
  EXPECT_EQ(t.tls(failed_tls("unsupported protocol")), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "TLS handshake failed: unsupported protocol");
  EXPECT_EQ(t.v().line, 4u);
  EXPECT_EQ(t.v().expected, "starttls");
  EXPECT_TRUE(t.result().tls.attempted);
  EXPECT_FALSE(t.result().tls.established);
  EXPECT_EQ(t.transcript().back(), "TLS handshake failed: unsupported protocol");
}

TEST(interpreter_tls, expect_tls_fail_accepts_the_failure_and_the_connection_is_dead) {
  session t("starttls max TLS1.1\nexpect tls fail\nexpect close\nset x = 1\n");
  EXPECT_EQ(t.start(), "start_tls max=TLSv1.1");
  EXPECT_EQ(t.tls(failed_tls("no protocols available")), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;

  session u("starttls\nexpect tls fail\nC: EHLO x\n");
  u.start();
  EXPECT_EQ(u.tls(failed_tls("alert handshake failure")), "close");
  EXPECT_EQ(u.v().result, outcome::fail);
  EXPECT_EQ(u.v().reason, "no connection: the TLS handshake failed");
  EXPECT_EQ(u.v().line, 3u);
}

TEST(interpreter_tls, bytes_after_the_starttls_reply_are_an_injection_finding) {
  session t(std::string(starttls_prologue) + "starttls\n");
  t.start();
  t.bytes("220 x\r\n");
  // The server answered a command that was never sent in the clear (CVE-2011-0411 style).
  EXPECT_EQ(t.bytes("220 go ahead\r\n250 injected\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason,
            "the server sent 14 bytes after its STARTTLS reply, before the TLS handshake");
  EXPECT_EQ(t.v().line, 4u);
  EXPECT_EQ(t.v().got, "250 injected");
  EXPECT_FALSE(t.result().tls.attempted);
}

TEST(interpreter_tls, implicit_tls_failure_is_not_tied_to_a_statement) {
  session t("S: 220 *\n", service::submissions);
  EXPECT_EQ(t.start(), "start_tls implicit");
  EXPECT_EQ(t.tls(failed_tls("wrong version number")), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "TLS handshake failed: wrong version number");
  EXPECT_EQ(t.v().line, 0u);
  EXPECT_EQ(t.v().file, "t.scn");
  EXPECT_TRUE(t.result().tls.implicit);

  session u("expect tls fail\n", service::imaps);
  u.start();
  EXPECT_EQ(u.tls(failed_tls("x")), "close");
  EXPECT_EQ(u.v().result, outcome::pass);
}

TEST(interpreter_tls, connect_tls_asks_for_tls_on_a_plain_service) {
  session t("connect: tls\nS: 220 *\n", service::smtp);
  EXPECT_EQ(t.start(), "start_tls implicit");
  EXPECT_EQ(t.tls(established_tls()), "read 5000ms");
}

TEST(interpreter_tls, expect_silence_passes_on_timeout_and_fails_on_bytes) {
  session t(std::string(starttls_prologue) +
            "starttls\nC: EHLO x\nS: 250 *\nexpect silence 500ms\nC: QUIT\n");
  t.start();
  t.bytes("220 x\r\n");
  t.bytes("220 go\r\n");
  t.tls(established_tls());
  EXPECT_EQ(t.bytes("250 mx\r\n"), "read 500ms");
  t.now = 600;
  EXPECT_EQ(t.timeout(), "send \"QUIT\\r\\n\"\nclose");
  EXPECT_EQ(t.v().result, outcome::pass);
  EXPECT_EQ(t.transcript().back(), "C QUIT");
  EXPECT_EQ(t.transcript()[t.transcript().size() - 2], "-- nothing arrived for 500 ms");

  session u("C: EHLO x\nS: 250 *\nexpect silence 1s\n");
  u.start();
  EXPECT_EQ(u.bytes("250 mx\r\n"), "read 1000ms");
  EXPECT_EQ(u.bytes("250 NOOP answered\r\n"), "close");
  EXPECT_EQ(u.v().result, outcome::fail);
  EXPECT_EQ(u.v().reason, "expected silence for 1000 ms, got '250 NOOP answered\\r\\n'");
  EXPECT_EQ(u.v().got, "250 NOOP answered");

  // Pipelined bytes already read are not silence either.
  session w("C: EHLO x\nS: 250 *\nexpect silence 1s\n");
  w.start();
  EXPECT_EQ(w.bytes("250 mx\r\n250 extra\r\n"), "close");
  EXPECT_EQ(w.v().reason, "expected silence for 1000 ms, got '250 extra\\r\\n'");
}

TEST(interpreter_tls, silence_ended_by_a_close_passes_with_a_note) {
  session t("expect silence 2s\n");
  EXPECT_EQ(t.start(), "read 2000ms");
  EXPECT_EQ(t.closed(), "");
  EXPECT_TRUE(t.finished());
  EXPECT_EQ(t.v().result, outcome::pass);
  EXPECT_EQ(t.v().notes, std::vector<std::string>{"silence: the server closed the connection"});
}

TEST(interpreter_tls, expect_close_fails_on_bytes_and_on_timeout) {
  session t("expect close\n");
  EXPECT_EQ(t.start(), "read 5000ms");
  EXPECT_EQ(t.bytes("421 bye\r\n"), "close");
  EXPECT_EQ(t.v().reason, "expected the connection to close, got '421 bye\\r\\n'");

  session u("expect close\n");
  u.start();
  u.now = 5000;
  EXPECT_EQ(u.timeout(), "close");
  EXPECT_EQ(u.v().reason, "expected the connection to close within 5000 ms, it stayed open");
  EXPECT_EQ(u.v().limit, limit_kind::step_timeout);
}

TEST(interpreter_tls, statements_after_the_server_closed) {
  session t("expect close\nS: 220 *\n");
  t.start();
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "connection closed by the server while waiting for a reply");

  session u("expect close\nC: QUIT\n");
  u.start();
  EXPECT_EQ(u.closed(), "");
  EXPECT_EQ(u.v().reason, "no connection: the server closed it");
}

}  // namespace
}  // namespace mailtls::runner::test
