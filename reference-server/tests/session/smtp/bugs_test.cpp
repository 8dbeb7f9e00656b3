// Injected bugs (bugs.hpp): each one changes exactly the behaviour the harness must catch. The
// correct behaviour (bug off) is asserted next to it.
#include "harness.hpp"

namespace mailtls::server::smtp::test {
namespace {

constexpr const char* rd = "\nread 300000ms";
constexpr const char* ready = "send \"220 2.0.0 Ready to start TLS\\r\\n\"";

TEST(bugs, smtp_starttls_injection) {
  const std::string attack = "EHLO c\r\nSTARTTLS\r\nMAIL FROM:<evil@remote.test>\r\n";
  // Off: discarded (see starttls_test.cpp for the full transcript).
  harness off(listener::smtp);
  off.connected();
  off.feed(attack);
  EXPECT_EQ(off.tls_up(), "read 300000ms");
  EXPECT_FALSE(off.s->in_transaction());
  // On: kept and answered inside TLS (CVE-2011-0411).
  harness on(with_bug(make_config(listener::smtp), bug::smtp_starttls_injection));
  on.connected();
  const std::string t = on.feed(attack);
  EXPECT_NE(t.find(std::string(ready) +
                   "\n"
                   "log warn \"BUG INJECTION smtp-starttls-injection: kept 30 bytes pipelined "
                   "after STARTTLS\"\nstart_tls"),
            std::string::npos)
      << t;
  EXPECT_EQ(on.tls_up(),
            "log warn \"BUG INJECTION smtp-starttls-injection: answering 30 bytes received "
            "before TLS\"\n"
            "send \"503 5.5.1 EHLO/HELO first\\r\\n\"" +
                std::string(rd));
  // With the state not reset either, the injected MAIL takes effect.
  auto c = with_bug(make_config(listener::smtp), bug::smtp_starttls_injection);
  c.bugs.add(bug::smtp_state_not_reset);
  harness both(c);
  both.connected();
  both.feed(attack);
  EXPECT_EQ(both.tls_up(),
            "log warn \"BUG INJECTION smtp-starttls-injection: answering 30 bytes received "
            "before TLS\"\n"
            "send \"250 2.1.0 Ok\\r\\n\"" +
                std::string(rd));
  EXPECT_TRUE(both.s->in_transaction());
}

TEST(bugs, submission_auth_before_tls) {
  harness on(with_bug(make_config(listener::submission), bug::submission_auth_before_tls));
  on.connected();
  EXPECT_EQ(on.feed("EHLO c\r\n"),
            "send \"250-mx.example.org\\r\\n250-PIPELINING\\r\\n250-SIZE 10240000\\r\\n"
            "250-8BITMIME\\r\\n250-ENHANCEDSTATUSCODES\\r\\n250-STARTTLS\\r\\n"
            "250-AUTH PLAIN LOGIN\\r\\n250 SMTPUTF8\\r\\n\"" +
                std::string(rd));
  EXPECT_EQ(on.feed("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "log info \"AUTH PLAIN succeeded for alice@example.org\"\n"
            "send \"235 2.7.0 Authentication successful\\r\\n\"" +
                std::string(rd));
  EXPECT_TRUE(on.s->authenticated());
  EXPECT_FALSE(on.s->tls_active());
  // MAIL still needs TLS.
  EXPECT_EQ(on.feed("MAIL FROM:<alice@example.org>\r\n"),
            "send \"530 5.7.0 Must issue a STARTTLS command first\\r\\n\"" + std::string(rd));

  harness off(listener::submission);
  off.connected();
  off.feed("EHLO c\r\n");
  EXPECT_EQ(off.feed("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "send \"530 5.7.0 Must issue a STARTTLS command first\\r\\n\"" + std::string(rd));
  EXPECT_FALSE(off.s->authenticated());
}

TEST(bugs, smtp_state_not_reset) {
  const std::string before =
      "EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\nSTARTTLS\r\n";
  harness on(with_bug(make_config(listener::smtp), bug::smtp_state_not_reset));
  on.connected();
  on.feed(before);
  on.tls_up();
  EXPECT_EQ(on.s->helo(), "c");
  EXPECT_TRUE(on.s->in_transaction());
  EXPECT_EQ(on.feed("DATA\r\n"),
            "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n\"" + std::string(rd));

  harness off(listener::smtp);
  off.connected();
  off.feed(before);
  off.tls_up();
  EXPECT_EQ(off.feed("DATA\r\n"),
            "send \"503 5.5.1 Error: need MAIL command\\r\\n\"" + std::string(rd));
}

TEST(bugs, smtp_state_not_reset_keeps_authentication) {
  auto c = with_bug(make_config(listener::submission), bug::smtp_state_not_reset);
  c.bugs.add(bug::submission_auth_before_tls);
  harness on(c);
  on.connected();
  on.feed("EHLO c\r\nAUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\nSTARTTLS\r\n");
  on.tls_up();
  EXPECT_TRUE(on.s->authenticated());
  // Without the state bug, authentication is forgotten at STARTTLS.
  harness off(with_bug(make_config(listener::submission), bug::submission_auth_before_tls));
  off.connected();
  off.feed("EHLO c\r\nAUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\nSTARTTLS\r\n");
  EXPECT_TRUE(off.s->authenticated());
  off.tls_up();
  EXPECT_FALSE(off.s->authenticated());
}

TEST(bugs, starttls_readvertised) {
  harness on(with_bug(make_config(listener::smtp), bug::starttls_readvertised));
  on.connected();
  on.secured();
  const std::string t = on.feed("EHLO c\r\n");
  EXPECT_NE(t.find("250-STARTTLS"), std::string::npos) << t;
  harness off(listener::smtp);
  off.connected();
  off.secured();
  EXPECT_EQ(off.feed("EHLO c\r\n").find("STARTTLS"), std::string::npos);
  // Not on 465, where STARTTLS was never offered.
  harness s465(with_bug(make_config(listener::submissions), bug::starttls_readvertised));
  s465.connected();
  EXPECT_EQ(s465.feed("EHLO c\r\n").find("STARTTLS"), std::string::npos);
}

TEST(bugs, starttls_argument_accepted) {
  harness on(with_bug(make_config(listener::smtp), bug::starttls_argument_accepted));
  on.connected();
  EXPECT_EQ(on.feed("STARTTLS please\r\n"),
            "log warn \"BUG INJECTION starttls-argument-accepted: STARTTLS with an argument "
            "accepted\"\n" +
                std::string(ready) + "\nstart_tls");
  harness off(listener::smtp);
  off.connected();
  EXPECT_EQ(off.feed("STARTTLS please\r\n"),
            "send \"501 5.5.4 Syntax: STARTTLS\\r\\n\"" + std::string(rd));
}

TEST(bugs, second_starttls_accepted) {
  harness on(with_bug(make_config(listener::submission), bug::second_starttls_accepted));
  on.connected();
  on.secured();
  EXPECT_EQ(on.feed("STARTTLS\r\n"),
            "log warn \"BUG INJECTION second-starttls-accepted: STARTTLS accepted inside TLS\"\n" +
                std::string(ready) + "\nstart_tls");
  harness s465(with_bug(make_config(listener::submissions), bug::second_starttls_accepted));
  s465.connected();
  EXPECT_EQ(s465.feed("STARTTLS\r\n"),
            "log warn \"BUG INJECTION second-starttls-accepted: STARTTLS accepted inside TLS\"\n" +
                std::string(ready) + "\nstart_tls");
}

TEST(bugs, smtp_auth_on_25) {
  harness on(with_bug(make_config(listener::smtp), bug::smtp_auth_on_25));
  on.connected();
  const std::string t = on.feed("EHLO c\r\n");
  EXPECT_NE(t.find("250-AUTH PLAIN LOGIN\\r\\n"), std::string::npos) << t;
  EXPECT_EQ(on.feed("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "log info \"AUTH PLAIN succeeded for alice@example.org\"\n"
            "send \"235 2.7.0 Authentication successful\\r\\n\"" +
                std::string(rd));
  // The bug is about port 25: 587 keeps its policy.
  harness sub(with_bug(make_config(listener::submission), bug::smtp_auth_on_25));
  sub.connected();
  EXPECT_EQ(sub.feed("EHLO c\r\n").find("AUTH"), std::string::npos);
}

TEST(bugs, smtp_open_relay) {
  harness on(with_bug(make_config(listener::smtp), bug::smtp_open_relay));
  on.connected();
  on.feed("EHLO c\r\nMAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(on.feed("RCPT TO:<victim@elsewhere.test>\r\n"),
            "log warn \"BUG INJECTION smtp-open-relay: relaying to <victim@elsewhere.test> "
            "without authentication\"\n"
            "send \"250 2.1.5 Ok\\r\\n\"" +
                std::string(rd));
  on.feed("DATA\r\nspam\r\n.\r\n");
  ASSERT_EQ(on.backend.spooled().size(), 1u);
  harness off(listener::smtp);
  off.connected();
  off.feed("EHLO c\r\nMAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(
      off.feed("RCPT TO:<victim@elsewhere.test>\r\n"),
      "send \"554 5.7.1 <victim@elsewhere.test>: Relay access denied\\r\\n\"" + std::string(rd));
}

std::unique_ptr<harness> smuggling_mx(bool bug_on) {
  auto c = make_config(listener::smtp);
  if (bug_on) c.bugs.add(bug::bare_lf_end_of_data);
  auto h = std::make_unique<harness>(c);
  h->connected();
  h->feed("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n");
  return h;
}

TEST(bugs, bare_lf_end_of_data_smuggles_a_second_message) {
  // CVE-2023-51764: "\n.\n" ends the first message, the rest is taken for commands.
  const std::string input =
      "Subject: one\r\n\r\nbody\n.\nMAIL FROM:<ceo@example.org>\r\n"
      "RCPT TO:<bob@example.org>\r\nDATA\r\nSubject: forged\r\n\r\n.\r\n";
  const std::string t = expect_split_invariant([] { return smuggling_mx(true); }, input);
  EXPECT_EQ(t,
            "log warn \"BUG INJECTION bare-lf-end-of-data: <LF>.<LF> ended the message\"\n"
            "log info \"accepted 153 octets from <a@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\n"
            "send \"250 2.1.0 Ok\\r\\n\"\nsend \"250 2.1.5 Ok\\r\\n\"\n"
            "send \"354 End data with <CR><LF>.<CR><LF>\\r\\n\"\n"
            "log info \"accepted 149 octets from <ceo@example.org> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\n");
  auto on = smuggling_mx(true);
  on->feed(input);
  ASSERT_EQ(on->backend.deliveries().size(), 2u);
  EXPECT_EQ(on->backend.deliveries()[0].message.substr(
                on->backend.deliveries()[0].message.find("Subject")),
            "Subject: one\r\n\r\nbody\n");
  EXPECT_EQ(on->backend.deliveries()[1].env.mail_from, "ceo@example.org");

  // Off: one message, the "commands" are content.
  const std::string u = expect_split_invariant([] { return smuggling_mx(false); }, input);
  EXPECT_EQ(u,
            "log warn \"1 end-of-data look-alike(s) kept as content (first at data offset 21)\"\n"
            "log info \"accepted 236 octets from <a@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\n");
}

TEST(bugs, bare_lf_end_of_data_variants) {
  // ".\n" right at the start, "\r\n.\n", and the normal end still work with the bug on.
  for (const char* in : {".\nNOOP\r\n", "x\r\n.\nNOOP\r\n", "x\r\n.\r\nNOOP\r\n"}) {
    const std::string t = expect_split_invariant([] { return smuggling_mx(true); }, in);
    EXPECT_NE(t.find("send \"250 2.0.0 Ok: queued\\r\\n\"\nsend \"250 2.0.0 Ok\\r\\n\"\n"),
              std::string::npos)
        << in << "\n"
        << t;
  }
  // Dots that are not look-alikes stay content: "..\n", "x.\n", "\n..\n".
  const std::string t =
      expect_split_invariant([] { return smuggling_mx(true); }, "..\nx.\n\n..\n\r\n.\r\n");
  EXPECT_EQ(t,
            "log info \"accepted 143 octets from <a@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\n");
}

TEST(bugs, other_protocols_bugs_only_change_the_greeting) {
  harness h(with_bug(make_config(listener::smtp), bug::pop3_stls_injection));
  EXPECT_EQ(h.connect(),
            "log warn \"BUG INJECTION active: pop3-stls-injection\"\n"
            "send \"220 mx.example.org ESMTP mailtls (BUG INJECTION: pop3-stls-injection)\\r\\n\"" +
                std::string(rd));
  EXPECT_EQ(h.feed("STARTTLS\r\nNOOP\r\n"), std::string(ready) +
                                                "\nlog warn \"discarded 6 bytes pipelined after "
                                                "STARTTLS\"\nstart_tls");
  EXPECT_EQ(h.tls_up(), "read 300000ms");
}

}  // namespace
}  // namespace mailtls::server::smtp::test
