// STARTTLS (RFC 3207): the ready reply, the discard of pipelined plaintext (§4.2), the state reset,
// errors, and the TLS outcome events.
#include "harness.hpp"

namespace mailtls::server::smtp::test {
namespace {

constexpr const char* ready = R"(send "220 2.0.0 Ready to start TLS\r\n")";

TEST(starttls, accepted_then_client_speaks_first) {
  harness h(listener::smtp);
  h.connected();
  h.feed("EHLO client.example\r\n");
  EXPECT_EQ(h.feed("STARTTLS\r\n"), std::string(ready) + "\nstart_tls");
  EXPECT_FALSE(h.s->tls_active());
  // Nothing is sent when the handshake completes: the client speaks first.
  EXPECT_EQ(h.tls_up(), "read 300000ms");
  EXPECT_TRUE(h.s->tls_active());
}

TEST(starttls, lower_case_and_without_ehlo) {
  harness h(listener::smtp);
  h.connected();
  EXPECT_EQ(h.feed("starttls\r\n"), std::string(ready) + "\nstart_tls");
}

TEST(starttls, pipelined_plaintext_is_discarded) {
  // RFC 3207 §4.2 / CVE-2011-0411: what followed STARTTLS in the same read is never answered.
  harness h(listener::smtp);
  h.connected();
  EXPECT_EQ(h.feed("EHLO c\r\nSTARTTLS\r\nMAIL FROM:<evil@remote.test>\r\nRCPT TO:<alice@"),
            R"(send "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n)"
            R"(250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n")"
            "\n" +
                std::string(ready) +
                "\nlog warn \"discarded 45 bytes pipelined after STARTTLS\"\nstart_tls");
  EXPECT_EQ(h.tls_up(), "read 300000ms");
  EXPECT_FALSE(h.s->in_transaction());
  // The injected MAIL had no effect: the half line "RCPT TO:<alice@" was dropped too.
  EXPECT_EQ(h.feed("EHLO c\r\nRCPT TO:<alice@example.org>\r\n"),
            R"(send "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n)"
            R"(250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n")"
            "\nsend \"503 5.5.1 Error: need MAIL command\\r\\n\"\nread 300000ms");
}

TEST(starttls, state_is_reset_after_tls) {
  // RFC 3207 §4.2: EHLO, MAIL and RCPT learned before TLS are forgotten.
  harness h(listener::smtp);
  h.connected();
  h.feed("EHLO client.example\r\nMAIL FROM:<x@remote.test>\r\nRCPT TO:<alice@example.org>\r\n");
  EXPECT_TRUE(h.s->in_transaction());
  h.feed("STARTTLS\r\n");
  h.tls_up();
  EXPECT_EQ(h.s->helo(), "");
  EXPECT_FALSE(h.s->in_transaction());
  EXPECT_EQ(h.feed("MAIL FROM:<x@remote.test>\r\n"),
            "send \"503 5.5.1 EHLO/HELO first\\r\\n\"\nread 300000ms");
  EXPECT_EQ(h.feed("DATA\r\n"), "send \"503 5.5.1 Error: need MAIL command\\r\\n\"\nread 300000ms");
}

TEST(starttls, with_argument_is_a_syntax_error) {
  harness h(listener::smtp);
  h.connected();
  EXPECT_EQ(h.feed("STARTTLS now\r\n"),
            "send \"501 5.5.4 Syntax: STARTTLS\\r\\n\"\nread 300000ms");  // RFC 3207 §4
  EXPECT_FALSE(h.s->tls_active());
  EXPECT_EQ(h.s->bad_commands(), 1u);
  // Trailing white space is not an argument (RFC 5321 §4.1.1).
  EXPECT_EQ(h.feed("STARTTLS \r\n"), std::string(ready) + "\nstart_tls");
}

TEST(starttls, refused_inside_tls) {
  harness h(listener::submission);
  h.connected();
  h.secured();
  EXPECT_EQ(h.feed("STARTTLS\r\n"),
            "send \"554 5.5.1 Error: TLS already active\\r\\n\"\nread 300000ms");
  EXPECT_TRUE(h.s->tls_active());
}

TEST(starttls, refused_on_implicit_tls) {
  harness h(listener::submissions);
  h.connected();
  EXPECT_EQ(h.feed("EHLO c\r\nSTARTTLS\r\nNOOP\r\n"),
            R"(send "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n)"
            R"(250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN LOGIN\r\n)"
            R"(250 SMTPUTF8\r\n")"
            "\nsend \"554 5.5.1 Error: TLS already active\\r\\n\"\n"
            "send \"250 2.0.0 Ok\\r\\n\"\nread 300000ms");
}

TEST(starttls, not_offered_when_disabled) {
  auto c = make_config(listener::smtp);
  c.offer_starttls = false;
  harness h(c);
  h.connected();
  EXPECT_EQ(h.feed("EHLO c\r\n"),
            R"(send "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n)"
            R"(250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n")"
            "\nread 300000ms");
  EXPECT_EQ(h.feed("STARTTLS\r\n"),
            "send \"502 5.5.1 Error: command not implemented\\r\\n\"\nread 300000ms");
}

TEST(starttls, handshake_failure_closes) {
  harness h(listener::submission);
  h.connected();
  h.feed("STARTTLS\r\n");
  EXPECT_EQ(h.tls_failed("no shared cipher"),
            "log warn \"TLS handshake failed: no shared cipher\"\nclose");
  EXPECT_TRUE(h.s->closed());
  EXPECT_EQ(h.feed("EHLO c\r\n"), "");
}

TEST(starttls, bytes_during_handshake_are_dropped) {
  harness h(listener::smtp);
  h.connected();
  h.feed("STARTTLS\r\n");
  EXPECT_EQ(h.feed("\x16\x03\x01"),
            "log error \"discarded 3 bytes received during the TLS handshake\"");
  EXPECT_EQ(h.tls_up(), "read 300000ms");
  EXPECT_EQ(h.feed("NOOP\r\n"), "send \"250 2.0.0 Ok\\r\\n\"\nread 300000ms");
}

TEST(starttls, timeout_and_shutdown_while_awaiting_the_handshake) {
  harness h(listener::smtp);
  h.connected();
  h.feed("STARTTLS\r\n");
  EXPECT_EQ(h.timeout(), "log info \"idle timeout\"\nclose");
  harness g(listener::smtp);
  g.connected();
  g.feed("STARTTLS\r\n");
  EXPECT_EQ(g.shutdown(), "close");
}

TEST(starttls, received_header_names_the_tls_version) {
  harness h(listener::smtp);
  h.connected();
  h.secured();
  h.feed("EHLO client.example\r\nMAIL FROM:<x@remote.test>\r\nRCPT TO:<alice@example.org>\r\n");
  h.feed("DATA\r\nhi\r\n.\r\n");
  ASSERT_EQ(h.backend.deliveries().size(), 1u);
  const auto& d = h.backend.deliveries()[0];
  EXPECT_EQ(d.message,
            "Received: from client.example ([192.0.2.7])\r\n"
            "\tby mx.example.org (mailtls) with ESMTPS (using TLSv1.3 with cipher "
            "TLS_AES_128_GCM_SHA256)\r\n"
            "\tfor <alice@example.org>; Tue, 14 Nov 2023 22:13:20 +0000\r\nhi\r\n");
  EXPECT_TRUE(d.env.tls);
}

}  // namespace
}  // namespace mailtls::server::smtp::test
