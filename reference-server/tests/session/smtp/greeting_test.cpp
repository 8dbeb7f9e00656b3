// Greeting, EHLO/HELO capabilities per listener, HELP and the small commands.
#include "harness.hpp"

namespace mailtls::server::smtp::test {
namespace {

constexpr const char* ehlo_25 =
    R"(send "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n)"
    R"(250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n")";
constexpr const char* ehlo_after_tls_25 =
    R"(send "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n)"
    R"(250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n")";
constexpr const char* ehlo_auth =
    R"(send "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n)"
    R"(250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n")";

std::string then_read(const std::string& s) {
  return s + "\nread 300000ms";
}

TEST(config, seed_policy_per_listener) {
  const auto smtp = make_config(listener::smtp);
  EXPECT_EQ(smtp.host_name, "mx.example.org");
  EXPECT_TRUE(smtp.offer_starttls);
  EXPECT_FALSE(smtp.require_tls_before_mail_and_auth);
  EXPECT_FALSE(smtp.offer_auth);
  EXPECT_FALSE(smtp.require_auth_for_mail);
  EXPECT_TRUE(smtp.accept_local_delivery);
  EXPECT_FALSE(smtp.relay_for_authenticated);
  EXPECT_FALSE(smtp.offer_chunking);
  EXPECT_EQ(smtp.max_line, 512u);
  EXPECT_EQ(smtp.idle_timeout_ms, 300000u);
  EXPECT_EQ(smtp.max_bad_commands, 10u);
  EXPECT_EQ(smtp.failed_auth_delay_ms, 1000u);
  EXPECT_TRUE(smtp.bugs.empty());

  const auto sub = make_config(listener::submission);
  EXPECT_TRUE(sub.offer_starttls);
  EXPECT_TRUE(sub.require_tls_before_mail_and_auth);
  EXPECT_TRUE(sub.offer_auth);
  EXPECT_TRUE(sub.require_auth_for_mail);
  EXPECT_TRUE(sub.relay_for_authenticated);

  const auto subs = make_config(listener::submissions);
  EXPECT_FALSE(subs.offer_starttls);
  EXPECT_TRUE(subs.offer_auth);
  EXPECT_TRUE(subs.require_auth_for_mail);
  EXPECT_TRUE(subs.relay_for_authenticated);

  EXPECT_EQ(to_string(listener::smtp), "smtp");
  EXPECT_EQ(to_string(listener::submission), "submission");
  EXPECT_EQ(to_string(listener::submissions), "submissions");
}

TEST(greeting, plain_and_implicit_tls) {
  harness h(listener::smtp);
  EXPECT_EQ(h.connect(), then_read(R"(send "220 mx.example.org ESMTP mailtls\r\n")"));
  EXPECT_FALSE(h.s->tls_active());
  EXPECT_FALSE(h.s->authenticated());
  EXPECT_FALSE(h.s->closed());

  harness i(listener::submissions);
  EXPECT_EQ(i.connect(true), then_read(R"(send "220 mx.example.org ESMTP mailtls\r\n")"));
  EXPECT_TRUE(i.s->tls_active());
}

TEST(greeting, loud_when_bugs_are_injected) {
  auto c = with_bug(make_config(listener::smtp), bug::smtp_open_relay);
  c.bugs.add(bug::smtp_starttls_injection);
  harness h(c);
  EXPECT_EQ(h.connect(),
            "log warn \"BUG INJECTION active: smtp-starttls-injection, smtp-open-relay\"\n"
            "send \"220 mx.example.org ESMTP mailtls (BUG INJECTION: smtp-starttls-injection, "
            "smtp-open-relay)\\r\\n\"\nread 300000ms");
}

TEST(ehlo, port_25_offers_starttls_not_auth) {
  harness h(listener::smtp);
  h.connected();
  EXPECT_EQ(h.feed("EHLO client.example\r\n"), then_read(ehlo_25));
  EXPECT_EQ(h.s->helo(), "client.example");
  // After TLS: no STARTTLS (RFC 3207 §4.2), still no AUTH.
  h.feed("STARTTLS\r\n");
  EXPECT_EQ(h.tls_up(), "read 300000ms");
  EXPECT_EQ(h.feed("ehlo client.example\r\n"), then_read(ehlo_after_tls_25));
}

TEST(ehlo, submission_auth_only_after_tls) {
  harness h(listener::submission);
  h.connected();
  EXPECT_EQ(h.feed("EHLO client.example\r\n"), then_read(ehlo_25));  // STARTTLS, no AUTH
  EXPECT_EQ(h.feed("STARTTLS\r\n"), R"(send "220 2.0.0 Ready to start TLS\r\n")"
                                    "\nstart_tls");
  EXPECT_EQ(h.tls_up(), "read 300000ms");
  EXPECT_EQ(h.feed("EHLO client.example\r\n"), then_read(ehlo_auth));
}

