// Shared helpers for the TLS tests: in-memory PKI, configs, a bounded byte pump, temp dirs.
// Nothing here touches the network.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "tls/certs.hpp"
#include "tls/context.hpp"
#include "tls/engine.hpp"

namespace mailtls::tls::test {

inline constexpr const char* host = "mx.example.test";

struct pki {
  credentials ca;
  credentials leaf;
};

inline pki make_pki(key_type key = key_type::ec_p256, leaf_options leaf = leaf_for_host(host)) {
  ca_options ca_opts;
  ca_opts.key = key;
  auto ca = generate_private_ca(ca_opts);
  EXPECT_TRUE(ca) << ca.detail;
  leaf.key = key;
  auto l = issue_leaf(*ca, leaf);
  EXPECT_TRUE(l) << l.detail;
  return {*ca, *l};
}

// P-256 CA and a leaf for `host`, generated once per process.
inline const pki& default_pki() {
  static const pki p = make_pki();
  return p;
}

inline server_config server_for(const credentials& leaf) {
  server_config c;
  c.certificate_chain_pem = leaf.certificate_pem;
  c.private_key_pem = leaf.private_key_pem;
  return c;
}

inline client_config client_trusting(const credentials& ca, std::string name = host) {
  client_config c;
  c.ca_pem = ca.certificate_pem;
  c.server_name = std::move(name);
  return c;
}

inline context make_server(const server_config& c) {
  auto r = context::make_server(c);
  EXPECT_TRUE(r) << r.detail;
  return std::move(*r);
}

inline context make_client(const client_config& c) {
  auto r = context::make_client(c);
  EXPECT_TRUE(r) << r.detail;
  return std::move(*r);
}

// Moves ciphertext both ways until neither side has anything to send. Bounded: fails the test
// after max_rounds.
inline int pump(engine& a, engine& b, int max_rounds = 64) {
  for (int round = 0; round < max_rounds; ++round) {
    std::string ab, ba;
    a.take_ciphertext(ab);
    b.take_ciphertext(ba);
    if (ab.empty() && ba.empty()) return round;
    if (!ab.empty() && !b.failed()) {
      const auto ec = b.feed_ciphertext(ab);
      EXPECT_NE(ec, make_error_code(errc::input_buffer_full));
    }
    if (!ba.empty() && !a.failed()) {
      const auto ec = a.feed_ciphertext(ba);
      EXPECT_NE(ec, make_error_code(errc::input_buffer_full));
    }
  }
  ADD_FAILURE() << "pump did not settle after " << max_rounds << " rounds";
  return max_rounds;
}

struct connection {
  engine client;
  engine server;
};

// A client and a server engine that have run their handshake as far as it goes.
inline connection handshake(const context& client_ctx, const context& server_ctx,
                            engine_options client_opts = {}) {
  connection c{engine(client_ctx, std::move(client_opts)), engine(server_ctx)};
  pump(c.client, c.server);
  return c;
}

// A fresh directory under /tmp, removed with everything in it at scope exit.
struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/mailtls-tls-test-XXXXXX";
    const char* p = ::mkdtemp(tmpl);
    EXPECT_NE(p, nullptr);
    path = p != nullptr ? p : "";
  }
  ~temp_dir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

}  // namespace mailtls::tls::test
