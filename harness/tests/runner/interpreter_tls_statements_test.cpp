// The interpreter and the TLS statements of the catalogue issue: `timeout D`, `starttls ...
// optional`, `starttls ... alpn LIST` (also as the first statement of a `connect: plain` probe of
// an implicit-TLS port), `expect close allow-alert` and `expect tls cert name|not-expired|
// strong-key`.
#include <gtest/gtest.h>

#include <algorithm>

#include "interp_fixture.hpp"

namespace mailtls::runner::test {
namespace {

std::string alert(int description) {
  return std::string{21, 3, 3, 0, 2, 2, static_cast<char>(description)};
}

tls_facts with_certificate() {
  auto f = established_tls();
  f.has_certificate = true;
  f.subject = "CN=mx.test";
  f.subject_cn = "mx.test";
  f.dns_names = {"mx.test", "*.mail.test"};
  f.ip_addresses = {"127.0.0.1", "0:0:0:0:0:0:0:1"};
  f.not_before = 1704067200;  // 2024-01-01
  f.not_after = 1735689600;   // 2025-01-01
  f.checked_at = 1720000000;
  f.time_valid = true;
  f.key_type = "EC";
  f.key_bits = 256;
  return f;
}

// ---- timeout D ----------------------------------------------------------------------------------

TEST(interpreter_tls_statements, timeout_changes_the_bound_of_later_waits) {
  session t("S: 220 *\ntimeout 20s\nS: 250 *\nexpect close\n");
  EXPECT_EQ(t.start(), "read 5000ms");
  t.now = 100;
  EXPECT_EQ(t.bytes("220 x\r\n"), "read 20000ms");
  EXPECT_EQ(t.bytes("250 x\r\n"), "read 20000ms");
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.transcript()[1], "-- waits from here on: up to 20000 ms");
}

TEST(interpreter_tls_statements, timeout_is_still_cut_at_the_scenario_deadline) {
  session t("timeout 60s\nS: 220 *\n");
  t.now = 1000;
  // The default scenario timeout is 30 s from start().
  EXPECT_EQ(t.start(), "read 30000ms");
  t.now = 31000;
  EXPECT_EQ(t.timeout(), "close");
  EXPECT_EQ(t.v().limit, limit_kind::scenario_timeout);
}

TEST(interpreter_tls_statements, timeout_bounds_the_handshake_too) {
  session t("timeout 20s\nstarttls\n");
  EXPECT_EQ(t.start(), "start_tls timeout=20000ms");
  session u("starttls\n");  // without `timeout`: the driver's own bound
  EXPECT_EQ(u.start(), "start_tls");
  session w("timeout 60s\nstarttls\n");
  w.now = 25000;
  EXPECT_EQ(w.start(), "start_tls timeout=30000ms");
}

TEST(interpreter_tls_statements, timeout_applies_to_expect_close) {
  session t("timeout 90s\nexpect close\n");
  EXPECT_EQ(t.start(), "read 30000ms");  // capped by the default 30 s deadline
  session u("timeout 2s\nexpect close\n");
  EXPECT_EQ(u.start(), "read 2000ms");
  EXPECT_EQ(u.timeout(), "close");
  EXPECT_EQ(u.v().reason, "expected the connection to close within 2000 ms, it stayed open");
}

// ---- starttls ... optional ----------------------------------------------------------------------

constexpr std::string_view injection =
    "S: 220 *\n"
    "send \"STARTTLS\\r\\nNOOP\\r\\n\"\n"
    "S: 220 *\n"
    "starttls optional\n"
    "expect silence 500ms\n";

TEST(interpreter_tls_statements, optional_handshake_failure_ends_as_a_pass_with_a_note) {
  session t(injection);
  t.start();
  t.bytes("220 mx\r\n");
  EXPECT_EQ(t.bytes("220 go ahead\r\n"), "start_tls");
  EXPECT_EQ(t.tls(failed_tls("wrong version number")), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.v().notes, (std::vector<std::string>{
                             "the TLS handshake failed, which is acceptable here: wrong version "
                             "number"}));
  EXPECT_FALSE(t.result().tls.established);
  EXPECT_EQ(t.transcript().back(), "-- handshake failure accepted (starttls optional)");
}

TEST(interpreter_tls_statements, optional_handshake_success_goes_on) {
  session t(injection);
  t.start();
  t.bytes("220 mx\r\n");
  t.bytes("220 go ahead\r\n");
  EXPECT_EQ(t.tls(established_tls()), "read 500ms");
  EXPECT_EQ(t.bytes("250 2.0.0 Ok\r\n"), "close");  // the injected NOOP answered inside TLS
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason, "expected silence for 500 ms, got '250 2.0.0 Ok\\r\\n'");
}

