// AUTH (RFC 5034) with PLAIN (RFC 4616) and LOGIN, through the SASL server session.
#include <gtest/gtest.h>

#include "driver.hpp"

namespace mailtls::server::pop3::test {
namespace {

constexpr std::string_view plain_alice = "AGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldA==";
constexpr std::string_view logged_in_plain =
    R"(log info "login user=alice@example.org mechanism=PLAIN tls=yes"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
read 600000ms)";

driver connected_995() {
  return driver(listener(listener_kind::pop3s));
}

TEST(pop3_sasl, bare_auth_lists_the_mechanisms) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("AUTH\r\n"),
            R"(send "+OK Supported SASL mechanisms follow\r\nPLAIN\r\nLOGIN\r\n.\r\n"
read 600000ms)");
}

TEST(pop3_sasl, plain_with_initial_response) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("AUTH PLAIN " + std::string(plain_alice) + "\r\n"), logged_in_plain);
  EXPECT_TRUE(d.session->authenticated());
}

TEST(pop3_sasl, plain_after_an_empty_challenge) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("auth plain\r\n"), R"(send "+ \r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes(std::string(plain_alice) + "\r\n"), logged_in_plain);
}

TEST(pop3_sasl, plain_with_matching_authzid) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("AUTH PLAIN YWxpY2VAZXhhbXBsZS5vcmcAYWxpY2VAZXhhbXBsZS5vcmcAc2VjcmV0\r\n"),
            logged_in_plain);
}

TEST(pop3_sasl, plain_with_another_authzid_fails) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("AUTH PLAIN Ym9iQGV4YW1wbGUub3JnAGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldA==\r\n"),
            R"(log warn "authentication failed user=alice@example.org mechanism=PLAIN"
pause 1000ms
send "-ERR [AUTH] Authentication failed\r\n"
read 600000ms)");
  EXPECT_FALSE(d.session->authenticated());
}

TEST(pop3_sasl, plain_wrong_password) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHdyb25n\r\n"),
            R"(log warn "authentication failed user=alice@example.org mechanism=PLAIN"
pause 1000ms
send "-ERR [AUTH] Authentication failed\r\n"
read 600000ms)");
}

TEST(pop3_sasl, login_two_challenges) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("AUTH LOGIN\r\n"), R"(send "+ VXNlcm5hbWU6\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("YWxpY2VAZXhhbXBsZS5vcmc=\r\n"), R"(send "+ UGFzc3dvcmQ6\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("c2VjcmV0\r\n"),
            R"(log info "login user=alice@example.org mechanism=LOGIN tls=yes"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
read 600000ms)");
}

TEST(pop3_sasl, login_with_the_user_name_as_initial_response) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("AUTH LOGIN YWxpY2VAZXhhbXBsZS5vcmc=\r\nc2VjcmV0\r\n"),
            R"(send "+ UGFzc3dvcmQ6\r\n"
log info "login user=alice@example.org mechanism=LOGIN tls=yes"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
read 600000ms)");
}

TEST(pop3_sasl, star_cancels) {
  driver d = connected_995();
  d.connect(true);
  d.bytes("AUTH LOGIN\r\n");
  EXPECT_EQ(d.bytes("*\r\n"), R"(send "-ERR Authentication cancelled\r\n"
read 600000ms)");
  // Back to commands: "*" is not a command any more.
  EXPECT_EQ(d.bytes("*\r\n"), R"(send "-ERR Unknown command\r\n"
read 600000ms)");
}

TEST(pop3_sasl, bad_base64_response_ends_the_exchange) {
  driver d = connected_995();
  d.connect(true);
  d.bytes("AUTH PLAIN\r\n");
  EXPECT_EQ(d.bytes("not base64!\r\n"), R"(log info "SASL exchange failed: invalid base64"
send "-ERR Invalid SASL response\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("NOOP\r\n"), R"(send "-ERR Command not valid in AUTHORIZATION state\r\n"
read 600000ms)");
}

TEST(pop3_sasl, malformed_plain_message) {
  driver d = connected_995();
  d.connect(true);
  // "\0alice@example.org\0": empty password (RFC 4616 §2: passwd = 1*SAFE).
  EXPECT_EQ(d.bytes("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAA==\r\n"),
            R"t(log info "SASL PLAIN exchange failed: fail malformed_message (empty_password @19)"
send "-ERR Invalid SASL response\r\n"
read 600000ms)t");
  EXPECT_EQ(d.backend.authentications(), 0u);
}

TEST(pop3_sasl, unsupported_mechanism) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("AUTH CRAM-MD5\r\n"), R"(send "-ERR Unsupported authentication mechanism\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("AUTH PLAIN " + std::string(plain_alice) + "\r\n"), logged_in_plain);
}

TEST(pop3_sasl, invalid_initial_response_is_a_syntax_error) {
  driver d = connected_995();
  d.connect(true);
  EXPECT_EQ(d.bytes("AUTH PLAIN %%%%\r\n"), R"(send "-ERR Syntax error: invalid base64\r\n"
read 600000ms)");
}

TEST(pop3_sasl, long_auth_line_is_allowed_up_to_max_auth_line) {
  driver d = connected_995();
  d.connect(true);
  // 2045 octets with CRLF: within RFC 5034's lifted limit (2048 here), beyond RFC 2449's 255.
  const std::string blob(2032, 'A');
  EXPECT_EQ(d.bytes("AUTH PLAIN " + blob + "\r\n"),
            R"t(log info "SASL PLAIN exchange failed: fail malformed_message (empty_authcid @1)"
send "-ERR Invalid SASL response\r\n"
read 600000ms)t");
  // One octet over: the line is refused and skipped.
  EXPECT_EQ(d.bytes("AUTH PLAIN " + std::string(2036, 'A') + "\r\nNOOP\r\n"),
            R"(send "-ERR Line too long\r\n"
send "-ERR Command not valid in AUTHORIZATION state\r\n"
read 600000ms)");
}

TEST(pop3_sasl, auth_after_login_is_refused) {
  driver d = connected_995();
  d.login();
  EXPECT_EQ(d.bytes("AUTH PLAIN " + std::string(plain_alice) + "\r\n"),
            R"(send "-ERR Command not valid in TRANSACTION state\r\n"
read 600000ms)");
}

TEST(pop3_sasl, secrets_never_reach_the_logs) {
  driver d = connected_995();
  d.connect(true);
  d.bytes("AUTH PLAIN " + std::string(plain_alice) + "\r\n");
  d.bytes("QUIT\r\n");
  driver e = connected_995();
  e.connect(true);
  e.bytes("AUTH LOGIN\r\nYWxpY2VAZXhhbXBsZS5vcmc=\r\nd3Jvbmc=\r\nUSER alice@example.org\r\n");
  e.bytes("PASS wrong password\r\nUSER alice@example.org\r\nPASS secret\r\n");
  for (const auto* h : {&d.history(), &e.history()}) {
    for (const auto& a : *h) {
      if (const auto* l = std::get_if<act::log>(&a)) {
        EXPECT_EQ(l->text.find("secret"), std::string::npos) << l->text;
        EXPECT_EQ(l->text.find("wrong"), std::string::npos) << l->text;
        EXPECT_EQ(l->text.find("c2VjcmV0"), std::string::npos) << l->text;
        EXPECT_EQ(l->text.find(plain_alice), std::string::npos) << l->text;
      }
    }
  }
}

}  // namespace
}  // namespace mailtls::server::pop3::test
