// Runs scripted client sessions (harness/runner/client_session.hpp) over real TCP connections,
// with OpenSSL for start_tls (harness/tls engine through memory BIOs), many at once on one
// io_context. Asio stays in the .cpp files.
//
//   client::run_options o{.jobs = 32};
//   std::vector<client::job> jobs = ...;           // host, port, tls defaults, session factory
//   client::run_all(jobs, o, [&](std::size_t i, runner::scenario_result r) { ... });
//
// Bounded: at most `jobs` connections at once; every read carries the session's timeout; a
// connect attempt is bounded by connect_timeout_ms; at most max_read_chunk bytes are read per
// read call; TLS buffers are bounded by tls::engine_limits. A session that misbehaves (never
// finishes) is cut off by hard_timeout_ms with an error verdict.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runner/client_session.hpp"
#include "runner/result.hpp"

namespace mailtls::client {

// The run's TLS defaults; start_tls actions override them per handshake.
struct tls_defaults {
  std::string ca_file;      // PEM trust anchors; empty: the system's CA store
  std::string server_name;  // SNI + name to verify; empty: the job's host
  bool verify = true;       // false: --insecure (the result still says whether it verified)
};

struct job {
  std::string host;  // name or IP literal (IPv6 without brackets)
  std::uint16_t port = 0;
  tls_defaults tls;
  // Creates the session when the job starts (so 10,000 queued jobs hold no sessions).
  std::function<std::unique_ptr<runner::client_session>()> make_session;
};

struct run_options {
  std::size_t jobs = 32;  // connections at once (>= 1)
  std::uint32_t connect_timeout_ms = 5'000;
  std::uint32_t hard_timeout_ms = 120'000;  // per job, whatever the session asks
  std::size_t max_read_chunk = 16 * 1024;
};

// Called once per job, in completion order (not job order), on the calling thread.
using on_result = std::function<void(std::size_t index, runner::scenario_result result)>;

// Runs every job; returns when all have finished. A failed resolve or connect gives an error
// verdict ("cannot connect to 127.0.0.1:2525: Connection refused") without creating the session.
void run_all(const std::vector<job>& jobs, const run_options& options, const on_result& done);

}  // namespace mailtls::client
