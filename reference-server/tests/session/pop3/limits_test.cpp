// Limits (bad commands, line length, idle timeout), syntax errors, pipelining and split input.
#include <gtest/gtest.h>

#include "driver.hpp"

namespace mailtls::server::pop3::test {
namespace {

TEST(pop3_limits, bad_command_limit_closes) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  std::string expected;
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(d.bytes("HELO\r\n"), R"(send "-ERR Unknown command\r\n"
read 600000ms)");
  }
  EXPECT_EQ(d.session->bad_commands(), 9u);
  EXPECT_EQ(d.bytes("HELO\r\nCAPA\r\n"), R"(log warn "too many bad commands from 192.0.2.7:40110"
send "-ERR Too many bad commands\r\n"
close)");
  EXPECT_TRUE(d.session->closed());
}

TEST(pop3_limits, bad_command_limit_counts_every_kind_of_bad_command) {
  config c = listener(listener_kind::pop3);
  c.limits.max_bad_commands = 5;
  driver d(c);
  d.connect();
  EXPECT_EQ(d.bytes("\r\nXYZZY\r\nSTAT\r\nSTLS x\r\nNOOP\n"), R"(send "-ERR Empty command\r\n"
send "-ERR Unknown command\r\n"
send "-ERR Command not valid in AUTHORIZATION state\r\n"
send "-ERR Syntax error: STLS takes no arguments\r\n"
log warn "too many bad commands from 192.0.2.7:40110"
send "-ERR Too many bad commands\r\n"
close)");
}

TEST(pop3_limits, no_bad_command_limit_when_zero) {
  config c = listener(listener_kind::pop3s);
  c.limits.max_bad_commands = 0;
  driver d(c);
  d.connect(true);
  std::string many;
  for (int i = 0; i < 50; ++i)
    many += "BOGUS\r\n";
  d.bytes(many);
  EXPECT_FALSE(d.session->closed());
  EXPECT_EQ(d.session->bad_commands(), 50u);
}

TEST(pop3_limits, line_length_is_255_octets_with_crlf) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  // USER + SP + 249 octets + CRLF = 255: accepted.
  EXPECT_EQ(d.bytes("USER " + std::string(248, 'u') + "\r\n"), R"(send "+OK Password required\r\n"
read 600000ms)");
  // 256 octets: refused, the line skipped, the next one read.
  EXPECT_EQ(d.bytes("USER " + std::string(249, 'u') + "\r\nNOOP\r\n"),
            R"(send "-ERR Line too long\r\n"
send "-ERR Command not valid in AUTHORIZATION state\r\n"
read 600000ms)");
}

TEST(pop3_limits, over_long_line_in_pieces) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  EXPECT_EQ(d.bytes(std::string(300, 'x')), R"(send "-ERR Line too long\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes(std::string(300, 'x')), "read 600000ms");
  EXPECT_TRUE(d.bytes("x\r\nCAPA\r\n").starts_with(R"(send "+OK Capability list follows\r\nTOP)"));
}

TEST(pop3_limits, framing_errors) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  EXPECT_EQ(d.bytes("NOOP\n"),
            R"(send "-ERR Syntax error: line ended by a bare LF (CRLF required)\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("NO\rOP\r\n"), R"(send "-ERR Syntax error: bare CR inside a line\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes(std::string("USER a\0b\r\n", 10)),
            R"(send "-ERR Syntax error: NUL byte inside a line\r\n"
read 600000ms)");
}

TEST(pop3_limits, configured_idle_timeout) {
  config c = listener(listener_kind::pop3);
  c.limits.idle_timeout_ms = 30'000;
  driver d(c);
  EXPECT_EQ(d.connect(), R"(log info "connect from 192.0.2.7:40110 listener=pop3 tls=no"
send "+OK mailtls POP3 ready\r\n"
read 30000ms)");
  EXPECT_EQ(d.timeout(), R"(log info "idle timeout"
send "-ERR Autologout; idle for too long\r\n"
close)");
  EXPECT_TRUE(d.session->closed());
}

