#include "tls/cert_kit.hpp"

#include <openssl/x509_vfy.h>

#include <gtest/gtest.h>

namespace mailtls::tls {
namespace {

TEST(cert_kit, each_kind_verifies_as_intended) {
  auto kit = cert_kit::make("mail.example.org");
  ASSERT_TRUE(kit) << kit.detail;
  struct expectation {
    presented_cert kind;
    std::string host;
    long code;
  };
  const expectation cases[] = {
      {presented_cert::good, "mail.example.org", X509_V_OK},
      {presented_cert::good, "127.0.0.1", X509_V_OK},
      {presented_cert::good, "localhost", X509_V_OK},
      {presented_cert::self_signed, "mail.example.org", X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT},
      {presented_cert::unknown_ca, "mail.example.org",
       X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY},
      {presented_cert::wrong_name, "mail.example.org", X509_V_ERR_HOSTNAME_MISMATCH},
      {presented_cert::wrong_name, "127.0.0.1", X509_V_ERR_IP_ADDRESS_MISMATCH},
      {presented_cert::expired, "mail.example.org", X509_V_ERR_CERT_HAS_EXPIRED},
      {presented_cert::wildcard_mismatch, "mail.example.org", X509_V_ERR_HOSTNAME_MISMATCH},
  };
  for (const auto& c : cases) {
    auto leaf = kit->leaf(c.kind);
    ASSERT_TRUE(leaf) << leaf.detail;
    std::string reason;
    EXPECT_EQ(verify_certificate(leaf->certificate_pem, kit->ca().certificate_pem, c.host, &reason),
              c.code)
        << to_name(c.kind) << " " << c.host << ": " << reason;
  }
  // Made once per run.
  EXPECT_EQ(kit->leaf(presented_cert::expired)->certificate_pem,
            kit->leaf(presented_cert::expired)->certificate_pem);
}

TEST(cert_kit, wildcard_covers_one_label_only) {
  EXPECT_EQ(wildcard_mismatch_name("a.b.example.org"), "*.example.org");
  EXPECT_EQ(wildcard_mismatch_name("mail.example.org"), "*.mail.example.org");
  EXPECT_EQ(wildcard_mismatch_name("127.0.0.1"), "*.example.org");
  auto kit = cert_kit::make("a.b.example.org");
  ASSERT_TRUE(kit);
  auto leaf = kit->leaf(presented_cert::wildcard_mismatch);
  ASSERT_TRUE(leaf);
  EXPECT_EQ(verify_certificate(leaf->certificate_pem, kit->ca().certificate_pem, "a.b.example.org"),
            X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(verify_certificate(leaf->certificate_pem, kit->ca().certificate_pem, "b.example.org"),
            X509_V_OK);
}

TEST(cert_kit, server_contexts_for_each_kind_and_old_versions) {
  auto kit = cert_kit::make("localhost");
  ASSERT_TRUE(kit);
  for (auto k :
       {presented_cert::good, presented_cert::self_signed, presented_cert::unknown_ca,
        presented_cert::wrong_name, presented_cert::expired, presented_cert::wildcard_mismatch}) {
    EXPECT_TRUE(kit->server_context(k, tls_version::tls1_2, tls_version::tls1_3)) << to_name(k);
  }
  EXPECT_TRUE(kit->server_context(presented_cert::good, tls_version::tls1_0, tls_version::tls1_0));
}

}  // namespace
}  // namespace mailtls::tls
