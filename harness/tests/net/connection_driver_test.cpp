// The connection driver through real loopback TCP: action order, STARTTLS, implicit TLS,
// timeouts, close_notify, back-pressure.
#include <fcntl.h>
#include <poll.h>

#include "net_fixture.hpp"

namespace mailtls::net::test {
namespace {

using namespace std::chrono_literals;
using strings = std::vector<std::string>;

class driver : public net_fixture {};

TEST_F(driver, PlaintextGreetingEchoAndQuit) {
  const auto port = start_echo();
  test_client c(port);
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.read_line(), "hello\r\n");
  ASSERT_TRUE(c.send("abc\r\n"));
  EXPECT_EQ(c.read_line(), "ABC\r\n");
  // Pipelined lines arrive in one read; the answers come back in order.
  ASSERT_TRUE(c.send("one\r\ntwo\r\nthree\r\n"));
  EXPECT_EQ(c.read_line(), "ONE\r\n");
  EXPECT_EQ(c.read_line(), "TWO\r\n");
  EXPECT_EQ(c.read_line(), "THREE\r\n");
  ASSERT_TRUE(c.send("QUIT\r\n"));
  EXPECT_EQ(c.read_line(), "BYE\r\n");
  EXPECT_TRUE(c.wait_eof());
  EXPECT_EQ(c.pending_plaintext(), "");
  EXPECT_EQ(probe_->seen(), (strings{"abc", "one", "two", "three", "QUIT"}));
  EXPECT_FALSE(probe_->with([](const echo_probe& p) { return p.implicit_tls; }));
  EXPECT_EQ(probe_->with([](const echo_probe& p) { return p.peer_address; }), "127.0.0.1");
  EXPECT_TRUE(eventually([&] { return stats().active == 0; }));
  EXPECT_EQ(stats().accepted, 1u);
  EXPECT_TRUE(logged(" info echo 127.0.0.1:"));
}

TEST_F(driver, CommandSplitAcrossWritesIsReassembledBySession) {
  const auto port = start_echo();
  test_client c(port);
  ASSERT_EQ(c.read_line(), "hello\r\n");
  ASSERT_TRUE(c.send("ab"));
  ASSERT_TRUE(c.send("c\r"));
  ASSERT_TRUE(c.send("\n"));
  EXPECT_EQ(c.read_line(), "ABC\r\n");
}

TEST_F(driver, PauseHoldsTheNextActionBack) {
  const auto port = start_echo();
  test_client c(port);
  ASSERT_EQ(c.read_line(), "hello\r\n");
  const auto t0 = clock::now();
  ASSERT_TRUE(c.send("SLEEP\r\n"));
  EXPECT_EQ(c.read_line(), "AWAKE\r\n");
  EXPECT_GE(clock::now() - t0, 45ms);
}

TEST_F(driver, StarttlsUpgradesAndSessionLearnsVersion) {
  const auto port = start_echo();
  test_client c(port);
  ASSERT_EQ(c.read_line(), "hello\r\n");
  ASSERT_TRUE(c.send("before\r\n"));
  EXPECT_EQ(c.read_line(), "BEFORE\r\n");
  ASSERT_TRUE(c.send("STARTTLS\r\n"));
  ASSERT_EQ(c.read_line(), "GO\r\n");
  const auto ctx = client_context();
  ASSERT_TRUE(c.start_tls(ctx)) << (c.tls() ? c.tls()->error_reason() : "");
  EXPECT_EQ(c.tls()->info().version, "TLSv1.3");
  ASSERT_TRUE(c.send("secret\r\n"));
  EXPECT_EQ(c.read_line(), "SECRET\r\n");
  ASSERT_TRUE(c.send("STARTTLS\r\n"));
  EXPECT_EQ(c.read_line(), "ERR tls active\r\n");
  EXPECT_EQ(probe_->with([](const echo_probe& p) { return p.tls_version; }), "TLSv1.3");
  EXPECT_EQ(probe_->with([](const echo_probe& p) { return p.discarded; }), 0u);
  EXPECT_EQ(stats().tls_established, 1u);
  EXPECT_TRUE(logged("TLS established: TLSv1.3"));
}

TEST_F(driver, BytesPipelinedAfterStarttlsAreNeverDeliveredAfterTheHandshake) {
  const auto port = start_echo();
  test_client c(port);
  ASSERT_EQ(c.read_line(), "hello\r\n");
  // CVE-2011-0411 style: a command glued to STARTTLS in the same segment.
  ASSERT_TRUE(c.send("STARTTLS\r\nINJECTED\r\n"));
  ASSERT_EQ(c.read_line(), "GO\r\n");
  const auto ctx = client_context();
  ASSERT_TRUE(c.start_tls(ctx));
  ASSERT_TRUE(c.send("after\r\n"));
  // The first answer inside TLS is to "after": nothing from before the upgrade was executed.
  EXPECT_EQ(c.read_line(), "AFTER\r\n");
  EXPECT_EQ(probe_->seen(), (strings{"STARTTLS", "after"}));
  EXPECT_EQ(probe_->with([](const echo_probe& p) { return p.discarded; }), 10u);
  EXPECT_TRUE(logged("discarded 10 bytes pipelined after STARTTLS"));
}

TEST_F(driver, ApplicationDataGluedToClientFinishedIsDelivered) {
  const auto port = start_echo();
  test_client c(port);
  ASSERT_EQ(c.read_line(), "hello\r\n");
  ASSERT_TRUE(c.send("STARTTLS\r\n"));
  ASSERT_EQ(c.read_line(), "GO\r\n");
  // Drive the client engine by hand so that its Finished and the first record go out together.
  const auto ctx = client_context();
  tls::engine e(ctx);
  std::string out;
  e.take_ciphertext(out);
  ASSERT_TRUE(c.send_raw(out));
  const auto deadline = clock::now() + default_wait;
  std::string server_flight;
  while (!e.handshake_done() && clock::now() < deadline) {
    pollfd p{c.fd(), POLLIN, 0};
    ASSERT_GT(::poll(&p, 1, 1000), 0);
    char buf[16384];
    const ssize_t n = ::recv(c.fd(), buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    e.feed_ciphertext(std::string_view(buf, static_cast<std::size_t>(n)));
  }
  ASSERT_TRUE(e.handshake_done());
  ASSERT_FALSE(e.write_plaintext("glued\r\n"));
  out.clear();
  e.take_ciphertext(out);  // Finished + the data record, one write
  ASSERT_TRUE(c.send_raw(out));
  std::string plain;
  while (plain.find("\r\n") == std::string::npos && clock::now() < deadline) {
    pollfd p{c.fd(), POLLIN, 0};
    ASSERT_GT(::poll(&p, 1, 1000), 0);
    char buf[16384];
    const ssize_t n = ::recv(c.fd(), buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    e.feed_ciphertext(std::string_view(buf, static_cast<std::size_t>(n)));
    e.read_plaintext(plain);
  }
  EXPECT_EQ(plain, "GLUED\r\n");
}

TEST_F(driver, PlaintextInsteadOfClientHelloFailsTheHandshake) {
  const auto port = start_echo();
  test_client c(port);
  ASSERT_EQ(c.read_line(), "hello\r\n");
  ASSERT_TRUE(c.send("STARTTLS\r\n"));
  ASSERT_EQ(c.read_line(), "GO\r\n");
  ASSERT_TRUE(c.send_raw("EHLO not-tls.example\r\n"));
  EXPECT_TRUE(c.wait_eof());
  EXPECT_TRUE(eventually([&] { return stats().tls_failed == 1; }));
  EXPECT_FALSE(probe_->with([](const echo_probe& p) { return p.tls_failure; }).empty());
  EXPECT_EQ(probe_->seen(), (strings{"STARTTLS"}));
  EXPECT_TRUE(logged("TLS handshake failed"));
}

TEST_F(driver, ImplicitTlsHandshakesBeforeTheGreeting) {
  const auto port = start_echo(transport::implicit_tls);
  test_client c(port);
  const auto ctx = client_context();
  ASSERT_TRUE(c.start_tls(ctx));
  EXPECT_EQ(c.read_line(), "hello\r\n");
  EXPECT_TRUE(probe_->with([](const echo_probe& p) { return p.implicit_tls; }));
  ASSERT_TRUE(c.send("x\r\n"));
  EXPECT_EQ(c.read_line(), "X\r\n");
}

TEST_F(driver, ImplicitTlsRefusesPlaintextClientWithoutGreeting) {
  const auto port = start_echo(transport::implicit_tls);
  test_client c(port);
  ASSERT_TRUE(c.send_raw("EHLO me\r\n"));
  EXPECT_TRUE(c.wait_eof());
  EXPECT_EQ(c.pending_plaintext().find("hello"), std::string::npos);
  EXPECT_EQ(probe_->with([](const echo_probe& p) { return p.connects; }), 0);
}

TEST_F(driver, ImplicitCleartextBugTellsSessionTlsWithoutTls) {
  const auto port = start_echo(transport::implicit_cleartext);
  test_client c(port);
  EXPECT_EQ(c.read_line(), "hello\r\n");  // cleartext on an implicit-TLS port
  EXPECT_TRUE(probe_->with([](const echo_probe& p) { return p.implicit_tls; }));
  EXPECT_TRUE(logged("BUG INJECTION implicit-cleartext"));
}

TEST_F(driver, ImplicitTlsHandshakeTimeoutCloses) {
  auto cfg = echo_config("imaps", transport::implicit_tls);
  cfg.limits.handshake_timeout_ms = 100;
  const auto port = listen(std::move(cfg));
  rt_.start();
  test_client c(port);
  EXPECT_TRUE(c.wait_eof());  // we never sent a ClientHello
  EXPECT_TRUE(eventually([&] { return stats().tls_failed == 1; }));
  EXPECT_TRUE(logged("handshake timed out"));
}

TEST_F(driver, IdleTimeoutReachesSessionThenCloses) {
  const auto port = start_echo(transport::plain, 100);
  test_client c(port);
  ASSERT_EQ(c.read_line(), "hello\r\n");
  EXPECT_EQ(c.read_line(), "TIMEOUT\r\n");
  EXPECT_TRUE(c.wait_eof());
  EXPECT_EQ(stats().timeouts, 1u);
}

TEST_F(driver, CloseInsideTlsSendsCloseNotifyBeforeFin) {
  const auto port = start_echo();
  test_client c(port);
  ASSERT_EQ(c.read_line(), "hello\r\n");
  ASSERT_TRUE(c.send("STARTTLS\r\n"));
  ASSERT_EQ(c.read_line(), "GO\r\n");
  const auto ctx = client_context();
  ASSERT_TRUE(c.start_tls(ctx));
  ASSERT_TRUE(c.send("QUIT\r\n"));
  EXPECT_EQ(c.read_line(), "BYE\r\n");
  ASSERT_TRUE(c.wait_eof());
  EXPECT_TRUE(c.close_notify_before_eof());
  EXPECT_FALSE(c.tls()->failed());
}

TEST_F(driver, PeerThatDoesNotReadStallsOnlyItselfAndStillTimesOut) {
  auto cfg = echo_config("echo", transport::plain, 300);
  cfg.limits.max_pending_output = 64 * 1024;
  cfg.limits.close_timeout_ms = 200;
  const auto port = listen(std::move(cfg));
  rt_.start();

  test_client slow(port);
  ASSERT_EQ(slow.read_line(), "hello\r\n");
  ::fcntl(slow.fd(), F_SETFL, ::fcntl(slow.fd(), F_GETFL) | O_NONBLOCK);
  const std::string line = std::string(998, 'x') + "\r\n";
  std::size_t written = 0;
  constexpr std::size_t cap = 64u * 1024 * 1024;
  const auto deadline = clock::now() + std::chrono::seconds(20);
  while (written < cap && stats().stalls == 0 && clock::now() < deadline) {
    const ssize_t n = ::send(slow.fd(), line.data(), line.size(), MSG_NOSIGNAL);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) break;  // reset by the timeout: fine
    pollfd p{slow.fd(), POLLOUT, 0};
    ::poll(&p, 1, 50);  // the loop ends once the server reports that it stopped reading
  }
  EXPECT_GE(stats().stalls, 1u);
  EXPECT_LT(written, cap);

  // Another client on the same listener is served meanwhile.
  test_client other(port);
  EXPECT_EQ(other.read_line(), "hello\r\n");
  ASSERT_TRUE(other.send("ping\r\n"));
  EXPECT_EQ(other.read_line(), "PING\r\n");

  // The stalled connection hits its idle timeout, cannot flush "TIMEOUT", and is closed hard.
  EXPECT_TRUE(eventually([&] { return stats().forced_closes >= 1; }));
  const auto s = stats();
  EXPECT_GE(s.stalls, 1u);
  EXPECT_GE(s.timeouts, 1u);
  // Bounded: the limit plus at most one read's worth of answers.
  EXPECT_LE(s.peak_pending_output, 64u * 1024 + 16u * 1024 + line.size());
}

}  // namespace
}  // namespace mailtls::net::test