TEST(pop3_limits, shutdown_in_authorization) {
  driver d;
  d.connect();
  EXPECT_EQ(d.shutdown(), R"(log info "server shutting down"
send "-ERR [SYS/TEMP] Server shutting down\r\n"
close)");
}

TEST(pop3_limits, pipelined_commands_with_a_failed_login_in_the_middle) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  EXPECT_EQ(d.bytes("USER alice@example.org\r\nPASS nope\r\nUSER alice@example.org\r\nPASS "
                    "secret\r\nSTAT\r\n"),
            R"(send "+OK Password required\r\n"
log warn "authentication failed user=alice@example.org mechanism=USER"
pause 1000ms
send "-ERR [AUTH] Authentication failed\r\n"
send "+OK Password required\r\n"
log info "login user=alice@example.org mechanism=USER tls=yes"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
send "+OK 2 99\r\n"
read 600000ms)");
}

TEST(pop3_limits, bytes_after_quit_are_ignored) {
  driver d(listener(listener_kind::pop3s));
  d.login();
  EXPECT_EQ(d.bytes("QUIT\r\nDELE 1\r\n"),
            R"(log info "logout user=alice@example.org deleted=0 left=2"
send "+OK mailtls POP3 server signing off (2 messages left)\r\n"
close)");
}

TEST(pop3_limits, before_connect_bytes_are_ignored) {
  driver d;
  EXPECT_EQ(d.bytes("CAPA\r\n"), R"(log error "ignored 6 bytes received while not reading")");
  EXPECT_EQ(d.timeout(), "");
}

TEST(pop3_split, user_pass_transaction_session) {
  const std::string t = expect_split_invariant(
      listener(listener_kind::pop3s),
      "CAPA\r\nUSER alice@example.org\r\nPASS wrong\r\nUSER alice@example.org\r\nPASS "
      "secret\r\nLIST\r\nRETR 1\r\nTOP 2 1\r\nDELE 1\r\nUIDL\r\nQUIT\r\n");
  EXPECT_NE(t.find(R"(send "+OK Unique-ID listing follows\r\n2 m2\r\n.\r\n")"), std::string::npos)
      << t;
  EXPECT_TRUE(
      t.ends_with("send \"+OK mailtls POP3 server signing off (1 messages left)\\r\\n\"\n"
                  "close"))
      << t;
}

TEST(pop3_split, sasl_exchanges_and_errors) {
  const std::string t = expect_split_invariant(
      listener(listener_kind::pop3s),
      "AUTH LOGIN\r\nYWxpY2VAZXhhbXBsZS5vcmc=\r\n*\r\nAUTH PLAIN\r\n!!\r\nBAD\n\r\nAUTH "
      "PLAIN\r\nAGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldA==\r\nSTAT\r\n");
  EXPECT_TRUE(t.ends_with("send \"+OK 2 99\\r\\n\"\nread 600000ms")) << t;
}

TEST(pop3_split, cleartext_110_refusals) {
  const std::string t = expect_split_invariant(
      listener(listener_kind::pop3),
      "CAPA\r\nUSER alice@example.org\r\nPASS secret\r\nAUTH PLAIN\r\nSTLS x\r\nSTAT\r\n");
  EXPECT_EQ(t, R"(log info "connect from 192.0.2.7:40110 listener=pop3 tls=no"
send "+OK mailtls POP3 ready\r\n"
send "+OK Capability list follows\r\nSTLS\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nIMPLEMENTATION mailtls\r\n.\r\n"
send "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n"
send "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n"
send "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n"
send "-ERR Syntax error: STLS takes no arguments\r\n"
send "-ERR Command not valid in AUTHORIZATION state\r\n"
read 600000ms)");
}

TEST(pop3_split, stls_line_in_pieces) {
  // STLS arriving byte by byte is accepted once its CRLF arrives, with nothing to discard.
  const std::string t = expect_split_invariant(listener(listener_kind::pop3), "CAPA\r\nSTLS\r\n");
  EXPECT_TRUE(t.ends_with("send \"+OK Begin TLS negotiation\\r\\n\"\nstart_tls")) << t;
}

}  // namespace
}  // namespace mailtls::server::pop3::test
