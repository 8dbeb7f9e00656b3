// The proxy on loopback sockets in front of the bundled reference server (mailtls-server), with a
// small blocking client (POSIX sockets, every read bounded by poll()).
#include "mitm/net/proxy_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "cli/reference_server.hpp"
#include "line_client.hpp"

namespace mailtls::mitm {
namespace {
namespace fs = std::filesystem;
using test::line_client;

class ProxyServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string tmpl = (fs::temp_directory_path() / "mailtls-mitm-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    cli::reference_options o;
    o.server_binary = cli::find_server_binary("");
    o.state_dir = dir_ / "ref";
    std::string error;
    auto t = cli::start_reference_server(o, error);
    ASSERT_TRUE(t.has_value()) << error;
    smtp_port_ = t->ports.at("smtp");
  }
  static void TearDownTestSuite() {
    std::string error;
    if (!dir_.empty()) {
      cli::stop_reference_server(dir_ / "ref", error);
      fs::remove_all(dir_);
    }
  }

  // Runs the proxy for one connection on a thread; `client` talks to it.
  template <class Client>
  std::vector<connection_report> proxy_one(attack a, std::uint16_t upstream, Client&& client) {
    server_options o;
    o.upstream_port = upstream;
    o.session.proto = runner::protocol::smtp;
    o.session.atk = a;
    o.session.idle_timeout_ms = 5'000;
    o.count = 1;
    std::string error;
    auto server = proxy_server::open(o, error);
    EXPECT_NE(server, nullptr) << error;
    if (!server) return {};
    EXPECT_NE(server->port(), 0);
    std::vector<connection_report> reports;
    auto done = std::async(std::launch::async, [&] {
      server->run([&](const connection_report& r) { reports.push_back(r); });
    });
    client(server->port());
    if (done.wait_for(std::chrono::seconds(15)) != std::future_status::ready) {
      ADD_FAILURE() << "the proxy did not end after --count 1";
      server->stop();
    }
    done.wait();
    return reports;
  }

  static std::vector<std::string> findings_of(const connection_report& r) {
    std::vector<std::string> out;
    for (const finding& f : r.findings)
      out.push_back(std::string(to_name(f.kind)) + (f.detail.empty() ? "" : " " + f.detail));
    return out;
  }

  static inline fs::path dir_;
  static inline std::uint16_t smtp_port_ = 0;
};

TEST_F(ProxyServer, StripHidesStarttlsAndCatchesCleartextAuth) {
  std::string ehlo;
  const auto reports = proxy_one(attack::strip_starttls, smtp_port_, [&](std::uint16_t port) {
    line_client c(port);
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(c.read_reply("220 ").substr(0, 4), "220 ");
    c.send("EHLO client.test\r\n");
    ehlo = c.read_reply("250 ");
    c.send("AUTH PLAIN AGJvYgBzM2NyZXQ=\r\n");
    c.read_reply("");  // whatever the server says
    c.send("QUIT\r\n");
    EXPECT_EQ(c.read_reply("221 ").substr(0, 4), "221 ");
    c.close();
  });
  EXPECT_EQ(ehlo.substr(0, 4), "250-");
  EXPECT_EQ(ehlo.find("STARTTLS"), std::string::npos) << ehlo;
  ASSERT_EQ(reports.size(), 1u);
  const std::vector<std::string> f = findings_of(reports[0]);
  ASSERT_GE(f.size(), 2u);
  EXPECT_EQ(f[0], "attack-applied removed STARTTLS from the capabilities");
  EXPECT_EQ(f[1], "cleartext-credentials AUTH PLAIN <redacted>");
  EXPECT_EQ(reports[0].verdict.outcome, verdict::fail);
  EXPECT_EQ(reports[0].index, 1u);
  EXPECT_EQ(reports[0].client.rfind("127.0.0.1:", 0), 0u);
}

TEST_F(ProxyServer, NoneShowsStarttlsAndTheClientsClose) {
  std::string ehlo;
  const auto reports = proxy_one(attack::none, smtp_port_, [&](std::uint16_t port) {
    line_client c(port);
    ASSERT_TRUE(c.connected());
    c.read_reply("220 ");
    c.send("EHLO client.test\r\n");
    ehlo = c.read_reply("250 ");
    c.close();
  });
  EXPECT_NE(ehlo.find("STARTTLS"), std::string::npos) << ehlo;
  ASSERT_EQ(reports.size(), 1u);
  const std::vector<std::string> f = findings_of(reports[0]);
  EXPECT_EQ(f,
            (std::vector<std::string>{"starttls-offered", "client-closed after EHLO client.test"}));
  EXPECT_EQ(reports[0].verdict.outcome, verdict::pass);
}

TEST_F(ProxyServer, UnreachableUpstreamIsAnError) {
  // A port that was just free: bind one, note it, close it.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const std::uint16_t closed = ntohs(a.sin_port);
  ::close(fd);
  const auto reports = proxy_one(attack::none, closed, [&](std::uint16_t port) {
    line_client c(port);
    ASSERT_TRUE(c.connected());
    EXPECT_EQ(c.read_reply("never"), "");  // closed without a byte
  });
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].verdict.outcome, verdict::error);
  EXPECT_EQ(reports[0].error.rfind("cannot connect to the upstream 127.0.0.1:", 0), 0u)
      << reports[0].error;
}

TEST(ProxyServerOpen, BadListenAddressIsAClearError) {
  server_options o;
  o.listen_host = "localhost";
  std::string error;
  EXPECT_EQ(proxy_server::open(o, error), nullptr);
  EXPECT_EQ(error, "listen localhost:0: not an IP address");
}

}  // namespace
}  // namespace mailtls::mitm
