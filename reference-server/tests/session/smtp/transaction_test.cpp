// Port 25 mail transactions (RFC 5321 §3.3, §4.1.1.2-4): local delivery, unknown users, relay
// refusal, DATA framing, parameters, the Received: header and the durable 250.
#include "harness.hpp"

namespace mailtls::server::smtp::test {
namespace {

constexpr const char* rd = "\nread 300000ms";

std::unique_ptr<harness> mx() {
  auto h = std::make_unique<harness>(listener::smtp);
  h->connected();
  h->feed("EHLO client.example\r\n");
  return h;
}

TEST(transaction, local_delivery_whole_session_split_invariant) {
  const std::string input =
      "MAIL FROM:<sender@remote.test>\r\n"
      "RCPT TO:<alice@example.org>\r\n"
      "RCPT TO:<carol@remote.test>\r\n"
      "RCPT TO:<nobody@example.org>\r\n"
      "DATA\r\n"
      "Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\n"
      "QUIT\r\n";
  const std::string t = expect_split_invariant(mx, input);
  EXPECT_EQ(t,
            "send \"250 2.1.0 Ok\\r\\n\"\n"
            "send \"250 2.1.5 Ok\\r\\n\"\n"
            "send \"554 5.7.1 <carol@remote.test>: Relay access denied\\r\\n\"\n"
            "send \"550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in "
            "local recipient table\\r\\n\"\n"
            "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n\"\n"
            "log info \"accepted 180 octets from <sender@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\n"
            "send \"221 2.0.0 Bye\\r\\n\"\nclose\n");
  auto h = mx();
  h->feed(input);
  ASSERT_EQ(h->backend.deliveries().size(), 1u);
  EXPECT_TRUE(h->backend.spooled().empty());
  const auto& d = h->backend.deliveries()[0];
  EXPECT_EQ(d.env.mail_from, "sender@remote.test");
  EXPECT_EQ(d.env.rcpt_to, std::vector<std::string>{"alice@example.org"});
  EXPECT_EQ(d.env.authenticated_user, "");
  EXPECT_FALSE(d.env.tls);
  EXPECT_EQ(d.message,
            "Received: from client.example ([192.0.2.7])\r\n"
            "\tby mx.example.org (mailtls) with ESMTP\r\n"
            "\tfor <alice@example.org>; Tue, 14 Nov 2023 22:13:20 +0000\r\n"
            "Subject: hi\r\n\r\n.leading dot\r\nbody\r\n");
  auto box = h->backend.open_mailbox("alice@example.org", "INBOX");
  ASSERT_NE(box, nullptr);
  ASSERT_EQ(box->messages().size(), 1u);
}

TEST(transaction, helo_client_gets_smtp_protocol_and_date_from_backend) {
  harness h(listener::smtp);
  h.connected();
  h.backend.set_now(0);
  h.feed(
      "HELO [192.0.2.7]\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.org>\r\n"
      "RCPT TO:<bob@example.org>\r\nDATA\r\nx\r\n.\r\n");
  ASSERT_EQ(h.backend.deliveries().size(), 1u);
  EXPECT_EQ(h.backend.deliveries()[0].env.mail_from, "");  // the null reverse-path
  EXPECT_EQ(h.backend.deliveries()[0].message,
            "Received: from [192.0.2.7] ([192.0.2.7])\r\n"
            "\tby mx.example.org (mailtls) with SMTP;\r\n"
            "\tThu, 1 Jan 1970 00:00:00 +0000\r\nx\r\n");
}

TEST(transaction, sequence_errors) {
  harness h(listener::smtp);
  h.connected();
  EXPECT_EQ(h.feed("MAIL FROM:<a@remote.test>\r\n"),
            "send \"503 5.5.1 EHLO/HELO first\\r\\n\"" + std::string(rd));
  h.feed("EHLO c\r\n");
  EXPECT_EQ(h.feed("RCPT TO:<alice@example.org>\r\n"),
            "send \"503 5.5.1 Error: need MAIL command\\r\\n\"" + std::string(rd));
  EXPECT_EQ(h.feed("DATA\r\n"),
            "send \"503 5.5.1 Error: need MAIL command\\r\\n\"" + std::string(rd));
  h.feed("MAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(h.feed("MAIL FROM:<a@remote.test>\r\n"),
            "send \"503 5.5.1 Error: nested MAIL command\\r\\n\"" + std::string(rd));
  EXPECT_EQ(h.feed("DATA\r\n"),
            "send \"554 5.5.1 Error: no valid recipients\\r\\n\"" + std::string(rd));
  EXPECT_EQ(h.feed("RCPT TO:<nobody@example.org>\r\nDATA\r\n"),
            "send \"550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in "
            "local recipient table\\r\\n\"\n"
            "send \"554 5.5.1 Error: no valid recipients\\r\\n\"" +
                std::string(rd));
  EXPECT_EQ(h.s->bad_commands(), 6u);
}

TEST(transaction, rset_clears_the_transaction) {
  auto h = mx();
  h->feed("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\nRSET\r\n");
  EXPECT_FALSE(h->s->in_transaction());
  EXPECT_EQ(h->feed("DATA\r\n"),
            "send \"503 5.5.1 Error: need MAIL command\\r\\n\"" + std::string(rd));
}

TEST(transaction, postmaster_is_always_accepted) {
  auto h = mx();
  EXPECT_EQ(h->feed("MAIL FROM:<a@remote.test>\r\nRCPT TO:<Postmaster>\r\n"),
            "send \"250 2.1.0 Ok\\r\\n\"\nsend \"250 2.1.5 Ok\\r\\n\"" + std::string(rd));
}

TEST(transaction, domain_case_and_local_part_case) {
  auto h = mx();
  h->feed("MAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(h->feed("RCPT TO:<alice@EXAMPLE.org>\r\n"),
            "send \"250 2.1.5 Ok\\r\\n\"" + std::string(rd));
  EXPECT_EQ(h->feed("RCPT TO:<ALICE@example.org>\r\n"),
            "send \"550 5.1.1 <ALICE@example.org>: Recipient address rejected: User unknown in "
            "local recipient table\\r\\n\"" +
                std::string(rd));
}

TEST(transaction, address_literal_recipient_is_not_local) {
  auto h = mx();
  h->feed("MAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(h->feed("RCPT TO:<alice@[192.0.2.1]>\r\n"),
            "send \"554 5.7.1 <alice@[192.0.2.1]>: Relay access denied\\r\\n\"" + std::string(rd));
}

TEST(transaction, local_delivery_can_be_disabled) {
  auto c = make_config(listener::smtp);
  c.accept_local_delivery = false;
  harness h(c);
  h.connected();
  h.feed("EHLO c\r\nMAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(h.feed("RCPT TO:<alice@example.org>\r\n"),
            "send \"550 5.7.1 <alice@example.org>: Recipient address rejected: Access "
            "denied\\r\\n\"" +
                std::string(rd));
}

TEST(transaction, max_recipients) {
  auto c = make_config(listener::smtp);
  c.max_recipients = 2;
  harness h(c);
  h.connected();
  h.feed(
      "EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\n"
      "RCPT TO:<bob@example.org>\r\n");
  EXPECT_EQ(h.feed("RCPT TO:<alice@example.org>\r\n"),
            "send \"452 4.5.3 Too many recipients\\r\\n\"" + std::string(rd));  // §4.5.3.1.10
}

TEST(transaction, size_parameter_over_the_limit) {
  auto c = make_config(listener::smtp);
  c.max_message_size = 100;
  harness h(c);
  h.connected();
  h.feed("EHLO c\r\n");
  // RFC 1870 §6.1.
  EXPECT_EQ(h.feed("MAIL FROM:<a@remote.test> SIZE=101\r\n"),
            "send \"552 5.3.4 Message size exceeds fixed limit\\r\\n\"" + std::string(rd));
  EXPECT_FALSE(h.s->in_transaction());
  EXPECT_EQ(h.feed("MAIL FROM:<a@remote.test> SIZE=100 BODY=8BITMIME\r\n"),
            "send \"250 2.1.0 Ok\\r\\n\"" + std::string(rd));
}

TEST(transaction, message_over_the_limit_gets_552_after_the_end) {
  auto c = make_config(listener::smtp);
  c.max_message_size = 10;
  harness h(c);
  h.connected();
  h.feed("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
  EXPECT_EQ(h.feed("0123456789\r\n"), "read 300000ms");
  EXPECT_EQ(h.feed(".\r\nNOOP\r\n"),
            "send \"552 5.3.4 Message size exceeds fixed limit\\r\\n\"\n"
            "send \"250 2.0.0 Ok\\r\\n\"" +
                std::string(rd));
  EXPECT_TRUE(h.backend.deliveries().empty());
  EXPECT_FALSE(h.s->in_transaction());
}

TEST(transaction, unsupported_parameters_get_555) {
  auto h = mx();
  EXPECT_EQ(h->feed("MAIL FROM:<a@remote.test> RET=HDRS\r\n"),
            "send \"555 5.5.4 Unsupported option: RET\\r\\n\"" + std::string(rd));
  EXPECT_EQ(h->feed("MAIL FROM:<a@remote.test> REQUIRETLS\r\n"),
            "send \"555 5.5.4 Unsupported option: REQUIRETLS\\r\\n\"" + std::string(rd));
  EXPECT_EQ(h->feed("MAIL FROM:<a@remote.test> BODY=BINARYMIME\r\n"),
            "send \"555 5.5.4 Unsupported option: BODY=BINARYMIME\\r\\n\"" + std::string(rd));
  h->feed("MAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(h->feed("RCPT TO:<alice@example.org> NOTIFY=NEVER\r\n"),
            "send \"555 5.5.4 Unsupported option: NOTIFY\\r\\n\"" + std::string(rd));
}

TEST(transaction, smtputf8) {
  auto h = mx();
  // RFC 6531 §3.5: a non-ASCII address needs SMTPUTF8 on MAIL.
  EXPECT_EQ(h->feed("MAIL FROM:<j\xC3\xB6rg@remote.test>\r\n"),
            "send \"553 5.6.7 Sender address uses non-ASCII characters but SMTPUTF8 was not "
            "given\\r\\n\"" +
                std::string(rd));
  h->feed("MAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(h->feed("RCPT TO:<j\xC3\xB6rg@example.org>\r\n"),
            "send \"553 5.6.7 Recipient address uses non-ASCII characters but SMTPUTF8 was not "
            "given\\r\\n\"" +
                std::string(rd));
  h->feed("RSET\r\n");
  EXPECT_EQ(h->feed("MAIL FROM:<j\xC3\xB6rg@remote.test> SMTPUTF8\r\n"),
            "send \"250 2.1.0 Ok\\r\\n\"" + std::string(rd));
  EXPECT_EQ(h->feed("RCPT TO:<j\xC3\xB6rg@example.org>\r\n"),
            "send \"550 5.1.1 <j\xC3\xB6rg@example.org>: Recipient address rejected: User "
            "unknown in local recipient table\\r\\n\"" +
                std::string(rd));
}

TEST(transaction, delivery_failure_gets_451) {
  auto h = mx();
  h->backend.fail_deliveries(std::make_error_code(std::errc::no_space_on_device));
  h->feed("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
  EXPECT_EQ(h->feed("x\r\n.\r\n"),
            "log error \"delivery failed: No space left on device\"\n"
            "send \"451 4.3.0 Error: queue file write error\\r\\n\"" +
                std::string(rd));
  EXPECT_FALSE(h->s->in_transaction());
}

TEST(transaction, smuggling_look_alikes_are_content) {
  // CVE-2023-51764: only <CRLF>.<CRLF> ends DATA.
  const std::string input =
      "MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n"
      "x\n.\nMAIL FROM:<evil@remote.test>\r\nRCPT TO:<bob@example.org>\r\n"
      "y\r\n.\nz\n.\r\nw\r.\r\n\r\n.\r\n";
  const std::string t = expect_split_invariant(mx, input);
  EXPECT_EQ(t,
            "send \"250 2.1.0 Ok\\r\\n\"\nsend \"250 2.1.5 Ok\\r\\n\"\n"
            "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n\"\n"
            "log warn \"4 end-of-data look-alike(s) kept as content (first at data offset 2)\"\n"
            "log info \"accepted 222 octets from <a@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\n");
  auto h = mx();
  h->feed(input);
  ASSERT_EQ(h->backend.deliveries().size(), 1u);
  EXPECT_EQ(h->backend.deliveries()[0].env.rcpt_to, std::vector<std::string>{"alice@example.org"});
}

TEST(transaction, pipelined_after_data_end) {
  auto h = mx();
  EXPECT_EQ(h->feed("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n"
                    ".\r\nMAIL FROM:<b@remote.test>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n"
                    "two\r\n.\r\n"),
            "send \"250 2.1.0 Ok\\r\\n\"\nsend \"250 2.1.5 Ok\\r\\n\"\n"
            "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n\"\n"
            "log info \"accepted 145 octets from <a@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\n"
            "send \"250 2.1.0 Ok\\r\\n\"\nsend \"250 2.1.5 Ok\\r\\n\"\n"
            "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n\"\n"
            "log info \"accepted 148 octets from <b@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"" +
                std::string(rd));
  ASSERT_EQ(h->backend.deliveries().size(), 2u);
  EXPECT_EQ(h->backend.deliveries()[1].env.rcpt_to, std::vector<std::string>{"bob@example.org"});
}

}  // namespace
}  // namespace mailtls::server::smtp::test
