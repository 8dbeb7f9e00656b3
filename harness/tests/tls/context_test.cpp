#include "tls/context.hpp"

#include <openssl/ssl.h>

#include <gtest/gtest.h>

#include <string>

#include "tls_fixture.hpp"

namespace mailtls::tls {
namespace {

using test::default_pki;

TEST(context, server_defaults_follow_rfc8996_and_rfc9325) {
  const context ctx = test::make_server(test::server_for(default_pki().leaf));
  SSL_CTX* raw = ctx.native_handle();
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(ctx.role(), role::server);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(raw), TLS1_2_VERSION);
  EXPECT_EQ(SSL_CTX_get_max_proto_version(raw), TLS1_3_VERSION);
  EXPECT_EQ(SSL_CTX_get_security_level(raw), 2);
  const uint64_t opts = SSL_CTX_get_options(raw);
  EXPECT_NE(opts & SSL_OP_NO_COMPRESSION, 0u);
  EXPECT_NE(opts & SSL_OP_NO_RENEGOTIATION, 0u);
  EXPECT_NE(opts & SSL_OP_CIPHER_SERVER_PREFERENCE, 0u);
  // Every enabled suite is AEAD; every TLS 1.2 suite uses ECDHE.
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(raw);
  ASSERT_NE(ciphers, nullptr);
  EXPECT_EQ(sk_SSL_CIPHER_num(ciphers), 9);  // 3 TLS 1.3 + 6 TLS 1.2
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(ciphers, i);
    EXPECT_EQ(SSL_CIPHER_is_aead(c), 1) << SSL_CIPHER_get_name(c);
    const int kx = SSL_CIPHER_get_kx_nid(c);  // NID_kx_any: a TLS 1.3 suite
    EXPECT_TRUE(kx == NID_kx_ecdhe || kx == NID_kx_any) << SSL_CIPHER_get_name(c);
  }
}

TEST(context, weakened_server_allows_tls10_at_level_0) {
  const context ctx =
      test::make_server(weakened_server_config(test::server_for(default_pki().leaf)));
  EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx.native_handle()), TLS1_VERSION);
  EXPECT_EQ(SSL_CTX_get_security_level(ctx.native_handle()), 0);
}

TEST(context, legacy_client_gets_security_level_0) {
  client_config cc;
  cc.min_version = tls_version::tls1_0;
  cc.max_version = tls_version::tls1_1;
  cc.server_name = "a.example";
  const context ctx = test::make_client(cc);
  EXPECT_EQ(ctx.role(), role::client);
  EXPECT_EQ(ctx.server_name(), "a.example");
  EXPECT_EQ(SSL_CTX_get_security_level(ctx.native_handle()), 0);
  EXPECT_EQ(SSL_CTX_get_max_proto_version(ctx.native_handle()), TLS1_1_VERSION);

  cc.security_level = 1;
  EXPECT_EQ(SSL_CTX_get_security_level(test::make_client(cc).native_handle()), 1);
}

TEST(context, configuration_errors_are_specific) {
  auto sc = test::server_for(default_pki().leaf);
  sc.cipher_list = "NO-SUCH-CIPHER";
  auto r = context::make_server(sc);
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error, make_error_code(errc::cipher_config_rejected));
  EXPECT_NE(r.detail.find("no cipher match"), std::string::npos) << r.detail;

  sc = test::server_for(default_pki().leaf);
  sc.min_version = tls_version::tls1_3;
  sc.max_version = tls_version::tls1_2;
  EXPECT_EQ(context::make_server(sc).error, make_error_code(errc::invalid_config));

  sc = test::server_for(default_pki().leaf);
  sc.certificate_chain_pem.clear();
  sc.certificate_chain_file = "/nonexistent/mailtls/server.pem";
  r = context::make_server(sc);
  EXPECT_EQ(r.error, make_error_code(errc::certificate_load_failed));
  EXPECT_NE(r.detail.find("/nonexistent/mailtls/server.pem"), std::string::npos);

  sc = test::server_for(default_pki().leaf);
  sc.private_key_pem = default_pki().ca.private_key_pem;  // not the leaf's key
  EXPECT_EQ(context::make_server(sc).error, make_error_code(errc::private_key_load_failed));

  sc = test::server_for(default_pki().leaf);
  sc.alpn = {std::string(256, 'a')};
  EXPECT_EQ(context::make_server(sc).error, make_error_code(errc::invalid_config));

  client_config cc;
  cc.ca_pem = "not a certificate";
  EXPECT_EQ(context::make_client(cc).error, make_error_code(errc::ca_load_failed));
  cc.ca_pem.clear();
  cc.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(context::make_client(cc).error, make_error_code(errc::ca_load_failed));
}

TEST(context, copies_share_the_ssl_ctx) {
  const context a = test::make_client(client_config{});
  context b = a;
  EXPECT_EQ(a.native_handle(), b.native_handle());
  context c = std::move(b);
  EXPECT_EQ(c.native_handle(), a.native_handle());
  c = a;
  EXPECT_EQ(c.native_handle(), a.native_handle());
}

TEST(context, alpn_wire_format_rfc7301) {
  std::string wire;
  EXPECT_TRUE(encode_alpn({"smtp", "imap"}, wire));
  EXPECT_EQ(wire, std::string("\x04smtp\x04imap"));
  EXPECT_FALSE(encode_alpn({""}, wire));
  EXPECT_EQ(std::string(to_string(tls_version::tls1_0)), "TLSv1");
  EXPECT_EQ(std::string(to_string(tls_version::tls1_3)), "TLSv1.3");
}

TEST(errc, category_and_messages) {
  const std::error_code ec = errc::version_mismatch;
  EXPECT_EQ(std::string(ec.category().name()), "mailtls.tls");
  EXPECT_EQ(ec.message(), "no common TLS version");
  EXPECT_EQ(std::error_code(errc::input_buffer_full).message(), "TLS input buffer limit reached");
  EXPECT_NE(ec, std::error_code(errc::no_shared_cipher));
}

TEST(errc, openssl_queue_is_drained_to_text) {
  EXPECT_EQ(drain_openssl_errors(), "");
  EXPECT_EQ(SSL_CTX_new(nullptr), nullptr);  // queues an error
  EXPECT_FALSE(peek_openssl_reason().empty());
  const std::string text = drain_openssl_errors();
  EXPECT_NE(text.find("error:"), std::string::npos) << text;
  EXPECT_EQ(drain_openssl_errors(), "");
}

}  // namespace
}  // namespace mailtls::tls
