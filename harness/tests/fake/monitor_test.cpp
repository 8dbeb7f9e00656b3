#include "fake/monitor.hpp"

#include <gtest/gtest.h>

namespace mailtls::fake {
namespace {

using runner::protocol;

TEST(fake_monitor, smtp_credentials_and_mail) {
  monitor m(protocol::smtp);
  EXPECT_EQ(m.client_line("EHLO client.example"),
            (line_info{exposure::none, "EHLO client.example", "EHLO"}));
  EXPECT_EQ(m.client_line("STARTTLS"), (line_info{exposure::none, "STARTTLS", "STARTTLS"}));
  EXPECT_EQ(m.client_line("MAIL FROM:<a@example.org>"),
            (line_info{exposure::mail, "MAIL FROM:<a@example.org>", "MAIL"}));
  EXPECT_EQ(m.client_line("rcpt TO:<b@example.org>").kind, exposure::mail);
  EXPECT_EQ(m.client_line("DATA").kind, exposure::mail);
  EXPECT_EQ(m.client_line("AUTH PLAIN AGFsaWNlAHMzY3JldA=="),
            (line_info{exposure::credentials, "AUTH PLAIN <redacted>", "AUTH"}));
  EXPECT_FALSE(m.in_sasl());  // an initial response: no continuation yet
  m.server_sent("235 2.7.0 ok\r\n");
  EXPECT_FALSE(m.in_sasl());
  EXPECT_EQ(m.client_line("QUIT").kind, exposure::none);
}

TEST(fake_monitor, smtp_auth_login_continuations_are_redacted) {
  monitor m(protocol::smtp);
  EXPECT_EQ(m.client_line("AUTH LOGIN"), (line_info{exposure::credentials, "AUTH LOGIN", "AUTH"}));
  m.server_sent("334 VXNlcm5hbWU6\r\n");
  EXPECT_TRUE(m.in_sasl());
  EXPECT_EQ(m.client_line("YWxpY2U="),
            (line_info{exposure::credentials, "SASL response <redacted>", ""}));
  m.server_sent("334 UGFzc3dvcmQ6\r\n");
  EXPECT_EQ(m.client_line("czNjcmV0").summary, "SASL response <redacted>");
  m.server_sent("535 5.7.8 no\r\n");
  EXPECT_EQ(m.client_line("czNjcmV0").summary, "czNjcmV0");
  // A malformed AUTH line (the codec rejects it) is still credentials.
  EXPECT_EQ(m.client_line("auth plain a b c"),
            (line_info{exposure::credentials, "auth plain <redacted>", "AUTH"}));
}

TEST(fake_monitor, pop3_user_pass_apop_auth) {
  monitor m(protocol::pop3);
  EXPECT_EQ(m.client_line("CAPA"), (line_info{exposure::none, "CAPA", "CAPA"}));
  EXPECT_EQ(m.client_line("USER alice"), (line_info{exposure::credentials, "USER alice", "USER"}));
  EXPECT_EQ(m.client_line("PASS s3cret with spaces"),
            (line_info{exposure::credentials, "PASS <redacted>", "PASS"}));
  EXPECT_EQ(m.client_line("APOP alice c4c9334bac560ecc979e58001b3e22fb"),
            (line_info{exposure::credentials, "APOP alice <redacted>", "APOP"}));
  EXPECT_EQ(m.client_line("AUTH PLAIN"), (line_info{exposure::credentials, "AUTH PLAIN", "AUTH"}));
  m.server_sent("+ \r\n");
  EXPECT_EQ(m.client_line("AGFsaWNlAHMzY3JldA==").summary, "SASL response <redacted>");
  m.server_sent("+OK logged in\r\n");
  EXPECT_FALSE(m.in_sasl());
}

TEST(fake_monitor, imap_login_authenticate_append) {
  monitor m(protocol::imap);
  EXPECT_EQ(m.client_line("a1 CAPABILITY"),
            (line_info{exposure::none, "a1 CAPABILITY", "CAPABILITY"}));
  EXPECT_EQ(m.client_line("a2 login alice s3cret"),
            (line_info{exposure::credentials, "a2 login alice <redacted>", "LOGIN"}));
  EXPECT_EQ(m.client_line("a3 AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA=="),
            (line_info{exposure::credentials, "a3 AUTHENTICATE PLAIN <redacted>", "AUTHENTICATE"}));
  m.server_sent("a3 OK done\r\n");
  EXPECT_EQ(m.client_line("a4 APPEND INBOX {12}").kind, exposure::mail);
  EXPECT_EQ(m.client_line("a5 LOGOUT").verb, "LOGOUT");
  EXPECT_EQ(to_name(exposure::credentials), "credentials");
}

}  // namespace
}  // namespace mailtls::fake
