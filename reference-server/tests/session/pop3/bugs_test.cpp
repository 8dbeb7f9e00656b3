// Injected bugs (reference-server/session/bugs.hpp): each one on, the behaviour the harness must
// catch; the same exchange without it is covered by the other tests.
#include <gtest/gtest.h>

#include "driver.hpp"

namespace mailtls::server::pop3::test {
namespace {

config with_bug(listener_kind k, bug b) {
  config c = listener(k);
  c.bugs.add(b);
  return c;
}

TEST(pop3_bugs, greeting_and_log_announce_the_bugs) {
  config c = listener(listener_kind::pop3);
  c.bugs.add(bug::starttls_readvertised);
  c.bugs.add(bug::pop3_stls_injection);
  driver d(c);
  EXPECT_EQ(d.connect(), R"(log info "connect from 192.0.2.7:40110 listener=pop3 tls=no"
log warn "INJECTED BUGS: pop3-stls-injection, starttls-readvertised"
send "+OK mailtls POP3 ready (INJECTED BUGS: pop3-stls-injection, starttls-readvertised)\r\n"
read 600000ms)");
}

TEST(pop3_bugs, stls_injection_answers_pipelined_plaintext_inside_tls) {
  driver d(with_bug(listener_kind::pop3, bug::pop3_stls_injection));
  d.connect();
  EXPECT_EQ(d.bytes("STLS\r\nUSER alice@example.org\r\nNOOP\r\n"),
            R"t(send "+OK Begin TLS negotiation\r\n"
start_tls
log warn "kept 30 bytes pipelined after STLS (injected bug pop3-stls-injection)")t");
  EXPECT_EQ(d.tls_up(), R"(log info "TLS established TLSv1.3 TLS_AES_256_GCM_SHA384"
send "+OK Password required\r\n"
send "-ERR Command not valid in AUTHORIZATION state\r\n"
read 600000ms)");
  // The injected USER now pairs with the victim's PASS.
  EXPECT_EQ(d.bytes("PASS secret\r\n"),
            R"(log info "login user=alice@example.org mechanism=USER tls=yes"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
read 600000ms)");
}

TEST(pop3_bugs, stls_injection_with_nothing_pipelined_behaves) {
  driver d(with_bug(listener_kind::pop3, bug::pop3_stls_injection));
  d.connect();
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "+OK Begin TLS negotiation\r\n"
start_tls)");
  EXPECT_EQ(d.tls_up(), R"(log info "TLS established TLSv1.3 TLS_AES_256_GCM_SHA384"
read 600000ms)");
}

TEST(pop3_bugs, auth_before_tls_is_offered_and_accepted) {
  driver d(with_bug(listener_kind::pop3, bug::pop3_auth_before_tls));
  d.connect();
  EXPECT_EQ(
      d.bytes("CAPA\r\n"),
      R"(send "+OK Capability list follows\r\nSTLS\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION mailtls\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("USER alice@example.org\r\nPASS secret\r\n"),
            R"(send "+OK Password required\r\n"
log info "login user=alice@example.org mechanism=USER tls=no"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
read 600000ms)");
  EXPECT_TRUE(d.session->authenticated());
  EXPECT_FALSE(d.session->tls_active());
}

TEST(pop3_bugs, auth_before_tls_accepts_sasl_too) {
  driver d(with_bug(listener_kind::pop3, bug::pop3_auth_before_tls));
  d.connect();
  d.bytes("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldA==\r\n");
  EXPECT_TRUE(d.session->authenticated());
  EXPECT_FALSE(d.session->tls_active());
}

TEST(pop3_bugs, stls_readvertised_after_tls) {
  driver d(with_bug(listener_kind::pop3, bug::starttls_readvertised));
  d.connect();
  d.bytes("STLS\r\n");
  d.tls_up();
  EXPECT_EQ(
      d.bytes("CAPA\r\n"),
      R"(send "+OK Capability list follows\r\nSTLS\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION mailtls\r\n.\r\n"
read 600000ms)");
  // Only advertised: a second STLS is still refused.
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "-ERR Command not permitted when TLS active\r\n"
read 600000ms)");
}

TEST(pop3_bugs, stls_readvertised_on_995) {
  driver d(with_bug(listener_kind::pop3s, bug::starttls_readvertised));
  d.connect(true);
  EXPECT_EQ(
      d.bytes("CAPA\r\n"),
      R"(send "+OK Capability list follows\r\nSTLS\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION mailtls\r\n.\r\n"
read 600000ms)");
}

TEST(pop3_bugs, stls_argument_accepted) {
  driver d(with_bug(listener_kind::pop3, bug::starttls_argument_accepted));
  d.connect();
  EXPECT_EQ(d.bytes("STLS now\r\n"), R"(send "+OK Begin TLS negotiation\r\n"
start_tls)");
  EXPECT_EQ(d.session->bad_commands(), 0u);
}

TEST(pop3_bugs, stls_argument_accepted_still_discards_pipelined_bytes) {
  driver d(with_bug(listener_kind::pop3, bug::starttls_argument_accepted));
  d.connect();
  EXPECT_EQ(d.bytes("stls x\r\nCAPA\r\n"), R"(send "+OK Begin TLS negotiation\r\n"
start_tls
log warn "discarded 6 bytes pipelined after STLS")");
}

TEST(pop3_bugs, second_stls_accepted_inside_tls) {
  driver d(with_bug(listener_kind::pop3, bug::second_starttls_accepted));
  d.connect();
  d.bytes("STLS\r\n");
  d.tls_up();
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "+OK Begin TLS negotiation\r\n"
start_tls)");
}

TEST(pop3_bugs, second_stls_accepted_on_995) {
  driver d(with_bug(listener_kind::pop3s, bug::second_starttls_accepted));
  d.connect(true);
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "+OK Begin TLS negotiation\r\n"
start_tls)");
}

TEST(pop3_bugs, second_stls_still_refused_after_login) {
  driver d(with_bug(listener_kind::pop3s, bug::second_starttls_accepted));
  d.login();
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "-ERR Command not valid in TRANSACTION state\r\n"
read 600000ms)");
}

TEST(pop3_bugs, other_protocols_bugs_change_only_the_greeting) {
  config c = listener(listener_kind::pop3);
  c.bugs.add(bug::smtp_open_relay);
  c.bugs.add(bug::imap_login_before_tls);
  driver d(c);
  d.connect();
  EXPECT_EQ(
      d.bytes("USER alice@example.org\r\nSTLS x\r\n"),
      R"(send "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n"
send "-ERR Syntax error: STLS takes no arguments\r\n"
read 600000ms)");
}

}  // namespace
}  // namespace mailtls::server::pop3::test