TEST(interpreter_tls_statements, optional_covers_a_close_during_the_handshake) {
  session t("starttls optional\nC: EHLO x\n");
  EXPECT_EQ(t.start(), "start_tls");
  EXPECT_EQ(t.closed(), "");  // the server closed: no close of ours
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.v().notes,
            (std::vector<std::string>{"the TLS handshake failed, which is acceptable here: "
                                      "connection closed by the server during the TLS handshake"}));
}

TEST(interpreter_tls_statements, without_optional_a_close_during_the_handshake_fails) {
  session t("starttls\n");
  t.start();
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason,
            "TLS handshake failed: connection closed by the server during the TLS handshake");
  EXPECT_EQ(t.v().line, 1u);
}

TEST(interpreter_tls_statements, optional_does_not_cover_implicit_tls) {
  session t("S: 220 *\n", service::submissions);
  EXPECT_EQ(t.start(), "start_tls implicit");
  t.tls(failed_tls("unsupported protocol"));
  EXPECT_EQ(t.v().result, outcome::fail);
}

TEST(interpreter_tls_statements, a_handshake_that_could_not_start_is_a_harness_error) {
  // E.g. `ciphers aNULL` on an OpenSSL built without them: no ClientHello left, so `expect tls
  // fail` would pass without the server having refused anything.
  for (const char* text :
       {"starttls ciphers aNULL\nexpect tls fail\n", "starttls optional\n", "starttls\n"}) {
    session t(text);
    t.start();
    auto f = failed_tls("cannot set up TLS: no cipher match");
    f.client_error = true;
    EXPECT_EQ(t.tls(f), "close") << text;
    EXPECT_EQ(t.v().result, outcome::error) << text;
    EXPECT_EQ(t.v().reason,
              "the TLS handshake could not start on our side: cannot set up TLS: no cipher match");
    EXPECT_EQ(t.v().line, 1u);
  }
}

TEST(interpreter_tls_statements, expect_tls_fail_after_optional_still_works) {
  session t("starttls optional\nexpect tls fail\nexpect close\n");
  t.start();
  EXPECT_EQ(t.tls(failed_tls("x")), "close");
  EXPECT_EQ(t.v().result, outcome::pass);
  EXPECT_TRUE(t.v().notes.empty());
}

// ---- starttls ... alpn LIST ---------------------------------------------------------------------

TEST(interpreter_tls_statements, alpn_list_goes_into_the_action) {
  session t("starttls alpn http/1.1\n");
  EXPECT_EQ(t.start(), "start_tls alpn=http/1.1");
  session u("starttls insecure alpn h2,http/1.1\n");
  EXPECT_EQ(u.start(), "start_tls insecure alpn=h2,http/1.1");
}

TEST(interpreter_tls_statements, plain_probe_of_an_implicit_port_starts_the_handshake_at_once) {
  // ALPACA (RFC 7301 §3.2): `connect: plain` on 465, then the handshake with a foreign ALPN, no
  // STARTTLS command in between.
  for (const auto target : {service::submissions, service::imaps, service::pop3s}) {
    session t("connect: plain\nstarttls alpn http/1.1\nexpect tls fail\n", target);
    EXPECT_EQ(t.start(), "start_tls alpn=http/1.1");
    EXPECT_EQ(t.tls(failed_tls("tlsv1 alert no application protocol")), "close");
    EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
    EXPECT_FALSE(t.result().tls.implicit);
    EXPECT_EQ(t.transcript().front(), "TLS handshake on the plain connection");
  }
  session t("connect: plain\nstarttls alpn http/1.1\nexpect tls fail\n", service::submissions);
  t.start();
  auto f = established_tls();
  f.alpn = "";
  EXPECT_EQ(t.tls(f), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason,
            "expected the TLS handshake to fail, it succeeded: TLSv1.3 TLS_AES_256_GCM_SHA384, "
            "verified");
}

