#include "tls/credentials.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tls/engine.hpp"
#include "tls_fixture.hpp"

namespace mailtls::tls {
namespace {

using test::host;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

unsigned mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777u;
}

TEST(credentials, write_and_read_round_trip_with_private_key_mode_0600) {
  test::temp_dir dir;
  const auto& creds = test::default_pki().leaf;
  const std::string cert = dir.path + "/x.pem";
  const std::string key = dir.path + "/x.key";
  ASSERT_FALSE(write_credentials(creds, cert, key));
  EXPECT_EQ(mode_of(key), 0600u);
  EXPECT_EQ(mode_of(cert), 0644u);
  const auto back = read_credentials(cert, key);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->certificate_pem, creds.certificate_pem);
  EXPECT_EQ(back->private_key_pem, creds.private_key_pem);
  EXPECT_EQ(read_credentials(dir.path + "/missing.pem", key).error,
            make_error_code(errc::file_io_failed));
  EXPECT_TRUE(write_credentials(creds, "/nonexistent-dir/x.pem", "/nonexistent-dir/x.key"));
}

TEST(credentials, ensure_creates_once_then_reuses) {
  test::temp_dir dir;
  const std::string state = dir.path + "/state";
  const auto first = ensure_server_credentials(state, host);
  ASSERT_TRUE(first) << first.detail;
  EXPECT_TRUE(first->created_ca);
  EXPECT_TRUE(first->issued_leaf);
  EXPECT_EQ(first->ca_certificate, state + "/ca.pem");
  EXPECT_EQ(first->server_key, state + "/server.key");
  EXPECT_EQ(mode_of(state), 0700u);
  EXPECT_EQ(mode_of(first->ca_key), 0600u);
  EXPECT_EQ(mode_of(first->server_key), 0600u);
  const std::string ca_pem = slurp(first->ca_certificate);
  const std::string leaf_pem = slurp(first->server_certificate);
  EXPECT_EQ(verify_certificate(leaf_pem, ca_pem, host), 0);

  const auto second = ensure_server_credentials(state, host);
  ASSERT_TRUE(second) << second.detail;
  EXPECT_FALSE(second->created_ca);
  EXPECT_FALSE(second->issued_leaf);
  EXPECT_EQ(slurp(second->ca_certificate), ca_pem);
  EXPECT_EQ(slurp(second->server_certificate), leaf_pem);

  // A server started from the files: a client trusting ca.pem verifies it.
  server_config sc;
  sc.certificate_chain_file = second->server_certificate;
  sc.private_key_file = second->server_key;
  client_config cc;
  cc.ca_file = second->ca_certificate;
  cc.server_name = host;
  auto c = test::handshake(test::make_client(cc), test::make_server(sc));
  EXPECT_TRUE(c.client.handshake_done()) << c.client.error_reason();
  EXPECT_TRUE(c.client.info().verified());
}

TEST(credentials, new_host_name_reissues_the_leaf_from_the_same_ca) {
  test::temp_dir dir;
  const auto first = ensure_server_credentials(dir.path, host);
  ASSERT_TRUE(first);
  const std::string ca_pem = slurp(first->ca_certificate);
  const auto other = ensure_server_credentials(dir.path, "imap.example.test");
  ASSERT_TRUE(other) << other.detail;
  EXPECT_FALSE(other->created_ca);
  EXPECT_TRUE(other->issued_leaf);
  EXPECT_EQ(slurp(other->ca_certificate), ca_pem);
  EXPECT_EQ(verify_certificate(slurp(other->server_certificate), ca_pem, "imap.example.test"), 0);
}

TEST(credentials, unreadable_ca_is_an_error_not_replaced) {
  test::temp_dir dir;
  {
    std::ofstream(dir.path + "/ca.pem") << "corrupt";
    std::ofstream(dir.path + "/ca.key") << "corrupt";
  }
  const auto r = ensure_server_credentials(dir.path, host);
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error, make_error_code(errc::certificate_load_failed));
  EXPECT_EQ(slurp(dir.path + "/ca.pem"), "corrupt");

  ::unlink((dir.path + "/ca.key").c_str());  // half a CA: also an error
  EXPECT_EQ(ensure_server_credentials(dir.path, host).error, make_error_code(errc::file_io_failed));
}

TEST(credentials, rsa_state_works) {
  test::temp_dir dir;
  const auto r = ensure_server_credentials(dir.path, host, key_type::rsa_2048);
  ASSERT_TRUE(r) << r.detail;
  EXPECT_NE(slurp(r->server_key).find("BEGIN PRIVATE KEY"), std::string::npos);
}

}  // namespace
}  // namespace mailtls::tls
