// The client driver and the TLS statements of the catalogue issue: ALPN offered from start_tls
// (RFC 7301, the ALPACA defence), the handshake bound from `timeout D`, and the certificate facts
// (names, IP SANs, validity judged with the driver's clock) behind `expect tls cert ...`.
#include <ctime>

#include "client/tls_setup.hpp"
#include "client_fixture.hpp"

namespace mailtls::client::test {
namespace {

using strings = std::vector<std::string>;

class driver_tls_facts_test : public client_fixture {};

runner::start_tls implicit_with_alpn(strings alpn) {
  runner::start_tls t;
  t.implicit = true;
  t.alpn = std::move(alpn);
  return t;
}

TEST_F(driver_tls_facts_test, ForeignAlpnIsRefusedWithNoApplicationProtocol) {
  const auto port = start_server(net::transport::implicit_tls, 0, {"smtp"});
  run_one(make_job(port, {{implicit_with_alpn({"http/1.1"})}, {runner::close_connection{}}}));
  EXPECT_EQ(events(), (strings{"start", "tls:fail"}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_FALSE(probe_->tls[0].established);
  EXPECT_NE(probe_->tls[0].failure.find("no application protocol"), std::string::npos)
      << probe_->tls[0].failure;
}

TEST_F(driver_tls_facts_test, OwnAlpnIsSelected) {
  const auto port = start_server(net::transport::implicit_tls, 0, {"smtp"});
  run_one(make_job(port, {{implicit_with_alpn({"http/1.1", "smtp"})},
                          {runner::read_bytes{5000}},
                          {runner::close_connection{}}}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_TRUE(probe_->tls[0].established) << probe_->tls[0].failure;
  EXPECT_EQ(probe_->tls[0].alpn, "smtp");
}

TEST_F(driver_tls_facts_test, NoAlpnOfferedIsAccepted) {
  const auto port = start_server(net::transport::implicit_tls, 0, {"smtp"});
  run_one(make_job(
      port, {{implicit_with_alpn({})}, {runner::read_bytes{5000}}, {runner::close_connection{}}}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_TRUE(probe_->tls[0].established) << probe_->tls[0].failure;
  EXPECT_EQ(probe_->tls[0].alpn, "");
}

TEST_F(driver_tls_facts_test, CertificateFactsForTheChecks) {
  const auto port = start_server(net::transport::implicit_tls);
  const auto before = static_cast<std::int64_t>(std::time(nullptr));
  run_one(make_job(
      port, {{implicit_with_alpn({})}, {runner::read_bytes{5000}}, {runner::close_connection{}}}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  const runner::tls_facts& f = probe_->tls[0];
  ASSERT_TRUE(f.established) << f.failure;
  EXPECT_TRUE(f.has_certificate);
  EXPECT_EQ(f.subject_cn, tls_host);
  EXPECT_EQ(f.dns_names, strings{tls_host});
  EXPECT_EQ(f.ip_addresses, (strings{"127.0.0.1", "0:0:0:0:0:0:0:1"}));
  EXPECT_LT(f.not_before, before);
  EXPECT_GT(f.not_after, before);
  EXPECT_GE(f.checked_at, before);
  EXPECT_TRUE(f.time_valid);
}

TEST_F(driver_tls_facts_test, ExpiredCertificateIsOutsideItsValidity) {
  // A server with an expired leaf (insecure run, so the handshake completes and the facts tell).
  auto opts = tls::leaf_for_host(tls_host);
  opts.not_before = -std::chrono::hours(48);
  opts.not_after = -std::chrono::hours(24);
  const auto leaf = tls::issue_leaf(test_pki().ca, opts);
  ASSERT_TRUE(leaf) << leaf.detail;
  net::listener_config c;
  c.name = "expired";
  c.mode = net::transport::implicit_tls;
  tls::server_config sc;
  sc.certificate_chain_pem = leaf->certificate_pem;
  sc.private_key_pem = leaf->private_key_pem;
  auto ctx = tls::context::make_server(sc);
  ASSERT_TRUE(ctx) << ctx.detail;
  c.tls = *ctx;
  c.factory.make = [] { return std::make_unique<script_server>(0); };
  auto bound = rt_.add_listener(std::move(c));
  ASSERT_TRUE(bound) << bound.error;
  rt_.start();
  started_ = true;
  auto t = implicit_with_alpn({});
  t.verify = false;
  run_one(make_job(bound.port, {{t}, {runner::read_bytes{5000}}, {runner::close_connection{}}}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  const runner::tls_facts& f = probe_->tls[0];
  ASSERT_TRUE(f.established) << f.failure;
  EXPECT_FALSE(f.verified);
  EXPECT_TRUE(f.has_certificate);
  EXPECT_FALSE(f.time_valid);
  EXPECT_LT(f.not_after, f.checked_at);
}

TEST_F(driver_tls_facts_test, HandshakeTimeoutFromTheAction) {
  // A plain server greets and waits for a command: a ClientHello sent to it gets no ServerHello.
  const auto port = start_server(net::transport::plain, 0);
  runner::start_tls t;
  t.timeout_ms = 300;
  const auto r = run_one(make_job(port, {{read()}, {t}, {runner::close_connection{}}}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_FALSE(probe_->tls[0].established);
  EXPECT_LT(r.duration_ms, 5000u);
}

TEST(tls_setup_alpn, AlpnGoesIntoTheConfigAndTheCacheKey) {
  runner::start_tls a;
  a.alpn = {"http/1.1"};
  EXPECT_EQ(detail::make_client_config(a, {}).alpn, strings{"http/1.1"});
  detail::context_cache cache;
  runner::start_tls none;
  ASSERT_TRUE(cache.get(none, {}));
  ASSERT_TRUE(cache.get(a, {}));
  ASSERT_TRUE(cache.get(a, {}));
  EXPECT_EQ(cache.size(), 2u);
  runner::start_tls two;
  two.alpn = {"http/1.1", "smtp"};
  ASSERT_TRUE(cache.get(two, {}));
  EXPECT_EQ(cache.size(), 3u);
}

}  // namespace
}  // namespace mailtls::client::test
