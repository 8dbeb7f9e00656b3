// Shared set-up for the client driver's tests: a loopback net::runtime serving script_server
// (plain, STARTTLS or implicit TLS) with a certificate for tls_host from a private CA whose PEM is
// written to a temp file (job.tls.ca_file), and helpers to build jobs and collect results.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/driver.hpp"
#include "fake_session.hpp"
#include "net/runtime.hpp"
#include "script_server.hpp"
#include "tls/certs.hpp"
#include "tls/context.hpp"

namespace mailtls::client::test {

inline constexpr const char* tls_host = "mx.client.test";

struct pki {
  tls::credentials ca;
  tls::credentials leaf;
  std::string dir;
  std::string ca_file;
  ~pki() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

// Generated once per process; the CA file is removed at exit.
inline const pki& test_pki() {
  static const pki p = [] {
    pki out;
    auto ca = tls::generate_private_ca();
    EXPECT_TRUE(ca) << ca.detail;
    auto leaf = tls::issue_leaf(*ca, tls::leaf_for_host(tls_host));
    EXPECT_TRUE(leaf) << leaf.detail;
    out.ca = *ca;
    out.leaf = *leaf;
    char tmpl[] = "/tmp/mailtls-client-test-XXXXXX";
    const char* d = ::mkdtemp(tmpl);
    EXPECT_NE(d, nullptr);
    out.dir = d != nullptr ? d : "";
    out.ca_file = out.dir + "/ca.pem";
    std::ofstream(out.ca_file) << out.ca.certificate_pem;
    return out;
  }();
  return p;
}

using script = std::vector<runner::actions>;

inline runner::read_bytes read(std::uint32_t ms = 5000) {
  return runner::read_bytes{ms};
}
inline runner::send_bytes send(std::string bytes) {
  return runner::send_bytes{std::move(bytes)};
}

struct outcome_record {
  std::size_t index = 0;
  runner::scenario_result result;
};

class client_fixture : public ::testing::Test {
 protected:
  client_fixture() : log_(net::log_level::error, [](std::string_view) {}), rt_(log_, {1}) {}

  ~client_fixture() override {
    rt_.shutdown(std::chrono::milliseconds(1000));
    rt_.stop();
  }

  std::uint16_t start_server(net::transport mode = net::transport::plain,
                             std::uint32_t greet_delay_ms = 0, std::vector<std::string> alpn = {}) {
    net::listener_config c;
    c.name = "test";
    c.mode = mode;
    tls::server_config sc;
    sc.certificate_chain_pem = test_pki().leaf.certificate_pem;
    sc.private_key_pem = test_pki().leaf.private_key_pem;
    sc.alpn = std::move(alpn);  // RFC 7301 §3.2: refuse clients offering only other protocols
    auto ctx = tls::context::make_server(sc);
    EXPECT_TRUE(ctx) << ctx.detail;
    c.tls = *ctx;
    c.factory.make = [greet_delay_ms] { return std::make_unique<script_server>(greet_delay_ms); };
    c.max_connections_per_address = 500;
    auto bound = rt_.add_listener(std::move(c));
    EXPECT_TRUE(bound) << bound.error;
    if (!started_) rt_.start();
    started_ = true;
    return bound.port;
  }

  // A job on 127.0.0.1 trusting the test CA, naming tls_host.
  job make_job(std::uint16_t port, script s, bool keep_tls_facts = true) {
    job j;
    j.host = "127.0.0.1";
    j.port = port;
    j.tls.ca_file = test_pki().ca_file;
    j.tls.server_name = tls_host;
    auto probe = probe_;
    j.make_session = [probe, s = std::move(s), keep_tls_facts] {
      return std::make_unique<fake_session>(s, probe, keep_tls_facts);
    };
    return j;
  }

  std::vector<outcome_record> run(const std::vector<job>& jobs, run_options options = {}) {
    std::vector<outcome_record> out;
    run_all(jobs, options, [&](std::size_t index, runner::scenario_result r) {
      out.push_back({index, std::move(r)});
    });
    return out;
  }

  // One job; fails the test unless exactly one result for index 0 came back.
  runner::scenario_result run_one(job j, run_options options = {}) {
    auto results = run({std::move(j)}, options);
    EXPECT_EQ(results.size(), 1u);
    if (results.empty()) return {};
    EXPECT_EQ(results[0].index, 0u);
    return results[0].result;
  }

  std::vector<std::string> events() const { return probe_->events; }

  net::logger log_;
  net::runtime rt_;
  bool started_ = false;
  std::shared_ptr<fake_probe> probe_ = std::make_shared<fake_probe>();
};

}  // namespace mailtls::client::test
