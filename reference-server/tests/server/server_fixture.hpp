// Helpers for the server tests: a temporary state directory, options with every service on an
// ephemeral loopback port, a TLS client context trusting the server's private CA.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "server/options.hpp"
#include "tls/context.hpp"

namespace mailtls::server::app::test {

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/mailtls-server-test-XXXXXX";
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

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline server_options ephemeral_options(const std::string& dir) {
  server_options o;
  o.state_dir = dir + "/state";
  for (auto& [svc, where] : o.listen)
    where.port = 0;
  o.ports_file = dir + "/ports.json";
  o.threads = 2;
  o.shutdown_timeout_ms = 3000;
  return o;
}

inline tls::context client_trusting(const std::string& ca_file,
                                    std::vector<std::string> alpn = {}) {
  tls::client_config c;
  c.ca_file = ca_file;
  c.server_name = "mail.mailtls.test";
  c.alpn = std::move(alpn);
  auto r = tls::context::make_client(c);
  EXPECT_TRUE(r) << r.detail;
  return std::move(*r);
}

}  // namespace mailtls::server::app::test
