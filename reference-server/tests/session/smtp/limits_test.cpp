// Limits and error replies: line length (RFC 5321 §4.5.3.1.4), the bad-command counter, the idle
// timeout (§4.5.3.2.7), shutdown, and the reply chosen for each codec error.
#include "harness.hpp"

namespace mailtls::server::smtp::test {
namespace {

constexpr const char* rd = "\nread 300000ms";

std::unique_ptr<harness> mx() {
  auto c = make_config(listener::smtp);
  c.max_bad_commands = 0;
  auto h = std::make_unique<harness>(c);
  h->connected();
  h->feed("EHLO client.example\r\n");
  return h;
}

std::string sent(std::string_view reply) {
  return "send \"" + std::string(reply) + "\\r\\n\"" + rd;
}

TEST(limits, line_too_long) {
  auto h = mx();
  // 512 octets including CRLF is fine; 513 is not.
  const std::string ok = "NOOP " + std::string(505, 'x') + "\r\n";
  ASSERT_EQ(ok.size(), 512u);
  EXPECT_EQ(h->feed(ok), sent("250 2.0.0 Ok"));
  EXPECT_EQ(h->feed("NOOP " + std::string(506, 'x') + "\r\n"), sent("500 5.5.2 Line too long"));
  // Also for a line the parser rejects, and for an unknown verb.
  EXPECT_EQ(h->feed("MAIL " + std::string(600, 'x') + "\r\n"), sent("500 5.5.2 Line too long"));
  EXPECT_EQ(h->feed(std::string(600, 'x') + "\r\n"), sent("500 5.5.2 Line too long"));
  // Beyond the framing bound (12290): one reply, the rest of the line skipped.
  EXPECT_EQ(h->feed(std::string(20000, 'x')), sent("500 5.5.2 Line too long"));
  EXPECT_EQ(h->feed(std::string(20000, 'x')), "read 300000ms");
  EXPECT_EQ(h->feed("xx\r\nNOOP\r\n"), sent("250 2.0.0 Ok"));
}

TEST(limits, line_too_long_is_split_invariant) {
  const std::string input = "NOOP " + std::string(600, 'y') + "\r\nNOOP\r\n";
  EXPECT_EQ(expect_split_invariant(mx, input),
            "send \"500 5.5.2 Line too long\\r\\n\"\nsend \"250 2.0.0 Ok\\r\\n\"\n");
}

TEST(limits, configured_max_line) {
  auto c = make_config(listener::smtp);
  c.max_line = 20;
  harness h(c);
  h.connected();
  EXPECT_EQ(h.feed("NOOP 0123456789abc\r\n"), sent("250 2.0.0 Ok"));  // 20 octets
  EXPECT_EQ(h.feed("NOOP 0123456789abcd\r\n"), sent("500 5.5.2 Line too long"));
}

TEST(limits, too_many_bad_commands) {
  auto c = make_config(listener::smtp);
  c.max_bad_commands = 3;
  harness h(c);
  h.connected();
  EXPECT_EQ(h.feed("FOO\r\n"), sent("500 5.5.2 Error: command not recognized"));
  EXPECT_EQ(h.feed("MAIL FROM:<a@b.example>\r\n"), sent("503 5.5.1 EHLO/HELO first"));
  EXPECT_EQ(h.feed("NOOP\r\n"), sent("250 2.0.0 Ok"));  // fine commands do not count
  EXPECT_EQ(h.s->bad_commands(), 2u);
  EXPECT_EQ(h.feed("BAR\r\nNOOP\r\n"),
            "send \"500 5.5.2 Error: command not recognized\\r\\n\"\n"
            "log warn \"too many errors (3): closing the connection\"\n"
            "send \"421 4.7.0 mx.example.org Error: too many errors\\r\\n\"\nclose");
  EXPECT_TRUE(h.s->closed());
}

TEST(limits, default_bad_command_limit_is_ten) {
  harness h(listener::smtp);
  h.connected();
  for (int i = 0; i < 9; ++i)
    EXPECT_EQ(h.feed("X\r\n"), sent("500 5.5.2 Error: command not recognized"));
  EXPECT_EQ(h.feed("X\r\n"),
            "send \"500 5.5.2 Error: command not recognized\\r\\n\"\n"
            "log warn \"too many errors (10): closing the connection\"\n"
            "send \"421 4.7.0 mx.example.org Error: too many errors\\r\\n\"\n"
            "close");
}

TEST(limits, idle_timeout) {
  auto c = make_config(listener::smtp);
  c.idle_timeout_ms = 1234;
  harness h(c);
  EXPECT_EQ(h.connect(), "send \"220 mx.example.org ESMTP mailtls\\r\\n\"\nread 1234ms");
  EXPECT_EQ(h.feed("NOOP\r\n"), "send \"250 2.0.0 Ok\\r\\n\"\nread 1234ms");
  EXPECT_EQ(h.timeout(),
            "log info \"idle timeout\"\n"
            "send \"421 4.4.2 mx.example.org Error: timeout exceeded\\r\\n\"\nclose");
  EXPECT_TRUE(h.s->closed());
}

TEST(limits, timeout_during_data) {
  auto h = mx();
  h->feed("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\npartial");
  EXPECT_EQ(h->timeout(),
            "log info \"idle timeout\"\n"
            "send \"421 4.4.2 mx.example.org Error: timeout exceeded\\r\\n\"\nclose");
  EXPECT_TRUE(h->backend.deliveries().empty());
}

TEST(shutdown, outside_data_closes_at_once) {
  auto h = mx();
  EXPECT_EQ(h->shutdown(), "send \"421 4.3.2 Service shutting down\\r\\n\"\nclose");
}

TEST(shutdown, during_data_finishes_the_message_first) {
  auto h = mx();
  h->feed("MAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\nDATA\r\nhalf");
  EXPECT_EQ(h->shutdown(),
            "log info \"shutdown: finishing the message in progress\"\nread 300000ms");
  EXPECT_EQ(h->feed(" a message\r\n.\r\nNOOP\r\n"),
            "log info \"accepted 161 octets from <a@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\n"
            "send \"421 4.3.2 Service shutting down\\r\\n\"\nclose");
  ASSERT_EQ(h->backend.deliveries().size(), 1u);
}

TEST(errors, reply_per_codec_error) {
  auto h = mx();
  const std::pair<const char*, const char*> cases[] = {
      {"\r\n", "500 5.5.2 Error: bad syntax"},
      {"   \r\n", "500 5.5.2 Error: bad syntax"},
      {"FOO bar\r\n", "500 5.5.2 Error: command not recognized"},
      {"MAILX FROM:<a@b>\r\n", "500 5.5.2 Error: command not recognized"},
      {"EHLO\r\n", "501 5.5.4 Syntax: EHLO hostname"},
      {"HELO\r\n", "501 5.5.4 Syntax: HELO hostname"},
      {"EHLO a b\r\n", "501 5.5.4 Syntax: EHLO hostname"},
      {"EHLO -bad-.example\r\n", "501 5.5.4 Invalid domain name"},
      {"HELO [1.2.3]\r\n", "501 5.5.4 Invalid domain name"},
      {"MAIL\r\n", "501 5.5.4 Syntax: MAIL FROM:<address>"},
      {"MAIL TO:<a@b.example>\r\n", "501 5.5.4 Syntax: MAIL FROM:<address>"},
      {"MAIL FROM:a@b.example\r\n", "501 5.1.7 Bad sender address syntax"},
      {"MAIL FROM:<a@-b.example>\r\n", "501 5.1.7 Bad sender address syntax"},
      {"MAIL FROM:<a..b@b.example>\r\n", "501 5.1.7 Bad sender address syntax"},
      {"RCPT TO:<>\r\n", "501 5.1.3 Bad recipient address syntax"},
      {"RCPT FROM:<a@b.example>\r\n", "501 5.5.4 Syntax: RCPT TO:<address>"},
      {"RCPT TO:<a@b..example>\r\n", "501 5.1.3 Bad recipient address syntax"},
      {"DATA now\r\n", "501 5.5.4 Syntax: DATA"},
      {"RSET x\r\n", "501 5.5.4 Syntax: RSET"},
      {"QUIT x\r\n", "501 5.5.4 Syntax: QUIT"},
      {"VRFY\r\n", "501 5.5.4 Syntax: VRFY address"},
      {"EXPN\r\n", "501 5.5.4 Syntax: EXPN list"},
      {"MAIL FROM:<a@b.example> SIZE\r\n", "501 5.5.4 Bad parameter syntax"},
      {"MAIL FROM:<a@b.example> SIZE=x\r\n", "501 5.5.4 Bad SIZE parameter"},
      {"MAIL FROM:<a@b.example> BODY=9BIT\r\n", "501 5.5.4 Bad BODY parameter"},
      {"MAIL FROM:<a@b.example> SMTPUTF8=yes\r\n", "501 5.5.4 Bad parameter syntax"},
      {"MAIL FROM:<a@b.example> SIZE=1 size=2\r\n", "501 5.5.4 Duplicate parameter"},
      {"MAIL FROM:<a@b.example> =x\r\n", "501 5.5.4 Bad parameter syntax"},
      {"AUTH PL@IN\r\n", "501 5.5.4 Syntax: AUTH mechanism [initial-response]"},
      {"BDAT\r\n", "501 5.5.4 Syntax: BDAT size [LAST]"},
      {"BDAT x\r\n", "501 5.5.4 Syntax: BDAT size [LAST]"},
      {"NOOP\n", "500 5.5.2 Error: bare <LF> received"},
      {"NO\rOP\r\n", "500 5.5.2 Error: bare <CR> received"},
  };
  for (const auto& [in, reply] : cases) {
    EXPECT_EQ(h->feed(in), sent(reply)) << in;
  }
  EXPECT_EQ(h->feed(std::string_view("NO\0OP\r\n", 7)),
            sent("500 5.5.2 Error: NUL character received"));
  const std::string local(65, 'a');
  EXPECT_EQ(h->feed("MAIL FROM:<" + local + "@b.example>\r\n"), sent("501 5.1.7 Path too long"));
  EXPECT_EQ(h->feed("RCPT TO:<" + local + "@b.example>\r\n"), sent("501 5.1.3 Path too long"));
  std::string many = "MAIL FROM:<a@b.example>";
  for (int i = 0; i < 33; ++i)
    many += " X" + std::to_string(i);
  EXPECT_EQ(h->feed(many + "\r\n"), sent("501 5.5.4 Too many parameters"));
  EXPECT_FALSE(h->s->in_transaction());
}

TEST(errors, bare_lf_pipelined_commands_are_not_executed) {
  // A bare-LF line is an error; the next CRLF line is read normally.
  const std::string t = expect_split_invariant(mx, "NOOP\nRSET\r\nMAIL FROM:<a@b.example>\n");
  EXPECT_EQ(t,
            "send \"500 5.5.2 Error: bare <LF> received\\r\\n\"\n"
            "send \"250 2.0.0 Ok\\r\\n\"\n"
            "send \"500 5.5.2 Error: bare <LF> received\\r\\n\"\n");
}

}  // namespace
}  // namespace mailtls::server::smtp::test
