#include "tls/engine.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "tls_fixture.hpp"

namespace mailtls::tls {
namespace {

using test::default_pki;
using test::host;

TEST(engine, tls13_handshake_with_defaults_reports_info) {
  const auto& p = default_pki();
  auto c = test::handshake(test::make_client(test::client_trusting(p.ca)),
                           test::make_server(test::server_for(p.leaf)));
  ASSERT_TRUE(c.client.handshake_done()) << c.client.error_reason();
  ASSERT_TRUE(c.server.handshake_done()) << c.server.error_reason();
  EXPECT_FALSE(c.client.failed());
  EXPECT_EQ(c.client.role(), role::client);
  EXPECT_EQ(c.server.role(), role::server);

  const session_info ci = c.client.info();
  EXPECT_EQ(ci.version, "TLSv1.3");
  EXPECT_EQ(ci.cipher, "TLS_AES_128_GCM_SHA256");  // server preference: first default suite
  EXPECT_EQ(ci.alpn, "");
  EXPECT_EQ(ci.server_name, host);
  EXPECT_FALSE(ci.resumed);
  EXPECT_EQ(ci.verify_result, 0);
  EXPECT_EQ(ci.verify_error, "ok");
  EXPECT_TRUE(ci.verified());
  ASSERT_EQ(ci.peer_chain.size(), 1u);
  const certificate_summary& leaf = ci.peer_chain[0];
  EXPECT_EQ(leaf.subject_cn, host);
  EXPECT_EQ(leaf.subject, std::string("CN=") + host + ",O=mailtls");
  EXPECT_EQ(leaf.issuer, "CN=mailtls private CA,O=mailtls");
  EXPECT_EQ(leaf.dns_names, std::vector<std::string>{host});
  EXPECT_EQ(leaf.ip_addresses, (std::vector<std::string>{"127.0.0.1", "0:0:0:0:0:0:0:1"}));
  EXPECT_EQ(leaf.key_type, "EC");
  EXPECT_EQ(leaf.key_bits, 256);
  EXPECT_EQ(leaf.signature_algorithm, "ecdsa-with-SHA256");
  EXPECT_EQ(leaf.serial_hex.size(), 32u);
  EXPECT_FALSE(leaf.is_ca);
  const std::time_t now = std::time(nullptr);
  EXPECT_LE(leaf.not_before, now);
  EXPECT_GT(leaf.not_before, now - 2 * 3600);
  EXPECT_NEAR(static_cast<double>(leaf.not_after - now), 397.0 * 86400, 3600.0);

  const session_info si = c.server.info();
  EXPECT_EQ(si.version, "TLSv1.3");
  EXPECT_EQ(si.cipher, "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(si.server_name, host);     // the SNI received
  EXPECT_TRUE(si.peer_chain.empty());  // no client certificate
  EXPECT_FALSE(si.verified());
}

TEST(engine, tls12_handshake_uses_ecdhe_aead) {
  const auto& p = default_pki();
  auto cc = test::client_trusting(p.ca);
  cc.max_version = tls_version::tls1_2;
  auto c = test::handshake(test::make_client(cc), test::make_server(test::server_for(p.leaf)));
  ASSERT_TRUE(c.client.handshake_done()) << c.client.error_reason();
  ASSERT_TRUE(c.server.handshake_done());
  EXPECT_EQ(c.client.info().version, "TLSv1.2");
  EXPECT_EQ(c.client.info().cipher, "ECDHE-ECDSA-AES128-GCM-SHA256");
  EXPECT_EQ(c.server.info().cipher, "ECDHE-ECDSA-AES128-GCM-SHA256");
}

TEST(engine, client_ciphers_constrain_choice) {
  const auto& p = default_pki();
  auto cc = test::client_trusting(p.ca);
  cc.max_version = tls_version::tls1_2;
  cc.cipher_list = "ECDHE-ECDSA-CHACHA20-POLY1305";
  auto c = test::handshake(test::make_client(cc), test::make_server(test::server_for(p.leaf)));
  ASSERT_TRUE(c.client.handshake_done()) << c.client.error_reason();
  EXPECT_EQ(c.server.info().cipher, "ECDHE-ECDSA-CHACHA20-POLY1305");

  auto cc13 = test::client_trusting(p.ca);
  cc13.ciphersuites = "TLS_CHACHA20_POLY1305_SHA256";
  auto d = test::handshake(test::make_client(cc13), test::make_server(test::server_for(p.leaf)));
  ASSERT_TRUE(d.client.handshake_done()) << d.client.error_reason();
  EXPECT_EQ(d.client.info().cipher, "TLS_CHACHA20_POLY1305_SHA256");
}

TEST(engine, application_data_both_ways_then_close_notify_both_ways) {
  const auto& p = default_pki();
  auto c = test::handshake(test::make_client(test::client_trusting(p.ca)),
                           test::make_server(test::server_for(p.leaf)));
  ASSERT_TRUE(c.server.handshake_done());
  EXPECT_FALSE(c.client.write_plaintext("EHLO client.example\r\n"));
  EXPECT_FALSE(c.server.write_plaintext("250 mx.example.test\r\n"));
  test::pump(c.client, c.server);
  std::string at_server, at_client;
  EXPECT_EQ(c.server.read_plaintext(at_server), 21u);
  EXPECT_EQ(at_server, "EHLO client.example\r\n");
  c.client.read_plaintext(at_client);
  EXPECT_EQ(at_client, "250 mx.example.test\r\n");
  EXPECT_EQ(c.server.stats().plaintext_in, 21u);
  EXPECT_EQ(c.client.stats().plaintext_out, 21u);

  EXPECT_FALSE(c.client.shutdown());
  EXPECT_TRUE(c.client.close_notify_sent());
  test::pump(c.client, c.server);
  EXPECT_TRUE(c.server.peer_closed());
  EXPECT_FALSE(c.client.peer_closed());
  ASSERT_TRUE(c.server.alert_received());
  EXPECT_EQ(c.server.alert_received()->description, 0);  // close_notify
  EXPECT_FALSE(c.server.alert_received()->fatal);

  EXPECT_FALSE(c.server.shutdown());
  test::pump(c.client, c.server);
  EXPECT_TRUE(c.client.peer_closed());
  EXPECT_FALSE(c.client.failed());
  EXPECT_FALSE(c.server.failed());
  EXPECT_FALSE(c.client.transport_closed());  // clean: close_notify came first
  EXPECT_EQ(c.client.write_plaintext("late"), make_error_code(errc::closed));
}

TEST(engine, one_mebibyte_each_way) {
  const auto& p = default_pki();
  auto c = test::handshake(test::make_client(test::client_trusting(p.ca)),
                           test::make_server(test::server_for(p.leaf)));
  ASSERT_TRUE(c.server.handshake_done());
  std::string payload(1 << 20, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) {
    payload[i] = static_cast<char>((i * 7919u) >> 5);
  }
  std::string at_server, at_client;
  constexpr std::size_t chunk = 64 * 1024;
  for (std::size_t off = 0; off < payload.size(); off += chunk) {
    ASSERT_FALSE(c.client.write_plaintext(std::string_view(payload).substr(off, chunk)));
    ASSERT_FALSE(c.server.write_plaintext(std::string_view(payload).substr(off, chunk)));
    test::pump(c.client, c.server);
    c.server.read_plaintext(at_server);
    c.client.read_plaintext(at_client);
  }
  EXPECT_EQ(at_server.size(), payload.size());
  EXPECT_TRUE(at_server == payload);
  EXPECT_TRUE(at_client == payload);
  EXPECT_GT(c.client.stats().ciphertext_out, payload.size());
}

TEST(engine, no_plaintext_before_handshake_completes) {
  const auto& p = default_pki();
  engine client(test::make_client(test::client_trusting(p.ca)));
  engine server(test::make_server(test::server_for(p.leaf)));
  // The client queues data before the handshake: nothing is sent in clear, nothing delivered.
  EXPECT_FALSE(client.write_plaintext("MAIL FROM:<a@b>\r\n"));
  std::string hello;
  client.take_ciphertext(hello);
  EXPECT_EQ(hello.find("MAIL FROM"), std::string::npos);
  EXPECT_EQ(looks_like_tls(hello), tls_prefix::tls_handshake);
  EXPECT_FALSE(server.feed_ciphertext(hello));
  std::string got;
  EXPECT_EQ(server.read_plaintext(got), 0u);
  EXPECT_FALSE(server.handshake_done());
  test::pump(client, server);
  ASSERT_TRUE(server.handshake_done());
  server.read_plaintext(got);
  EXPECT_EQ(got, "MAIL FROM:<a@b>\r\n");
}

TEST(engine, finished_and_application_data_in_one_flight) {
  const auto& p = default_pki();
  engine client(test::make_client(test::client_trusting(p.ca)));
  engine server(test::make_server(test::server_for(p.leaf)));
  std::string bytes;
  client.take_ciphertext(bytes);
  ASSERT_FALSE(server.feed_ciphertext(bytes));
  bytes.clear();
  server.take_ciphertext(bytes);
  ASSERT_FALSE(client.feed_ciphertext(bytes));
  ASSERT_TRUE(client.handshake_done());
  ASSERT_FALSE(client.write_plaintext("QUIT\r\n"));
  bytes.clear();
  client.take_ciphertext(bytes);  // client Finished + the application data record
  ASSERT_FALSE(server.feed_ciphertext(bytes));
  EXPECT_TRUE(server.handshake_done());
  std::string got;
  server.read_plaintext(got);
  EXPECT_EQ(got, "QUIT\r\n");
}

TEST(engine, byte_at_a_time_delivery_completes) {
  const auto& p = default_pki();
  engine client(test::make_client(test::client_trusting(p.ca)));
  engine server(test::make_server(test::server_for(p.leaf)));
  for (int round = 0; round < 8 && !(client.handshake_done() && server.handshake_done()); ++round) {
    std::string cs, sc;
    client.take_ciphertext(cs);
    server.take_ciphertext(sc);
    for (char ch : cs)
      ASSERT_FALSE(server.feed_ciphertext(std::string_view(&ch, 1)));
    for (char ch : sc)
      ASSERT_FALSE(client.feed_ciphertext(std::string_view(&ch, 1)));
  }
  EXPECT_TRUE(client.handshake_done());
  EXPECT_TRUE(server.handshake_done());
}

void expect_resumption(tls_version max) {
  const auto& p = default_pki();
  auto cc = test::client_trusting(p.ca);
  cc.max_version = max;
  const context client_ctx = test::make_client(cc);
  const context server_ctx = test::make_server(test::server_for(p.leaf));
  auto first = test::handshake(client_ctx, server_ctx);
  ASSERT_TRUE(first.client.handshake_done());
  // TLS 1.3 tickets arrive after the handshake; exchanging data makes the client read them.
  ASSERT_FALSE(first.server.write_plaintext("+OK\r\n"));
  test::pump(first.client, first.server);
  std::string got;
  first.client.read_plaintext(got);
  const session s = first.client.session();
  ASSERT_TRUE(s.valid());
  EXPECT_FALSE(first.client.info().resumed);

  engine_options opts;
  opts.resume = s;
  auto second = test::handshake(client_ctx, server_ctx, opts);
  ASSERT_TRUE(second.client.handshake_done()) << second.client.error_reason();
  EXPECT_TRUE(second.client.info().resumed);
  EXPECT_TRUE(second.server.info().resumed);
  EXPECT_EQ(second.client.info().version, to_string(max));
}

TEST(engine, session_resumption_tls13) {
  expect_resumption(tls_version::tls1_3);
}
TEST(engine, session_resumption_tls12) {
  expect_resumption(tls_version::tls1_2);
}

TEST(engine, rsa_2048_credentials_work_for_tls12_and_tls13) {
  const test::pki p = test::make_pki(key_type::rsa_2048);
  auto cc = test::client_trusting(p.ca);
  auto c13 = test::handshake(test::make_client(cc), test::make_server(test::server_for(p.leaf)));
  ASSERT_TRUE(c13.client.handshake_done()) << c13.client.error_reason();
  const auto info = c13.client.info();
  EXPECT_EQ(info.version, "TLSv1.3");
  ASSERT_EQ(info.peer_chain.size(), 1u);
  EXPECT_EQ(info.peer_chain[0].key_type, "RSA");
  EXPECT_EQ(info.peer_chain[0].key_bits, 2048);
  EXPECT_EQ(info.peer_chain[0].signature_algorithm, "sha256WithRSAEncryption");

  cc.max_version = tls_version::tls1_2;
  auto c12 = test::handshake(test::make_client(cc), test::make_server(test::server_for(p.leaf)));
  ASSERT_TRUE(c12.client.handshake_done()) << c12.client.error_reason();
  EXPECT_EQ(c12.client.info().cipher, "ECDHE-RSA-AES128-GCM-SHA256");
}

TEST(engine, ed25519_credentials_work_for_tls13) {
  const test::pki p = test::make_pki(key_type::ed25519);
  auto c = test::handshake(test::make_client(test::client_trusting(p.ca)),
                           test::make_server(test::server_for(p.leaf)));
  ASSERT_TRUE(c.client.handshake_done()) << c.client.error_reason();
  ASSERT_EQ(c.client.info().peer_chain.size(), 1u);
  EXPECT_EQ(c.client.info().peer_chain[0].key_type, "Ed25519");
  EXPECT_EQ(c.client.info().peer_chain[0].signature_algorithm, "ED25519");
}

TEST(engine, alpn_selected_from_server_list) {
  const auto& p = default_pki();
  auto sc = test::server_for(p.leaf);
  sc.alpn = {"smtp"};
  auto cc = test::client_trusting(p.ca);
  cc.alpn = {"h2", "smtp"};
  auto c = test::handshake(test::make_client(cc), test::make_server(sc));
  ASSERT_TRUE(c.client.handshake_done()) << c.client.error_reason();
  EXPECT_EQ(c.client.info().alpn, "smtp");
  EXPECT_EQ(c.server.info().alpn, "smtp");
}

TEST(engine, alpn_absent_from_client_is_accepted) {
  const auto& p = default_pki();
  auto sc = test::server_for(p.leaf);
  sc.alpn = {"imap"};
  auto c = test::handshake(test::make_client(test::client_trusting(p.ca)), test::make_server(sc));
  ASSERT_TRUE(c.client.handshake_done()) << c.client.error_reason();
  EXPECT_EQ(c.server.info().alpn, "");
}

TEST(engine, engines_are_movable_mid_handshake) {
  const auto& p = default_pki();
  engine client(test::make_client(test::client_trusting(p.ca)));
  engine server(test::make_server(test::server_for(p.leaf)));
  std::string bytes;
  client.take_ciphertext(bytes);
  ASSERT_FALSE(server.feed_ciphertext(bytes));
  engine moved = std::move(server);
  test::pump(client, moved);
  EXPECT_TRUE(moved.handshake_done());
  EXPECT_TRUE(client.handshake_done());
}

}  // namespace
}  // namespace mailtls::tls
