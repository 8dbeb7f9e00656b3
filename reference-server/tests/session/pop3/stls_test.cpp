// STLS (RFC 2595 §4) and the TLS upgrade: discarding pipelined plaintext (RFC 3207 §4.2 applied to
// POP3, CVE-2021-38084 class), state reset, refusals.
#include <gtest/gtest.h>

#include "driver.hpp"

namespace mailtls::server::pop3::test {
namespace {

TEST(pop3_stls, accepted_on_110_before_tls) {
  driver d;
  d.connect();
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "+OK Begin TLS negotiation\r\n"
start_tls)");
  EXPECT_FALSE(d.session->tls_active());
  EXPECT_EQ(d.tls_up(), R"(log info "TLS established TLSv1.3 TLS_AES_256_GCM_SHA384"
read 600000ms)");
  EXPECT_TRUE(d.session->tls_active());
}

TEST(pop3_stls, keyword_is_case_insensitive) {
  driver d;
  d.connect();
  EXPECT_EQ(d.bytes("stls\r\n"), R"(send "+OK Begin TLS negotiation\r\n"
start_tls)");
}

TEST(pop3_stls, pipelined_plaintext_is_discarded) {
  driver d;
  d.connect();
  // The injection of CVE-2021-38084: commands sent in cleartext with STLS must not be answered
  // inside TLS.
  EXPECT_EQ(d.bytes("STLS\r\nCAPA\r\nUSER alice@example.org\r\n"),
            R"(send "+OK Begin TLS negotiation\r\n"
start_tls
log warn "discarded 30 bytes pipelined after STLS")");
  EXPECT_EQ(d.tls_up(), R"(log info "TLS established TLSv1.3 TLS_AES_256_GCM_SHA384"
read 600000ms)");
  // Nothing of it survived: PASS has no USER.
  EXPECT_EQ(d.bytes("PASS secret\r\n"), R"(send "-ERR No user name given, send USER first\r\n"
read 600000ms)");
}

TEST(pop3_stls, partial_line_after_stls_is_discarded_too) {
  driver d;
  d.connect();
  EXPECT_EQ(d.bytes("STLS\r\nUSER ali"), R"(send "+OK Begin TLS negotiation\r\n"
start_tls
log warn "discarded 8 bytes pipelined after STLS")");
  d.tls_up();
  // The fragment is gone: this line is read on its own.
  EXPECT_EQ(d.bytes("ce@example.org\r\n"), R"(send "-ERR Unknown command\r\n"
read 600000ms)");
}

TEST(pop3_stls, bytes_before_the_tls_outcome_are_ignored) {
  driver d;
  d.connect();
  d.bytes("STLS\r\n");
  EXPECT_EQ(d.bytes("CAPA\r\n"), R"(log error "ignored 6 bytes received while not reading")");
  EXPECT_EQ(d.tls_up(), R"(log info "TLS established TLSv1.3 TLS_AES_256_GCM_SHA384"
read 600000ms)");
}

TEST(pop3_stls, with_an_argument_is_a_syntax_error) {
  driver d;
  d.connect();
  EXPECT_EQ(d.bytes("STLS now\r\n"), R"(send "-ERR Syntax error: STLS takes no arguments\r\n"
read 600000ms)");
  EXPECT_EQ(d.session->bad_commands(), 1u);
  EXPECT_FALSE(d.session->tls_active());
}

TEST(pop3_stls, refused_inside_tls) {
  driver d;
  d.connect();
  d.bytes("STLS\r\n");
  d.tls_up();
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "-ERR Command not permitted when TLS active\r\n"
read 600000ms)");
}

TEST(pop3_stls, refused_on_995) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "-ERR Command not permitted when TLS active\r\n"
read 600000ms)");
}

TEST(pop3_stls, refused_after_login) {
  config c = listener(listener_kind::pop3);
  c.require_tls_for_auth = false;
  driver d(c);
  d.connect();
  d.bytes("USER alice@example.org\r\nPASS secret\r\n");
  ASSERT_TRUE(d.session->authenticated());
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "-ERR Command not valid in TRANSACTION state\r\n"
read 600000ms)");
  EXPECT_FALSE(d.session->tls_active());
}

TEST(pop3_stls, refused_after_login_inside_tls) {
  driver d;
  d.login();
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "-ERR Command not valid in TRANSACTION state\r\n"
read 600000ms)");
}

TEST(pop3_stls, handshake_failure_closes) {
  driver d;
  d.connect();
  d.bytes("STLS\r\n");
  EXPECT_EQ(d.tls_failed("no shared cipher"), R"(log warn "TLS handshake failed: no shared cipher"
close)");
  EXPECT_TRUE(d.session->closed());
  EXPECT_EQ(d.bytes("CAPA\r\n"), "");
}

TEST(pop3_stls, timeout_and_shutdown_during_the_handshake_close_silently) {
  driver d;
  d.connect();
  d.bytes("STLS\r\n");
  EXPECT_EQ(d.timeout(), R"(log info "idle timeout"
close)");
  driver e;
  e.connect();
  e.bytes("STLS\r\n");
  EXPECT_EQ(e.shutdown(), R"(log info "server shutting down"
close)");
}

TEST(pop3_stls, unexpected_tls_established_changes_nothing) {
  driver d(listener(listener_kind::pop3s));
  d.login();
  EXPECT_EQ(d.tls_up(), R"(log error "TLS established while not expected"
read 600000ms)");
  EXPECT_TRUE(d.session->authenticated());
}

TEST(pop3_stls, full_session_on_110) {
  driver d;
  d.connect();
  d.bytes("CAPA\r\n");
  d.bytes("STLS\r\n");
  d.tls_up();
  EXPECT_EQ(
      d.bytes("CAPA\r\nUSER alice@example.org\r\nPASS secret\r\nSTAT\r\nQUIT\r\n"),
      R"(send "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION mailtls\r\n.\r\n"
send "+OK Password required\r\n"
log info "login user=alice@example.org mechanism=USER tls=yes"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
send "+OK 2 99\r\n"
log info "logout user=alice@example.org deleted=0 left=2"
send "+OK mailtls POP3 server signing off (2 messages left)\r\n"
close)");
}

}  // namespace
}  // namespace mailtls::server::pop3::test