TEST(ehlo, submissions_offers_auth_no_starttls) {
  harness h(listener::submissions);
  h.connected();
  EXPECT_EQ(h.feed("EHLO [192.0.2.7]\r\n"), then_read(ehlo_auth));
  EXPECT_EQ(h.s->helo(), "[192.0.2.7]");
}

TEST(ehlo, chunking_when_configured) {
  auto c = make_config(listener::smtp);
  c.offer_chunking = true;
  c.max_message_size = 1000;
  harness h(c);
  h.connected();
  EXPECT_EQ(h.feed("EHLO c\r\n"),
            then_read(R"(send "250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 1000\r\n)"
                      R"(250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n)"
                      R"(250-CHUNKING\r\n250 SMTPUTF8\r\n")"));
}

TEST(ehlo, helo_has_no_extensions_and_ehlo_resets_the_transaction) {
  harness h(listener::smtp);
  h.connected();
  EXPECT_EQ(h.feed("HELO client.example\r\n"), then_read(R"(send "250 mx.example.org\r\n")"));
  // No ESMTP parameters after HELO (RFC 5321 §4.1.1.11), no AUTH (RFC 4954 §4).
  EXPECT_EQ(h.feed("MAIL FROM:<a@remote.test> SIZE=10\r\n"),
            then_read(R"(send "555 5.5.4 Unsupported option: SIZE\r\n")"));
  EXPECT_EQ(h.feed("MAIL FROM:<a@remote.test>\r\n"), then_read(R"(send "250 2.1.0 Ok\r\n")"));
  EXPECT_TRUE(h.s->in_transaction());
  h.feed("EHLO client.example\r\n");
  EXPECT_FALSE(h.s->in_transaction());  // RFC 5321 §4.1.4
  h.feed("MAIL FROM:<a@remote.test>\r\n");
  h.feed("HELO other.example\r\n");
  EXPECT_FALSE(h.s->in_transaction());
  EXPECT_EQ(h.s->helo(), "other.example");
}

TEST(commands, noop_rset_vrfy_expn_help_quit) {
  harness h(listener::smtp);
  h.connected();
  EXPECT_EQ(h.feed("NOOP\r\n"), then_read(R"(send "250 2.0.0 Ok\r\n")"));
  EXPECT_EQ(h.feed("NOOP anything at all\r\n"), then_read(R"(send "250 2.0.0 Ok\r\n")"));
  EXPECT_EQ(h.feed("EHLO c\r\nMAIL FROM:<>\r\nRSET\r\n"),
            then_read(std::string(ehlo_25) + "\n" + R"(send "250 2.1.0 Ok\r\n")" + "\n" +
                      R"(send "250 2.0.0 Ok\r\n")"));
  EXPECT_FALSE(h.s->in_transaction());
  EXPECT_EQ(h.feed("VRFY alice\r\n"),
            then_read(R"(send "252 2.5.0 Cannot VRFY user, but will accept message and )"
                      R"(attempt delivery\r\n")"));
  EXPECT_EQ(h.feed("EXPN staff\r\n"), then_read(R"(send "502 5.5.1 EXPN not available\r\n")"));
  EXPECT_EQ(h.feed("HELP\r\n"),
            then_read(R"(send "214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT )"
                      R"(VRFY HELP STARTTLS\r\n")"));
  EXPECT_EQ(h.s->bad_commands(), 0u);
  EXPECT_EQ(h.feed("QUIT\r\n"), "send \"221 2.0.0 Bye\\r\\n\"\nclose");
  EXPECT_TRUE(h.s->closed());
  // Nothing after close.
  EXPECT_EQ(h.feed("NOOP\r\n"), "");
  EXPECT_EQ(h.timeout(), "");
  EXPECT_EQ(h.shutdown(), "");
}

TEST(commands, help_lists_auth_after_tls_on_submissions) {
  harness h(listener::submissions);
  h.connected();
  EXPECT_EQ(h.feed("help\r\n"),
            then_read(R"(send "214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT )"
                      R"(VRFY HELP AUTH\r\n")"));
}

TEST(commands, quit_discards_what_follows) {
  harness h(listener::smtp);
  h.connected();
  EXPECT_EQ(h.feed("QUIT\r\nNOOP\r\n"), "send \"221 2.0.0 Bye\\r\\n\"\nclose");
}

}  // namespace
}  // namespace mailtls::server::smtp::test
