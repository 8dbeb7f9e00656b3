// bench_client: a blocking, deadline-bounded SMTP client connection for the server benchmarks
// (submit_load, idle_connections). Plain POSIX sockets; TLS through the harness's sans-I/O
// tls::engine, so the benchmarks exercise the same OpenSSL configuration as the harness.
//
// Every call takes an absolute deadline and fails (returns false, error() says why) when it
// passes, so no benchmark can hang. Loopback use only.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tls/context.hpp"
#include "tls/engine.hpp"

namespace mailtls::bench {

using clock = std::chrono::steady_clock;

class client_conn {
 public:
  client_conn() = default;
  client_conn(client_conn&& other) noexcept;
  client_conn& operator=(client_conn&& other) noexcept;
  client_conn(const client_conn&) = delete;
  client_conn& operator=(const client_conn&) = delete;
  ~client_conn();

  // TCP connect to an IPv4 literal (TCP_NODELAY set).
  bool connect(const std::string& host, std::uint16_t port, clock::time_point deadline);
  // Runs a client TLS handshake on the connection (implicit TLS, or after "220" to STARTTLS).
  bool start_tls(const tls::context& ctx, clock::time_point deadline);
  // Sends through TLS once it is up, in cleartext before.
  bool send(std::string_view bytes, clock::time_point deadline);
  // Reads one complete SMTP reply (RFC 5321 §4.2: "ddd-" continuation lines, then "ddd ").
  // Returns the reply code (e.g. 250) or 0 on failure.
  int read_reply(clock::time_point deadline, std::string* text = nullptr);
  // Sends a command and reads its reply; true when the code is `expect`.
  bool command(std::string_view line, int expect, clock::time_point deadline);
  void close();

  bool tls_up() const { return engine_.has_value() && engine_->handshake_done(); }
  const std::string& error() const { return error_; }
  int fd() const { return fd_; }

 private:
  bool fail(std::string why);
  bool write_all(std::string_view bytes, clock::time_point deadline);
  bool flush_tls(clock::time_point deadline);
  // Reads some bytes from the socket into `out`; false on EOF, error or deadline.
  bool read_some(std::string& out, clock::time_point deadline);
  bool wait(short events, clock::time_point deadline);

  int fd_ = -1;
  std::optional<tls::engine> engine_;
  std::string inbuf_;  // received plaintext not yet consumed as reply lines
  std::string error_;
};

// RFC 4648 §4 base64 (for AUTH PLAIN, RFC 4616).
std::string base64(std::string_view in);

// The VmRSS of a process in KiB (from /proc/PID/status), or -1.
long vm_rss_kib(long pid);

// Raises this process's RLIMIT_NOFILE soft limit to at least `want` (up to the hard limit, or
// beyond it when privileged). Returns the resulting soft limit.
std::uint64_t raise_nofile(std::uint64_t want);

}  // namespace mailtls::bench