// ---- expect close allow-alert -------------------------------------------------------------------

TEST(interpreter_tls_statements, allow_alert_accepts_alerts_before_the_close) {
  session t("connect: plain\nC: EHLO x\nexpect close allow-alert\n", service::submissions);
  EXPECT_EQ(t.start(), "send \"EHLO x\\r\\n\"\nread 5000ms");
  EXPECT_EQ(t.bytes(alert(70)), "read 5000ms");
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.v().notes,
            (std::vector<std::string>{"TLS alert before the close: fatal protocol_version (70)"}));
}

TEST(interpreter_tls_statements, allow_alert_accepts_a_plain_close) {
  session t("C: HELP\nexpect close allow-alert\n");
  t.start();
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_TRUE(t.v().notes.empty());
}

TEST(interpreter_tls_statements, allow_alert_reassembles_records_split_across_reads) {
  session t("expect close allow-alert\n");
  t.start();
  const std::string two = alert(40) + alert(0);
  for (std::size_t i = 0; i < two.size(); ++i)
    EXPECT_EQ(t.bytes(two.substr(i, 1)), "read 5000ms") << i;
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(t.v().notes.size(), 2u);
}

TEST(interpreter_tls_statements, allow_alert_fails_on_a_protocol_reply) {
  session t("connect: plain\nC: EHLO x\nexpect close allow-alert\n", service::submissions);
  t.start();
  EXPECT_EQ(t.bytes("220 mx ESMTP\r\n"), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason,
            "expected the connection to close (TLS alerts allowed), got '220 mx ESMTP\\r\\n'");
  EXPECT_EQ(t.v().got, "220 mx ESMTP");
  // Also after an alert.
  session u("expect close allow-alert\n");
  u.start();
  u.bytes(alert(70));
  EXPECT_EQ(u.bytes("+OK"), "close");
  EXPECT_EQ(u.v().result, outcome::fail);
}

TEST(interpreter_tls_statements, allow_alert_fails_on_a_record_cut_by_the_close) {
  session t("expect close allow-alert\n");
  t.start();
  EXPECT_EQ(t.bytes(alert(70).substr(0, 4)), "read 5000ms");
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason,
            "expected the connection to close after whole TLS alert records, got "
            "'\\x15\\x03\\x03\\x00'");
}

TEST(interpreter_tls_statements, allow_alert_takes_a_reset_as_the_close) {
  session t("expect close allow-alert\n");
  t.start();
  EXPECT_EQ(t.io_error("Connection reset by peer"), "");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  EXPECT_EQ(
      t.v().notes,
      (std::vector<std::string>{"the server reset the connection: Connection reset by peer"}));
  // Plain `expect close` keeps treating a reset as a finding.
  session u("expect close\n");
  u.start();
  u.io_error("Connection reset by peer");
  EXPECT_EQ(u.v().result, outcome::fail);
}

TEST(interpreter_tls_statements, allow_alert_checks_bytes_already_received) {
  // Greeting and the alert came in one read: the reply is matched, the rest is the alert.
  session t("S: 220 *\nexpect close allow-alert\n");
  t.start();
  EXPECT_EQ(t.bytes("220 x\r\n" + alert(10)), "read 5000ms");
  EXPECT_EQ(t.closed(), "");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  session u("S: 220 *\nexpect close allow-alert\n");
  u.start();
  EXPECT_EQ(u.bytes("220 x\r\n250 y\r\n"), "close");
  EXPECT_EQ(u.v().result, outcome::fail);
}

TEST(interpreter_tls_statements, plain_expect_close_still_refuses_alerts) {
  session t("expect close\n");
  t.start();
  EXPECT_EQ(t.bytes(alert(70)), "close");
  EXPECT_EQ(t.v().result, outcome::fail);
}

