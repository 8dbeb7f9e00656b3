// The fake server on a socket: binds a loopback port (the kernel's choice unless told), accepts
// ONE client connection and carries out a fake::session's actions on it (fake/action.hpp) with
// the TLS engine in server mode, on the calling thread. Asio stays in fake_server.cpp.
//
//   auto srv = fake_server::open({}, error);        // bound now: srv->port()
//   ... start the client, pointing it at 127.0.0.1:port ...
//   auto result = srv->serve_one(interp, tls_for, [&] { return client_exited(); });
//
// No read-ahead: the socket is read only while the session waits (read_bytes) or a handshake
// runs, so bytes a client pipelines after STARTTLS are either the session's (and reported) or
// still in the kernel, and then reach the TLS engine as what they are. Bounded: a wait for the
// connection (accept_timeout_ms), each handshake (the action's timeout or handshake_timeout_ms),
// each write (write_timeout_ms), the whole connection (hard_timeout_ms, then an error verdict),
// read_chunk bytes per read, the TLS engine's own buffers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "fake/session.hpp"
#include "tls/context.hpp"
#include "tls/errc.hpp"

namespace mailtls::fake::net {

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks one
  std::uint32_t accept_timeout_ms = 30'000;
  std::uint32_t handshake_timeout_ms = 10'000;
  std::uint32_t write_timeout_ms = 10'000;
  std::uint32_t hard_timeout_ms = 120'000;
  std::size_t read_chunk = 16 * 1024;
};

// The server context for a start_tls action (its certificate kind and versions).
using tls_provider = std::function<tls::result<tls::context>(const start_tls&)>;
// Polled while waiting for the connection: true gives up (the client command exited).
using give_up_fn = std::function<bool()>;

class fake_server {
 public:
  // Binds and listens; null with `error` set ("bind 127.0.0.1:25: Address in use") on failure.
  static std::unique_ptr<fake_server> open(const server_options& options, std::string& error);
  ~fake_server();
  fake_server(const fake_server&) = delete;
  fake_server& operator=(const fake_server&) = delete;

  std::uint16_t port() const;

  // Accepts one connection and runs `s` on it until it finishes; then closes the connection.
  // No client within accept_timeout_ms (or give_up() true first): an error verdict, `s` never
  // started. The listening socket stays open for another serve_one().
  runner::scenario_result serve_one(session& s, const tls_provider& tls,
                                    const give_up_fn& give_up = {});

  struct impl;  // opaque: Asio lives in fake_server.cpp

 private:
  explicit fake_server(std::unique_ptr<impl> m);
  std::unique_ptr<impl> impl_;
};

}  // namespace mailtls::fake::net
