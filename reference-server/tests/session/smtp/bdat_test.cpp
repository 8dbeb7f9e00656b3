// BDAT (RFC 3030 CHUNKING), when config::offer_chunking is on.
#include "harness.hpp"

namespace mailtls::server::smtp::test {
namespace {

constexpr const char* rd = "\nread 300000ms";

config chunking(listener kind = listener::smtp) {
  auto c = make_config(kind);
  c.offer_chunking = true;
  return c;
}

std::unique_ptr<harness> mx() {
  auto h = std::make_unique<harness>(chunking());
  h->connected();
  h->feed("EHLO client.example\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\n");
  return h;
}

std::string content_of(const memory_backend::delivery& d) {
  return d.message.substr(d.message.find("+0000\r\n") + 7);
}

TEST(bdat, chunks_split_invariant) {
  const std::string input = "BDAT 6\r\nhello\nBDAT 10 LAST\r\n.world\r\n\r\nNOOP\r\n";
  const std::string t = expect_split_invariant(mx, input);
  EXPECT_EQ(t,
            "send \"250 2.0.0 Ok: 6 octets received\\r\\n\"\n"
            "log info \"accepted 161 octets from <a@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"\n"
            "send \"250 2.0.0 Ok\\r\\n\"\n");
  auto h = mx();
  h->feed(input);
  ASSERT_EQ(h->backend.deliveries().size(), 1u);
  // No dot-unstuffing, bare LF kept (RFC 3030 §2: exactly the octets sent).
  EXPECT_EQ(content_of(h->backend.deliveries()[0]), "hello\n.world\r\n\r\n");
}

TEST(bdat, zero_last_chunk) {
  auto h = mx();
  EXPECT_EQ(h->feed("BDAT 3\r\nabcBDAT 0 LAST\r\n"),
            "send \"250 2.0.0 Ok: 3 octets received\\r\\n\"\n"
            "log info \"accepted 148 octets from <a@remote.test> for 1 recipient(s)\"\n"
            "send \"250 2.0.0 Ok: queued\\r\\n\"" +
                std::string(rd));
  EXPECT_FALSE(h->s->in_transaction());
}

TEST(bdat, errors_after_reading_the_chunk) {
  harness h(chunking());
  h.connected();
  h.feed("EHLO c\r\n");
  // The chunk's octets are not commands (RFC 3030 §2).
  EXPECT_EQ(h.feed("BDAT 6 LAST\r\nQUIT\r\nNOOP\r\n"),
            "send \"503 5.5.1 Error: need MAIL command\\r\\n\"\n"
            "send \"250 2.0.0 Ok\\r\\n\"" +
                std::string(rd));
  h.feed("MAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(h.feed("BDAT 2\r\nxy"),
            "send \"554 5.5.1 Error: no valid recipients\\r\\n\"" + std::string(rd));
  EXPECT_TRUE(h.backend.deliveries().empty());
}

TEST(bdat, data_after_bdat_is_refused) {
  auto h = mx();
  h->feed("BDAT 1\r\nx");
  EXPECT_EQ(h->feed("DATA\r\n"),
            "send \"503 5.5.1 Error: DATA after BDAT\\r\\n\"" + std::string(rd));
  EXPECT_EQ(h->feed("RSET\r\n"), "send \"250 2.0.0 Ok\\r\\n\"" + std::string(rd));
}

TEST(bdat, oversize) {
  auto c = chunking();
  c.max_message_size = 4;
  harness h(c);
  h.connected();
  h.feed("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\n");
  EXPECT_EQ(h.feed("BDAT 3\r\nabc"),
            "send \"250 2.0.0 Ok: 3 octets received\\r\\n\"" + std::string(rd));
  EXPECT_EQ(h.feed("BDAT 3 LAST\r\ndef"),
            "send \"552 5.3.4 Message size exceeds fixed limit\\r\\n\"" + std::string(rd));
  EXPECT_FALSE(h.s->in_transaction());
  EXPECT_TRUE(h.backend.deliveries().empty());
}

TEST(bdat, huge_announced_size_costs_nothing) {
  auto h = mx();
  EXPECT_EQ(h->feed("BDAT 18446744073709551615 LAST\r\nabc"), "read 300000ms");
  EXPECT_EQ(h->timeout(),
            "log info \"idle timeout\"\n"
            "send \"421 4.4.2 mx.example.org Error: timeout exceeded\\r\\n\"\nclose");
}

TEST(bdat, not_offered) {
  harness h(listener::smtp);
  h.connected();
  h.feed("EHLO c\r\nMAIL FROM:<a@remote.test>\r\nRCPT TO:<alice@example.org>\r\n");
  EXPECT_EQ(h.feed("BDAT 6 LAST\r\nNOOP\r\n"),
            "send \"502 5.5.1 Error: command not implemented\\r\\n\"\n"
            "send \"250 2.0.0 Ok\\r\\n\"" +
                std::string(rd));
}

TEST(bdat, submission_before_tls_reads_chunk_then_530) {
  harness h(chunking(listener::submission));
  h.connected();
  h.feed("EHLO c\r\n");
  EXPECT_EQ(h.feed("BDAT 6 LAST\r\nQUIT\r\nNOOP\r\n"),
            "send \"530 5.7.0 Must issue a STARTTLS command first\\r\\n\"\n"
            "send \"250 2.0.0 Ok\\r\\n\"" +
                std::string(rd));
}

TEST(bdat, shutdown_mid_chunk_finishes_the_chunk) {
  auto h = mx();
  h->feed("BDAT 4\r\nab");
  EXPECT_EQ(h->shutdown(),
            "log info \"shutdown: finishing the message in progress\"\nread 300000ms");
  EXPECT_EQ(h->feed("cd"),
            "send \"250 2.0.0 Ok: 4 octets received\\r\\n\"\n"
            "send \"421 4.3.2 Service shutting down\\r\\n\"\nclose");
}

}  // namespace
}  // namespace mailtls::server::smtp::test