// ---- expect tls cert name | not-expired | strong-key --------------------------------------------

TEST(interpreter_tls_statements, cert_name_matches_with_variables) {
  session t(
      "starttls\n"
      "expect tls cert name ${servername}\n"
      "expect tls cert name smtp.mail.test\n"
      "expect tls cert name ::1\n");
  t.start();
  EXPECT_EQ(t.tls(with_certificate()), "close");
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;
  const auto tr = t.transcript();
  EXPECT_NE(std::find(tr.begin(), tr.end(), "-- certificate name mx.test matches DNS name mx.test"),
            tr.end());
}

TEST(interpreter_tls_statements, cert_name_mismatch_fails_with_the_names) {
  session t("starttls\nexpect tls cert name a.b.mail.test\n");
  t.start();
  t.tls(with_certificate());
  EXPECT_EQ(t.v().result, outcome::fail);
  EXPECT_EQ(t.v().reason,
            "expected a certificate for a.b.mail.test: the certificate's DNS names mx.test, "
            "*.mail.test do not match a.b.mail.test");
  EXPECT_EQ(t.v().line, 2u);
  EXPECT_EQ(t.v().expected, "expect tls cert name a.b.mail.test");
}

TEST(interpreter_tls_statements, cert_checks_need_a_certificate_and_a_session) {
  session t("starttls\nexpect tls cert name mx.test\n");
  t.start();
  t.tls(established_tls());  // no certificate (e.g. an anonymous suite)
  EXPECT_EQ(t.v().reason, "expected a certificate for mx.test, the server presented none");
  session u("starttls\nexpect tls cert strong-key\n");
  u.start();
  u.tls(established_tls());
  EXPECT_EQ(u.v().reason, "expected a certificate, the server presented none");
  session w("expect tls cert not-expired\n");
  w.start();
  EXPECT_EQ(w.v().reason, "no TLS session: no handshake succeeded");
}

TEST(interpreter_tls_statements, cert_name_with_an_undefined_variable_is_an_error) {
  session t("starttls\nexpect tls cert name ${mx_name}\n");
  t.start();
  t.tls(with_certificate());
  EXPECT_EQ(t.v().result, outcome::error);
  EXPECT_EQ(t.v().reason, "variable ${mx_name} is not defined");
}

TEST(interpreter_tls_statements, not_expired_uses_the_drivers_judgement) {
  session t("starttls\nexpect tls cert not-expired\n");
  t.start();
  t.tls(with_certificate());
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;

  session u("starttls\nexpect tls cert not-expired\n");
  u.start();
  auto f = with_certificate();
  f.checked_at = 1740000000;  // 2025-02-19
  f.time_valid = false;
  u.tls(f);
  EXPECT_EQ(u.v().result, outcome::fail);
  EXPECT_EQ(u.v().reason,
            "the certificate expired at 2025-01-01 00:00:00 UTC (checked at 2025-02-19 21:20:00 "
            "UTC)");

  session w("starttls\nexpect tls cert not-expired\n");
  w.start();
  f = with_certificate();
  f.time_valid = false;  // the driver says no, whatever the dates say
  w.tls(f);
  EXPECT_EQ(w.v().result, outcome::fail);
  EXPECT_EQ(w.v().reason, "the certificate is outside its validity period");
}

TEST(interpreter_tls_statements, strong_key_judges_type_and_size) {
  session t("starttls\nexpect tls cert strong-key\n");
  t.start();
  t.tls(with_certificate());
  EXPECT_EQ(t.v().result, outcome::pass) << t.v().reason;

  session u("starttls\nexpect tls cert strong-key\n");
  u.start();
  auto f = with_certificate();
  f.key_type = "RSA";
  f.key_bits = 1024;
  u.tls(f);
  EXPECT_EQ(u.v().result, outcome::fail);
  EXPECT_EQ(u.v().reason, "the certificate's key is RSA, 1024 bits (at least 2048 needed)");
}

}  // namespace
}  // namespace mailtls::runner::test
