// 587 and 465: STARTTLS required before anything but EHLO/HELO/NOOP/RSET/QUIT/STARTTLS
// (RFC 3207 §4, RFC 8314 §3.3), MAIL only after AUTH (RFC 4954 §6), relay for authenticated
// clients.
#include "harness.hpp"

namespace mailtls::server::smtp::test {
namespace {

constexpr const char* must_tls = "send \"530 5.7.0 Must issue a STARTTLS command first\\r\\n\"";

TEST(submission, everything_else_needs_starttls_first) {
  auto c = make_config(listener::submission);
  c.max_bad_commands = 0;  // unlimited, to see every reply
  harness h(c);
  h.connected();
  h.feed("EHLO client.example\r\n");
  for (const char* cmd :
       {"MAIL FROM:<alice@example.org>\r\n", "RCPT TO:<bob@example.org>\r\n", "DATA\r\n",
        "VRFY alice\r\n", "EXPN staff\r\n", "AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n",
        "AUTH LOGIN\r\n", "BDAT 5 LAST\r\n", "HELP\r\n",
        // Refused whatever the arguments: no syntax check before TLS.
        "MAIL FROM:broken\r\n", "AUTH PLAIN !!!\r\n", "RCPT\r\n", "mail from:<x@y>\r\n"}) {
    EXPECT_EQ(h.feed(cmd), std::string(must_tls) + "\nread 300000ms") << cmd;
  }
  EXPECT_FALSE(h.s->authenticated());
  EXPECT_FALSE(h.s->in_transaction());
  EXPECT_EQ(h.backend.authentications(), 0u);  // the password was never even looked at
  // These work.
  EXPECT_EQ(h.feed("NOOP\r\n"), "send \"250 2.0.0 Ok\\r\\n\"\nread 300000ms");
  EXPECT_EQ(h.feed("RSET\r\n"), "send \"250 2.0.0 Ok\\r\\n\"\nread 300000ms");
  EXPECT_EQ(h.feed("HELO client.example\r\n"), "send \"250 mx.example.org\\r\\n\"\nread 300000ms");
  // Unknown commands stay "not recognized".
  EXPECT_EQ(h.feed("XYZZY\r\n"),
            "send \"500 5.5.2 Error: command not recognized\\r\\n\"\nread 300000ms");
  EXPECT_EQ(h.feed("QUIT\r\n"), "send \"221 2.0.0 Bye\\r\\n\"\nclose");
}

TEST(submission, pipelined_gate_replies_are_in_order) {
  const std::string t = expect_split_invariant(
      [] {
        auto h = std::make_unique<harness>(listener::submission);
        h->connected();
        return h;
      },
      "EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<alice@example.org>\r\nNOOP\r\n");
  EXPECT_EQ(
      t,
      "send \"250-mx.example.org\\r\\n250-PIPELINING\\r\\n250-SIZE 10240000\\r\\n"
      "250-8BITMIME\\r\\n250-ENHANCEDSTATUSCODES\\r\\n250-STARTTLS\\r\\n250 SMTPUTF8\\r\\n\"\n" +
          std::string(must_tls) + "\n" + must_tls + "\nsend \"250 2.0.0 Ok\\r\\n\"\n");
}

TEST(submission, mail_requires_auth_after_tls) {
  harness h(listener::submission);
  h.connected();
  h.secured();
  h.feed("EHLO client.example\r\n");
  EXPECT_EQ(h.feed("MAIL FROM:<alice@example.org>\r\n"),
            "send \"530 5.7.0 Authentication required\\r\\n\"\nread 300000ms");
  EXPECT_EQ(h.feed("RCPT TO:<bob@example.org>\r\n"),
            "send \"503 5.5.1 Error: need MAIL command\\r\\n\"\nread 300000ms");
}

TEST(submission, authenticated_relay_is_spooled) {
  harness h(listener::submission);
  h.connected();
  h.logged_in();
  EXPECT_EQ(h.feed("MAIL FROM:<alice@example.org>\r\nRCPT TO:<carol@remote.test>\r\n"
                   "RCPT TO:<bob@example.org>\r\nRCPT TO:<nobody@example.org>\r\nDATA\r\n"),
            "send \"250 2.1.0 Ok\\r\\n\"\nsend \"250 2.1.5 Ok\\r\\n\"\n"
            "send \"250 2.1.5 Ok\\r\\n\"\n"
            "send \"550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in "
            "local recipient table\\r\\n\"\n"
            "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n\"\nread 300000ms");
  EXPECT_EQ(h.feed("Subject: x\r\n\r\nhello\r\n.\r\n"),
            "log info \"accepted 195 octets from <alice@example.org> for 2 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\nread 300000ms");
  ASSERT_EQ(h.backend.spooled().size(), 1u);
  const auto& d = h.backend.spooled()[0];
  EXPECT_EQ(d.env.rcpt_to, (std::vector<std::string>{"carol@remote.test", "bob@example.org"}));
  EXPECT_EQ(d.env.authenticated_user, "alice@example.org");
  EXPECT_EQ(d.env.helo, "client.example");
  EXPECT_EQ(d.env.mail_from, "alice@example.org");
  EXPECT_EQ(d.env.peer_address, "192.0.2.7");
  EXPECT_TRUE(d.env.tls);
  EXPECT_EQ(d.message,
            "Received: from client.example ([192.0.2.7])\r\n"
            "\tby mx.example.org (mailtls) with ESMTPSA (using TLSv1.3 with cipher "
            "TLS_AES_128_GCM_SHA256);\r\n"
            "\tTue, 14 Nov 2023 22:13:20 +0000\r\nSubject: x\r\n\r\nhello\r\n");
  auto box = h.backend.open_mailbox("bob@example.org", "INBOX");
  ASSERT_NE(box, nullptr);
  EXPECT_EQ(box->messages().size(), 1u);
}

TEST(submissions, implicit_tls_auth_then_mail) {
  harness h(listener::submissions);
  h.connected();
  EXPECT_EQ(h.feed("EHLO client.example\r\nMAIL FROM:<alice@example.org>\r\n"),
            "send \"250-mx.example.org\\r\\n250-PIPELINING\\r\\n250-SIZE 10240000\\r\\n"
            "250-8BITMIME\\r\\n250-ENHANCEDSTATUSCODES\\r\\n250-AUTH PLAIN LOGIN\\r\\n"
            "250 SMTPUTF8\\r\\n\"\n"
            "send \"530 5.7.0 Authentication required\\r\\n\"\nread 300000ms");
  h.logged_in();
  EXPECT_EQ(h.feed("MAIL FROM:<alice@example.org>\r\nRCPT TO:<x@remote.test>\r\nDATA\r\n.\r\n"),
            "send \"250 2.1.0 Ok\\r\\n\"\nsend \"250 2.1.5 Ok\\r\\n\"\n"
            "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n\"\n"
            "log info \"accepted 143 octets from <alice@example.org> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\nread 300000ms");
  ASSERT_EQ(h.backend.spooled().size(), 1u);
  // The TLS version of an implicit-TLS connection is not known to the session (no tls_facts at
  // on_connect): the Received: header says ESMTPSA without the version comment.
  EXPECT_EQ(h.backend.spooled()[0].message,
            "Received: from client.example ([192.0.2.7])\r\n"
            "\tby mx.example.org (mailtls) with ESMTPSA\r\n"
            "\tfor <x@remote.test>; Tue, 14 Nov 2023 22:13:20 +0000\r\n");
}

}  // namespace
}  // namespace mailtls::server::smtp::test
