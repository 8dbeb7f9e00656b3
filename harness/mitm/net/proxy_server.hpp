// The MITM proxy on real sockets: accepts clients on a loopback port, connects each one to the
// upstream server and runs a proxy_session (harness/mitm/proxy_session.hpp) between them, on one
// io_context on the calling thread. Asio stays in proxy_server.cpp.
//
//   mitm::server_options o;                 // listen 127.0.0.1:0, upstream, attack...
//   auto server = mitm::proxy_server::open(o, error);
//   std::cout << server->port();            // the bound port
//   server->run([](const mitm::connection_report& r) { ... });   // until --count or stop()
//
// Bounded: at most max_connections proxied at once (more are accepted and closed at once); every
// read is at most max_read_chunk bytes; a side whose peer has more than max_pending_write bytes
// waiting to be written is not read until they are; the session's read_both timeouts close idle
// connections; the upstream connect is bounded by connect_timeout_ms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mitm/findings.hpp"
#include "mitm/proxy_session.hpp"

namespace mailtls::mitm {

struct server_options {
  std::string listen_host = "127.0.0.1";    // an IP literal; loopback unless told otherwise
  std::uint16_t listen_port = 0;            // 0: the kernel picks (see port())
  std::string upstream_host = "127.0.0.1";  // an IP literal or a name
  std::uint16_t upstream_port = 0;
  proxy_config session;              // protocol, attack, implicit TLS, timeouts, limits
  std::size_t max_connections = 64;  // proxied at once
  std::size_t count = 0;             // stop after this many connections ended (0: unbounded)
  std::uint32_t connect_timeout_ms = 5'000;
  std::size_t max_read_chunk = 16 * 1024;
  std::size_t max_pending_write = 1024 * 1024;
  bool stop_on_signals = false;  // SIGINT / SIGTERM end run() (the connections are closed)
};

// One client connection, once it is over.
struct connection_report {
  std::size_t index = 0;         // 1, 2, ... in accept order
  std::string client;            // "127.0.0.1:51234"
  std::uint64_t started_ms = 0;  // since run() began
  std::uint64_t duration_ms = 0;
  std::vector<finding> findings;
  std::size_t dropped_findings = 0;
  verdict_result verdict;
  std::string error;  // the upstream connect failed, or a socket error (the verdict is error)
};

class proxy_server {
 public:
  // Binds (so the port is known before run()); null with `error` set on failure.
  static std::unique_ptr<proxy_server> open(const server_options& options, std::string& error);
  ~proxy_server();
  proxy_server(const proxy_server&) = delete;
  proxy_server& operator=(const proxy_server&) = delete;

  std::uint16_t port() const;

  // Accepts and proxies until `count` connections have ended, stop(), or a signal (with
  // stop_on_signals); calls on_done for each connection as it ends, on this thread. Returns how
  // many connections were proxied.
  std::size_t run(const std::function<void(const connection_report&)>& on_done);
  // Thread-safe: ends run() soon; open connections are closed and reported.
  void stop();

  struct impl;

 private:
  explicit proxy_server(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace mailtls::mitm
