// Handshakes that must fail, and hostile input that must fail cleanly.
#include <openssl/x509_vfy.h>

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "tls/engine.hpp"
#include "tls_fixture.hpp"

namespace mailtls::tls {

// Readable test names for the parameterised cases.
void PrintTo(tls_version v, std::ostream* os) {
  *os << to_string(v);
}

namespace {

using test::default_pki;
using test::host;

client_config legacy_client(tls_version v) {
  auto cc = test::client_trusting(default_pki().ca);
  cc.min_version = v;
  cc.max_version = v;
  return cc;
}

class legacy_versions : public ::testing::TestWithParam<tls_version> {};

TEST_P(legacy_versions, refused_by_default_server_rfc8996) {
  auto c = test::handshake(test::make_client(legacy_client(GetParam())),
                           test::make_server(test::server_for(default_pki().leaf)));
  EXPECT_TRUE(c.server.failed());
  EXPECT_TRUE(c.client.failed());
  EXPECT_FALSE(c.client.handshake_done());
  EXPECT_EQ(c.server.error(), make_error_code(errc::version_mismatch));
  EXPECT_EQ(c.server.error_reason(), "unsupported protocol");
  EXPECT_EQ(c.client.error(), make_error_code(errc::version_mismatch));
  ASSERT_TRUE(c.client.alert_received());
  EXPECT_TRUE(c.client.alert_received()->fatal);
  EXPECT_EQ(c.client.alert_received()->description, 70);  // protocol_version
  ASSERT_TRUE(c.server.alert_sent());
  EXPECT_EQ(c.server.alert_sent()->text, "protocol version");
  EXPECT_EQ(c.client.info().version, "");  // nothing negotiated
}

TEST_P(legacy_versions, accepted_by_weakened_server) {
  auto c = test::handshake(
      test::make_client(legacy_client(GetParam())),
      test::make_server(weakened_server_config(test::server_for(default_pki().leaf))));
  ASSERT_TRUE(c.client.handshake_done()) << c.client.error_reason() << c.server.error_reason();
  ASSERT_TRUE(c.server.handshake_done());
  EXPECT_EQ(c.client.info().version, to_string(GetParam()));
  EXPECT_EQ(c.server.info().version, to_string(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(tls10_tls11, legacy_versions,
                         ::testing::Values(tls_version::tls1_0, tls_version::tls1_1),
                         [](const auto& i) {
                           return std::string(i.param == tls_version::tls1_0 ? "tls10" : "tls11");
                         });

TEST(engine_failure, weak_cipher_only_client_finds_no_shared_cipher) {
  auto cc = test::client_trusting(default_pki().ca);
  cc.max_version = tls_version::tls1_2;
  cc.cipher_list = "NULL:aNULL:eNULL:RC4:3DES:EXPORT:@SECLEVEL=0";
  auto c = test::handshake(test::make_client(cc),
                           test::make_server(test::server_for(default_pki().leaf)));
  EXPECT_EQ(c.server.error(), make_error_code(errc::no_shared_cipher));
  EXPECT_EQ(c.server.error_reason(), "no shared cipher");
  EXPECT_EQ(c.client.error(), make_error_code(errc::peer_alert));
  ASSERT_TRUE(c.client.alert_received());
  EXPECT_EQ(c.client.alert_received()->description, 40);  // handshake_failure
}

TEST(engine_failure, alpn_mismatch_gets_no_application_protocol_rfc7301) {
  auto sc = test::server_for(default_pki().leaf);
  sc.alpn = {"smtp"};
  auto cc = test::client_trusting(default_pki().ca);
  cc.alpn = {"http/1.1", "imap"};  // ALPACA: a cross-protocol client
  auto c = test::handshake(test::make_client(cc), test::make_server(sc));
  EXPECT_EQ(c.server.error(), make_error_code(errc::no_application_protocol));
  EXPECT_EQ(c.client.error(), make_error_code(errc::no_application_protocol));
  ASSERT_TRUE(c.client.alert_received());
  EXPECT_EQ(c.client.alert_received()->description, 120);  // no_application_protocol
}

struct name_case {
  const char* name;
  long expected;
};

void PrintTo(const name_case& c, std::ostream* os) {
  *os << c.name;
}

class host_names : public ::testing::TestWithParam<name_case> {};

TEST_P(host_names, verified_against_certificate) {
  auto c =
      test::handshake(test::make_client(test::client_trusting(default_pki().ca, GetParam().name)),
                      test::make_server(test::server_for(default_pki().leaf)));
  const session_info info = c.client.info();
  EXPECT_EQ(info.verify_result, GetParam().expected);
  if (GetParam().expected == X509_V_OK) {
    EXPECT_TRUE(c.client.handshake_done()) << c.client.error_reason();
    EXPECT_TRUE(info.verified());
  } else {
    EXPECT_EQ(c.client.error(), make_error_code(errc::certificate_verify_failed));
    EXPECT_EQ(c.client.error_reason(), "certificate verify failed");
    EXPECT_EQ(c.server.error(), make_error_code(errc::certificate_rejected_by_peer));
  }
}

INSTANTIATE_TEST_SUITE_P(
    names, host_names,
    ::testing::Values(name_case{"mx.example.test", X509_V_OK},
                      name_case{"MX.Example.Test", X509_V_OK},
                      name_case{"other.example.test", X509_V_ERR_HOSTNAME_MISMATCH},
                      name_case{"example.test", X509_V_ERR_HOSTNAME_MISMATCH},
                      name_case{"127.0.0.1", X509_V_OK}, name_case{"::1", X509_V_OK},
                      name_case{"10.0.0.1", X509_V_ERR_IP_ADDRESS_MISMATCH}),
    [](const auto& i) {
      return "n" + std::to_string(i.index) + (i.param.expected == X509_V_OK ? "_ok" : "_mismatch");
    });

TEST(engine_failure, ip_literal_is_not_sent_as_sni_rfc6066) {
  auto c = test::handshake(test::make_client(test::client_trusting(default_pki().ca, "127.0.0.1")),
                           test::make_server(test::server_for(default_pki().leaf)));
  ASSERT_TRUE(c.server.handshake_done());
  EXPECT_EQ(c.server.info().server_name, "");
}

TEST(engine_failure, insecure_client_completes_but_reports_the_mismatch) {
  auto cc = test::client_trusting(default_pki().ca, "wrong.example");
  cc.verify_peer = false;
  auto c = test::handshake(test::make_client(cc),
                           test::make_server(test::server_for(default_pki().leaf)));
  ASSERT_TRUE(c.client.handshake_done());
  EXPECT_EQ(c.client.info().verify_result, X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(c.client.info().verify_error, "hostname mismatch");
  EXPECT_FALSE(c.client.info().verified());
}

TEST(engine_failure, expired_leaf_fails_verification) {
  auto leaf = leaf_for_host(host);
  leaf.not_before = -std::chrono::hours(48);
  leaf.not_after = -std::chrono::hours(24);
  const test::pki p = test::make_pki(key_type::ec_p256, leaf);
  auto c = test::handshake(test::make_client(test::client_trusting(p.ca)),
                           test::make_server(test::server_for(p.leaf)));
  EXPECT_EQ(c.client.error(), make_error_code(errc::certificate_verify_failed));
  EXPECT_EQ(c.client.info().verify_result, X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_EQ(c.client.info().verify_error, "certificate has expired");
  ASSERT_TRUE(c.server.alert_received());
  EXPECT_EQ(c.server.alert_received()->description, 45);  // certificate_expired
  EXPECT_EQ(c.server.error(), make_error_code(errc::certificate_rejected_by_peer));
}

TEST(engine_failure, unknown_ca_fails_verification) {
  const test::pki other = test::make_pki();
  auto c = test::handshake(test::make_client(test::client_trusting(other.ca)),
                           test::make_server(test::server_for(default_pki().leaf)));
  EXPECT_EQ(c.client.error(), make_error_code(errc::certificate_verify_failed));
  EXPECT_EQ(c.client.info().verify_result, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  EXPECT_EQ(c.server.error(), make_error_code(errc::certificate_rejected_by_peer));
  ASSERT_TRUE(c.server.alert_received());
  EXPECT_EQ(c.server.alert_received()->description, 48);  // unknown_ca
}

TEST(engine_failure, garbage_ciphertext_fails_cleanly) {
  engine server(test::make_server(test::server_for(default_pki().leaf)));
  std::string garbage;
  for (int i = 0; i < 4096; ++i)
    garbage += static_cast<char>((i * 131 + 7) & 0xff);
  const auto ec = server.feed_ciphertext(garbage);
  EXPECT_EQ(ec, make_error_code(errc::protocol_error));
  EXPECT_TRUE(server.failed());
  EXPECT_FALSE(server.error_reason().empty());
  EXPECT_FALSE(server.error_detail().empty());
  // Further input keeps reporting the same failure; nothing is ever delivered.
  EXPECT_EQ(server.feed_ciphertext("more"), ec);
  std::string out;
  EXPECT_EQ(server.read_plaintext(out), 0u);
  EXPECT_EQ(server.write_plaintext("x"), ec);
}

TEST(engine_failure, plaintext_fed_to_the_engine_is_rejected_not_delivered) {
  // What happens if a caller wrongly feeds the engine the protocol text it read before the
  // upgrade (RFC 3207 §4.2): the handshake fails; nothing reaches the application.
  const std::string injected = "RSET\r\nMAIL FROM:<attacker@example>\r\n";
  EXPECT_EQ(looks_like_tls(injected), tls_prefix::not_tls);
  EXPECT_EQ(looks_like_tls(""), tls_prefix::need_more);
  EXPECT_EQ(looks_like_tls("\x16"), tls_prefix::need_more);
  engine client(test::make_client(test::client_trusting(default_pki().ca)));
  engine server(test::make_server(test::server_for(default_pki().leaf)));
  std::string hello;
  client.take_ciphertext(hello);
  EXPECT_EQ(server.feed_ciphertext(injected + hello), make_error_code(errc::protocol_error));
  std::string out;
  EXPECT_EQ(server.read_plaintext(out), 0u);
  EXPECT_FALSE(server.handshake_done());
}

TEST(engine_failure, bytes_glued_after_client_hello_fail_the_handshake) {
  engine client(test::make_client(test::client_trusting(default_pki().ca)));
  engine server(test::make_server(test::server_for(default_pki().leaf)));
  std::string hello;
  client.take_ciphertext(hello);
  const std::string glued = hello + "EHLO injected.example\r\n";
  EXPECT_EQ(server.feed_ciphertext(glued), make_error_code(errc::protocol_error));
  EXPECT_TRUE(server.failed());
  std::string out;
  EXPECT_EQ(server.read_plaintext(out), 0u);
  // The server's alert still goes out, and the client fails on it without crashing.
  std::string reply;
  server.take_ciphertext(reply);
  EXPECT_FALSE(reply.empty());
  client.feed_ciphertext(reply);
  // TLS 1.3: the server flight (up to Finished) went out before the garbage was read, so the
  // client may complete its side; the fatal alert that follows fails it all the same.
  EXPECT_TRUE(client.failed());
  ASSERT_TRUE(client.alert_received());
  EXPECT_TRUE(client.alert_received()->fatal);
  EXPECT_EQ(client.alert_received()->description, server.alert_sent()->description);
  EXPECT_EQ(client.read_plaintext(out), 0u);
}

TEST(engine_failure, transport_eof_without_close_notify_is_truncation) {
  auto c = test::handshake(test::make_client(test::client_trusting(default_pki().ca)),
                           test::make_server(test::server_for(default_pki().leaf)));
  ASSERT_TRUE(c.client.handshake_done());
  EXPECT_EQ(c.client.transport_closed(), make_error_code(errc::unexpected_eof));
  EXPECT_TRUE(c.client.failed());

  engine fresh(test::make_server(test::server_for(default_pki().leaf)));
  EXPECT_EQ(fresh.transport_closed(), make_error_code(errc::unexpected_eof));
}

TEST(engine_failure, corrupted_record_after_handshake_fails) {
  auto c = test::handshake(test::make_client(test::client_trusting(default_pki().ca)),
                           test::make_server(test::server_for(default_pki().leaf)));
  ASSERT_TRUE(c.server.handshake_done());
  ASSERT_FALSE(c.client.write_plaintext("DATA\r\n"));
  std::string record;
  c.client.take_ciphertext(record);
  ASSERT_GT(record.size(), 10u);
  record[record.size() - 3] = static_cast<char>(record[record.size() - 3] ^ 0x01);
  EXPECT_EQ(c.server.feed_ciphertext(record), make_error_code(errc::protocol_error));
  EXPECT_EQ(c.server.error_reason(), "decryption failed or bad record mac");
  std::string out;
  EXPECT_EQ(c.server.read_plaintext(out), 0u);
}

}  // namespace
}  // namespace mailtls::tls
