// How start_tls options become client TLS configs, names and cached contexts.
#include "client/tls_setup.hpp"

#include <gtest/gtest.h>

#include "client_fixture.hpp"

namespace mailtls::client::detail {
namespace {

using runner::tls_version_limit;
using tls::tls_version;

TEST(tls_setup, DefaultsAreTls12To13WithTheRunsTrustAndVerify) {
  tls_defaults d{"/ca.pem", "mx", false};
  const auto c = make_client_config({}, d);
  EXPECT_EQ(c.min_version, tls_version::tls1_2);
  EXPECT_EQ(c.max_version, tls_version::tls1_3);
  EXPECT_EQ(c.ca_file, "/ca.pem");
  EXPECT_FALSE(c.verify_peer);
  EXPECT_TRUE(c.cipher_list.empty());
  EXPECT_FALSE(c.security_level.has_value());
  EXPECT_TRUE(c.server_name.empty());  // per engine
}

TEST(tls_setup, ActionVerifyOverridesTheDefault) {
  runner::start_tls a;
  a.verify = true;
  EXPECT_TRUE(make_client_config(a, {"", "", false}).verify_peer);
  a.verify = false;
  EXPECT_FALSE(make_client_config(a, {"", "", true}).verify_peer);
}

TEST(tls_setup, MaxBelowTls12ReachesDownToTls10WithLegacySettings) {
  runner::start_tls a;
  a.max = tls_version_limit::tls1_1;
  const auto c = make_client_config(a, {});
  EXPECT_EQ(c.min_version, tls_version::tls1_0);
  EXPECT_EQ(c.max_version, tls_version::tls1_1);
  EXPECT_EQ(c.security_level, 0);
  EXPECT_EQ(c.cipher_list, tls::legacy_ciphers);
}

TEST(tls_setup, ExplicitRangeAndCiphersAreKept) {
  runner::start_tls a;
  a.min = tls_version_limit::tls1_0;
  a.max = tls_version_limit::tls1_2;
  a.ciphers = "AES128-SHA";
  const auto c = make_client_config(a, {});
  EXPECT_EQ(c.min_version, tls_version::tls1_0);
  EXPECT_EQ(c.max_version, tls_version::tls1_2);
  EXPECT_EQ(c.cipher_list, "AES128-SHA");
  EXPECT_EQ(c.security_level, 0);

  runner::start_tls only13;
  only13.min = tls_version_limit::tls1_3;
  const auto c13 = make_client_config(only13, {});
  EXPECT_EQ(c13.min_version, tls_version::tls1_3);
  EXPECT_EQ(c13.max_version, tls_version::tls1_3);
  EXPECT_FALSE(c13.security_level.has_value());
}

TEST(tls_setup, ServerNamePrecedence) {
  job j;
  j.host = "10.0.0.1";
  runner::start_tls a;
  EXPECT_EQ(server_name_for(a, j), "10.0.0.1");
  j.tls.server_name = "mx.example";
  EXPECT_EQ(server_name_for(a, j), "mx.example");
  a.sni = "other.example";
  EXPECT_EQ(server_name_for(a, j), "other.example");
  a.sni = "";
  EXPECT_EQ(server_name_for(a, j), "");  // explicitly no SNI and no name check
}

TEST(tls_setup, ContextsAreSharedPerOptionSet) {
  context_cache cache;
  tls_defaults d{test::test_pki().ca_file, "", true};
  const auto& a = cache.get({}, d);
  ASSERT_TRUE(a) << a.detail;
  const auto& b = cache.get({}, d);
  EXPECT_EQ(a->native_handle(), b->native_handle());
  EXPECT_EQ(cache.size(), 1u);

  runner::start_tls insecure;
  insecure.verify = false;
  const auto& c = cache.get(insecure, d);
  ASSERT_TRUE(c);
  EXPECT_NE(c->native_handle(), a->native_handle());
  EXPECT_EQ(cache.size(), 2u);

  runner::start_tls sni_only;
  sni_only.sni = "x.example";  // names are per engine: same context
  EXPECT_EQ(cache.get(sni_only, d)->native_handle(), a->native_handle());
  EXPECT_EQ(cache.size(), 2u);
}

TEST(tls_setup, ContextFailuresAreReportedAndCached) {
  context_cache cache;
  tls_defaults d{"/nonexistent/ca.pem", "", true};
  const auto& r = cache.get({}, d);
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error, tls::errc::ca_load_failed);
  EXPECT_FALSE(cache.get({}, d));
  EXPECT_EQ(cache.size(), 1u);
}

TEST(tls_setup, FailedFactsSayAttemptedNotEstablished) {
  const auto f = failed_facts("no", true);
  EXPECT_TRUE(f.attempted);
  EXPECT_TRUE(f.implicit);
  EXPECT_FALSE(f.established);
  EXPECT_EQ(f.failure, "no");
}

}  // namespace
}  // namespace mailtls::client::detail
