// Shared set-up for the net layer's tests: a runtime with 2 threads, a capturing logger, echo
// listeners, an in-memory PKI (generated once per process) and helpers with bounded waits.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "echo_session.hpp"
#include "net/runtime.hpp"
#include "test_client.hpp"
#include "tls/certs.hpp"
#include "tls/context.hpp"

namespace mailtls::net::test {

inline constexpr const char* tls_host = "mx.net.test";

struct pki {
  tls::credentials ca;
  tls::credentials leaf;
};

inline const pki& test_pki() {
  static const pki p = [] {
    auto ca = tls::generate_private_ca();
    auto leaf = tls::issue_leaf(*ca, tls::leaf_for_host(tls_host));
    return pki{*ca, *leaf};
  }();
  return p;
}

inline tls::context server_context() {
  tls::server_config c;
  c.certificate_chain_pem = test_pki().leaf.certificate_pem;
  c.private_key_pem = test_pki().leaf.private_key_pem;
  return *tls::context::make_server(c);
}

inline tls::context client_context() {
  tls::client_config c;
  c.ca_pem = test_pki().ca.certificate_pem;
  c.server_name = tls_host;
  return *tls::context::make_client(c);
}

// Polls `pred` until it holds or `wait` passes (for server-side state that has no observable
// socket event, e.g. a connection slot being released). Bounded.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds wait = default_wait) {
  const auto deadline = clock::now() + wait;
  while (!pred()) {
    if (clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

class net_fixture : public ::testing::Test {
 protected:
  net_fixture()
      : log_(log_level::debug,
             [this](std::string_view line) {
               std::lock_guard lock(log_mutex_);
               log_lines_.emplace_back(line);
             }),
        rt_(log_, runtime_options{2}) {}

  ~net_fixture() override {
    rt_.shutdown(std::chrono::milliseconds(1000));
    rt_.stop();
  }

  listener_config echo_config(std::string name, transport mode = transport::plain,
                              std::uint32_t idle_ms = 10'000) {
    listener_config c;
    c.name = std::move(name);
    c.mode = mode;
    c.tls = server_context();
    auto probe = probe_;
    c.factory.make = [probe, idle_ms] { return std::make_unique<echo_session>(probe, idle_ms); };
    c.factory.refuse = [](session::actions& out) {
      out.emplace_back(session::send{"421 too many connections\r\n"});
    };
    return c;
  }

  std::uint16_t listen(listener_config c) {
    auto r = rt_.add_listener(std::move(c));
    EXPECT_TRUE(r) << r.error;
    last_index_ = r.index;
    return r.port;
  }

  std::uint16_t start_echo(transport mode = transport::plain, std::uint32_t idle_ms = 10'000) {
    const auto port = listen(echo_config("echo", mode, idle_ms));
    rt_.start();
    return port;
  }

  bool logged(std::string_view needle) {
    std::lock_guard lock(log_mutex_);
    return std::any_of(log_lines_.begin(), log_lines_.end(),
                       [&](const std::string& l) { return l.find(needle) != std::string::npos; });
  }

  listener_stats stats() { return rt_.stats(last_index_); }

  std::mutex log_mutex_;
  std::vector<std::string> log_lines_;
  logger log_;
  runtime rt_;
  std::shared_ptr<echo_probe> probe_ = std::make_shared<echo_probe>();
  std::size_t last_index_ = 0;
};

}  // namespace mailtls::net::test
