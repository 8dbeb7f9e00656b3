// Accepting: ephemeral ports, bind errors, connection limits with the protocol's refusal.
#include "net_fixture.hpp"

namespace mailtls::net::test {
namespace {

class listener_test : public net_fixture {};

TEST_F(listener_test, PortZeroReportsTheBoundPort) {
  auto r = rt_.add_listener(echo_config("a"));
  ASSERT_TRUE(r) << r.error;
  EXPECT_NE(r.port, 0);
  EXPECT_EQ(rt_.port(r.index), r.port);
  EXPECT_EQ(rt_.listener_name(r.index), "a");
  rt_.start();
  test_client c(r.port);
  EXPECT_EQ(c.read_line(), "hello\r\n");
}

TEST_F(listener_test, BindConflictNamesTheAddress) {
  auto first = rt_.add_listener(echo_config("smtp"));
  ASSERT_TRUE(first);
  auto cfg = echo_config("submission");
  cfg.port = first.port;
  auto second = rt_.add_listener(std::move(cfg));
  EXPECT_FALSE(second);
  EXPECT_EQ(second.error, "submission 127.0.0.1:" + std::to_string(first.port) +
                              ": bind: Address already in use");
}

TEST_F(listener_test, BadHostIsAnError) {
  auto cfg = echo_config("smtp");
  cfg.host = "no-such-host.invalid";
  auto r = rt_.add_listener(std::move(cfg));
  EXPECT_FALSE(r);
  EXPECT_NE(r.error.find("smtp no-such-host.invalid:0: cannot resolve host"), std::string::npos)
      << r.error;
}

TEST_F(listener_test, ImplicitTlsWithoutContextIsAnError) {
  auto cfg = echo_config("imaps", transport::implicit_tls);
  cfg.tls.reset();
  auto r = rt_.add_listener(std::move(cfg));
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error, "imaps 127.0.0.1:0: implicit TLS needs a TLS context");
}

TEST_F(listener_test, Ipv6Loopback) {
  auto cfg = echo_config("v6");
  cfg.host = "::1";
  auto r = rt_.add_listener(std::move(cfg));
  if (!r) GTEST_SKIP() << "no IPv6 loopback: " << r.error;
  rt_.start();
  EXPECT_TRUE(eventually([&] { return logged("listening on [::1]:"); }));
}

TEST_F(listener_test, PerAddressLimitRefusesWithTheProtocolsReply) {
  auto cfg = echo_config("smtp");
  cfg.max_connections_per_address = 2;
  const auto port = listen(std::move(cfg));
  rt_.start();
  test_client a(port), b(port);
  ASSERT_EQ(a.read_line(), "hello\r\n");
  ASSERT_EQ(b.read_line(), "hello\r\n");
  {
    test_client c(port);
    EXPECT_EQ(c.read_line(), "421 too many connections\r\n");
    EXPECT_TRUE(c.wait_eof());
  }
  EXPECT_EQ(stats().refused, 1u);
  EXPECT_EQ(stats().active, 2u);
  EXPECT_TRUE(logged("refused: too many connections from this address (limit 2)"));
  // A slot frees up when a client leaves.
  ASSERT_TRUE(a.send("QUIT\r\n"));
  EXPECT_EQ(a.read_line(), "BYE\r\n");
  EXPECT_TRUE(a.wait_eof());
  a.close();
  ASSERT_TRUE(eventually([&] { return stats().active == 1; }));
  test_client d(port);
  EXPECT_EQ(d.read_line(), "hello\r\n");
}

TEST_F(listener_test, TotalLimit) {
  auto cfg = echo_config("smtp");
  cfg.max_connections = 1;
  const auto port = listen(std::move(cfg));
  rt_.start();
  test_client a(port);
  ASSERT_EQ(a.read_line(), "hello\r\n");
  test_client b(port);
  EXPECT_EQ(b.read_line(), "421 too many connections\r\n");
  EXPECT_TRUE(b.wait_eof());
  EXPECT_TRUE(logged("refused: too many connections (listener limit 1)"));
}

TEST_F(listener_test, ImplicitTlsListenerRefusesSilently) {
  auto cfg = echo_config("imaps", transport::implicit_tls);
  cfg.max_connections_per_address = 1;
  const auto port = listen(std::move(cfg));
  rt_.start();
  test_client a(port);
  const auto ctx = client_context();
  ASSERT_TRUE(a.start_tls(ctx));
  ASSERT_EQ(a.read_line(), "hello\r\n");
  test_client b(port);
  EXPECT_TRUE(b.wait_eof());
  EXPECT_EQ(b.raw_received(), 0u);  // no plaintext "421" on a TLS port
}

TEST_F(listener_test, ManyConnectionsInParallel) {
  const auto port = start_echo();
  std::vector<std::unique_ptr<test_client>> clients;
  for (int i = 0; i < 20; ++i)
    clients.push_back(std::make_unique<test_client>(port));
  for (auto& c : clients)
    ASSERT_EQ(c->read_line(), "hello\r\n");
  for (int i = 0; i < 20; ++i)
    ASSERT_TRUE(clients[i]->send("c" + std::to_string(i) + "\r\n"));
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(clients[i]->read_line(), "C" + std::to_string(i) + "\r\n");
  EXPECT_EQ(stats().accepted, 20u);
}

}  // namespace
}  // namespace mailtls::net::test
