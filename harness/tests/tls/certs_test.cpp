#include "tls/certs.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

#include <ctime>
#include <memory>
#include <string>

#include "tls/session_info.hpp"
#include "tls_fixture.hpp"

namespace mailtls::tls {
namespace {

using test::default_pki;
using test::host;

struct x509_free_t {
  void operator()(X509* x) const { X509_free(x); }
};
using x509_owner = std::unique_ptr<X509, x509_free_t>;

x509_owner parse(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  x509_owner x(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return x;
}

bool critical(X509* x, int nid) {
  const int at = X509_get_ext_by_NID(x, nid, -1);
  return at >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, at)) == 1;
}

std::string octets(const ASN1_OCTET_STRING* s) {
  if (s == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

TEST(certs, private_ca_is_a_critical_ca_with_key_ids_rfc5280) {
  const x509_owner ca = parse(default_pki().ca.certificate_pem);
  ASSERT_TRUE(ca);
  const certificate_summary s = summarize(ca.get());
  EXPECT_EQ(s.subject_cn, "mailtls private CA");
  EXPECT_EQ(s.subject, s.issuer);
  EXPECT_TRUE(s.is_ca);
  EXPECT_EQ(s.key_type, "EC");
  EXPECT_EQ(s.key_bits, 256);
  EXPECT_TRUE(critical(ca.get(), NID_basic_constraints));
  EXPECT_TRUE(critical(ca.get(), NID_key_usage));
  EXPECT_NE(X509_get_key_usage(ca.get()) & KU_KEY_CERT_SIGN, 0u);
  const std::string ski = octets(X509_get0_subject_key_id(ca.get()));
  EXPECT_EQ(ski.size(), 20u);
  EXPECT_EQ(octets(X509_get0_authority_key_id(ca.get())), ski);
  EXPECT_EQ(X509_get_version(ca.get()), X509_VERSION_3);
  EXPECT_NEAR(static_cast<double>(s.not_after - std::time(nullptr)), 3650.0 * 86400, 7200.0);
}

TEST(certs, leaf_has_sans_server_auth_and_chains_to_the_ca) {
  const x509_owner ca = parse(default_pki().ca.certificate_pem);
  const x509_owner leaf = parse(default_pki().leaf.certificate_pem);
  ASSERT_TRUE(ca && leaf);
  const certificate_summary s = summarize(leaf.get());
  EXPECT_EQ(s.subject_cn, host);
  EXPECT_EQ(s.dns_names, std::vector<std::string>{host});
  EXPECT_EQ(s.ip_addresses, (std::vector<std::string>{"127.0.0.1", "0:0:0:0:0:0:0:1"}));
  EXPECT_FALSE(s.is_ca);
  EXPECT_TRUE(critical(leaf.get(), NID_basic_constraints));
  EXPECT_NE(X509_get_extended_key_usage(leaf.get()) & XKU_SSL_SERVER, 0u);
  EXPECT_EQ(X509_get_key_usage(leaf.get()) & KU_KEY_CERT_SIGN, 0u);
  EXPECT_EQ(octets(X509_get0_authority_key_id(leaf.get())),
            octets(X509_get0_subject_key_id(ca.get())));
  // RFC 5280 §4.1.2.2: positive serial of 16 octets, fresh for every certificate.
  EXPECT_EQ(s.serial_hex.size(), 32u);
  EXPECT_LT(std::stoi(s.serial_hex.substr(0, 1), nullptr, 16), 8);
  const auto again = issue_leaf(default_pki().ca, leaf_for_host(host));
  ASSERT_TRUE(again);
  EXPECT_NE(summarize(parse(again->certificate_pem).get()).serial_hex, s.serial_hex);
}

TEST(certs, x509_verify_cert_accepts_the_generated_chain) {
  const x509_owner ca = parse(default_pki().ca.certificate_pem);
  const x509_owner leaf = parse(default_pki().leaf.certificate_pem);
  X509_STORE* store = X509_STORE_new();
  ASSERT_EQ(X509_STORE_add_cert(store, ca.get()), 1);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  ASSERT_EQ(X509_STORE_CTX_init(ctx, store, leaf.get(), nullptr), 1);
  X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
  EXPECT_EQ(X509_verify_cert(ctx), 1)
      << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
}

TEST(certs, verify_certificate_reports_specific_reasons) {
  const auto& p = default_pki();
  std::string why;
  EXPECT_EQ(verify_certificate(p.leaf.certificate_pem, p.ca.certificate_pem, host, &why), 0);
  EXPECT_EQ(why, "ok");
  EXPECT_EQ(verify_certificate(p.leaf.certificate_pem, p.ca.certificate_pem, "", &why), 0);
  EXPECT_EQ(verify_certificate(p.leaf.certificate_pem, p.ca.certificate_pem, "::1"), 0);
  EXPECT_EQ(verify_certificate(p.leaf.certificate_pem, p.ca.certificate_pem, "evil.test", &why),
            X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(why, "hostname mismatch");
  // The CA itself is not a server certificate for anyone, and another CA is not trusted.
  const auto other = generate_private_ca();
  ASSERT_TRUE(other);
  EXPECT_EQ(verify_certificate(p.leaf.certificate_pem, other->certificate_pem, host, &why),
            X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  EXPECT_EQ(verify_certificate("garbage", p.ca.certificate_pem, host), X509_V_ERR_UNSPECIFIED);
}

TEST(certs, validity_offsets_make_expired_and_future_certificates) {
  const auto& p = default_pki();
  auto expired = leaf_for_host(host);
  expired.not_before = -std::chrono::hours(72);
  expired.not_after = -std::chrono::hours(1);
  auto e = issue_leaf(p.ca, expired);
  ASSERT_TRUE(e) << e.detail;
  std::string why;
  EXPECT_EQ(verify_certificate(e->certificate_pem, p.ca.certificate_pem, host, &why),
            X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_EQ(why, "certificate has expired");

  auto future = leaf_for_host(host);
  future.not_before = std::chrono::hours(24);
  future.not_after = std::chrono::hours(48);
  auto f = issue_leaf(p.ca, future);
  ASSERT_TRUE(f);
  EXPECT_EQ(verify_certificate(f->certificate_pem, p.ca.certificate_pem, host),
            X509_V_ERR_CERT_NOT_YET_VALID);
}

TEST(certs, wrong_name_and_custom_names) {
  leaf_options o;
  o.dns_names = {"a.example", "b.example"};
  o.ip_addresses = {"192.0.2.7"};
  o.common_name = "custom CN";
  auto l = issue_leaf(default_pki().ca, o);
  ASSERT_TRUE(l) << l.detail;
  const certificate_summary s = summarize(parse(l->certificate_pem).get());
  EXPECT_EQ(s.subject_cn, "custom CN");
  EXPECT_EQ(s.dns_names, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(s.ip_addresses, std::vector<std::string>{"192.0.2.7"});
  EXPECT_EQ(verify_certificate(l->certificate_pem, default_pki().ca.certificate_pem, "b.example"),
            0);
  EXPECT_EQ(verify_certificate(l->certificate_pem, default_pki().ca.certificate_pem, "127.0.0.1"),
            X509_V_ERR_IP_ADDRESS_MISMATCH);

  o.dns_names.clear();
  o.ip_addresses.clear();
  EXPECT_EQ(issue_leaf(default_pki().ca, o).error, make_error_code(errc::invalid_config));
}

TEST(certs, rsa_2048_ca_and_leaf) {
  const test::pki p = test::make_pki(key_type::rsa_2048);
  const certificate_summary ca = summarize(parse(p.ca.certificate_pem).get());
  const certificate_summary leaf = summarize(parse(p.leaf.certificate_pem).get());
  EXPECT_EQ(ca.key_type, "RSA");
  EXPECT_EQ(ca.key_bits, 2048);
  EXPECT_EQ(leaf.key_type, "RSA");
  EXPECT_EQ(leaf.key_bits, 2048);
  EXPECT_EQ(leaf.signature_algorithm, "sha256WithRSAEncryption");
  EXPECT_EQ(verify_certificate(p.leaf.certificate_pem, p.ca.certificate_pem, host), 0);
}

TEST(certs, issue_leaf_rejects_a_mismatched_ca_key) {
  credentials broken = default_pki().ca;
  broken.private_key_pem = default_pki().leaf.private_key_pem;
  EXPECT_EQ(issue_leaf(broken, leaf_for_host(host)).error,
            make_error_code(errc::private_key_load_failed));
  broken.certificate_pem = "nope";
  EXPECT_EQ(issue_leaf(broken, leaf_for_host(host)).error,
            make_error_code(errc::certificate_load_failed));
}

}  // namespace
}  // namespace mailtls::tls
