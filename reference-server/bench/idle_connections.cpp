// idle_connections: server memory per idle connection (docs/server-performance.md).
//
// Reads the server's VmRSS (/proc/PID/status), opens N connections (--mode plain: TCP + the 220
// greeting; --mode tls: implicit TLS handshake completed + the 220 greeting read over TLS), waits
// --settle-ms, reads VmRSS again, holds the connections --hold seconds, closes them all and
// reads VmRSS once more. Prints (after - before) / N. Raises its own RLIMIT_NOFILE; the server
// needs its own limit raised (ulimit -n) and --max-connections / --max-connections-per-ip.
// Bounded: opening stops at --open-timeout seconds.
//
//   idle_connections --port 2525 --server-pid 1234 --count 10000 [--mode plain|tls]
#include <atomic>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_client.hpp"

namespace {

using namespace mailtls;
using bench::clock;

struct options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string mode = "plain";  // plain | tls
  unsigned count = 10000;
  long server_pid = 0;
  unsigned parallel = 4;
  unsigned settle_ms = 2000;
  unsigned hold_s = 2;
  unsigned open_timeout_s = 120;
};

template <class T>
bool number(const std::string& s, T& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

bool parse(int argc, char** argv, options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    if (i + 1 >= argc) return false;
    const std::string v = argv[++i];
    bool ok = true;
    if (k == "--host") {
      o.host = v;
    } else if (k == "--port") {
      ok = number(v, o.port);
    } else if (k == "--mode") {
      o.mode = v;
      ok = v == "plain" || v == "tls";
    } else if (k == "--count") {
      ok = number(v, o.count) && o.count >= 1 && o.count <= 100000;
    } else if (k == "--server-pid") {
      ok = number(v, o.server_pid) && o.server_pid > 0;
    } else if (k == "--parallel") {
      ok = number(v, o.parallel) && o.parallel >= 1 && o.parallel <= 64;
    } else if (k == "--settle-ms") {
      ok = number(v, o.settle_ms) && o.settle_ms <= 60000;
    } else if (k == "--hold") {
      ok = number(v, o.hold_s) && o.hold_s <= 600;
    } else if (k == "--open-timeout") {
      ok = number(v, o.open_timeout_s) && o.open_timeout_s >= 1 && o.open_timeout_s <= 600;
    } else {
      ok = false;
    }
    if (!ok) {
      std::cerr << "idle_connections: bad option " << k << " " << v << "\n";
      return false;
    }
  }
  return o.port != 0 && o.server_pid > 0;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  if (!parse(argc, argv, o)) {
    std::cerr << "usage: idle_connections --port P --server-pid PID [--host 127.0.0.1]\n"
                 "  [--mode plain|tls] [--count 10000] [--parallel 4] [--settle-ms 2000]\n"
                 "  [--hold 2] [--open-timeout 120]\n";
    return 2;
  }
  const auto limit = bench::raise_nofile(o.count + 256);
  if (limit < o.count + 64) {
    std::cerr << "idle_connections: RLIMIT_NOFILE is " << limit << ", need " << o.count + 64
              << "\n";
    return 2;
  }
  tls::client_config cc;
  cc.verify_peer = false;  // memory test: the certificate is not the point
  auto ctx = tls::context::make_client(cc);
  if (!ctx) {
    std::cerr << "idle_connections: TLS context: " << ctx.error.message() << "\n";
    return 2;
  }

  std::this_thread::sleep_for(std::chrono::milliseconds(o.settle_ms / 2));
  const long before = bench::vm_rss_kib(o.server_pid);
  if (before < 0) {
    std::cerr << "idle_connections: cannot read VmRSS of pid " << o.server_pid << "\n";
    return 2;
  }

  const auto t0 = clock::now();
  const auto deadline = t0 + std::chrono::seconds(o.open_timeout_s);
  std::vector<std::vector<bench::client_conn>> held(o.parallel);
  std::atomic<unsigned> next{0};
  std::atomic<unsigned> failed{0};
  std::mutex mutex;
  std::map<std::string, unsigned> errors;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < o.parallel; ++t) {
    threads.emplace_back([&, t] {
      auto& mine = held[t];
      while (next.fetch_add(1) < o.count && clock::now() < deadline) {
        bench::client_conn c;
        bool good = c.connect(o.host, o.port, deadline);
        if (good && o.mode == "tls") good = c.start_tls(*ctx, deadline);
        if (good) good = c.read_reply(deadline) == 220;
        if (good) {
          mine.push_back(std::move(c));
        } else {
          ++failed;
          std::lock_guard lock(mutex);
          ++errors[c.error().empty() ? "no 220 greeting" : c.error()];
          if (failed > 100) break;
        }
      }
    });
  }
  for (auto& t : threads)
    t.join();
  const double open_s = std::chrono::duration<double>(clock::now() - t0).count();
  std::size_t open = 0;
  for (const auto& v : held)
    open += v.size();

  std::this_thread::sleep_for(std::chrono::milliseconds(o.settle_ms));
  const long after = bench::vm_rss_kib(o.server_pid);
  std::this_thread::sleep_for(std::chrono::seconds(o.hold_s));
  held.clear();  // closes every connection
  std::this_thread::sleep_for(std::chrono::milliseconds(o.settle_ms));
  const long after_close = bench::vm_rss_kib(o.server_pid);

  const double per_conn_kib =
      open == 0 ? 0.0 : static_cast<double>(after - before) / static_cast<double>(open);
  std::printf(
      "idle_connections mode=%s open=%zu failed=%u open_seconds=%.2f rss_before_kib=%ld "
      "rss_after_kib=%ld rss_after_close_kib=%ld per_connection_kib=%.2f\n",
      o.mode.c_str(), open, failed.load(), open_s, before, after, after_close, per_conn_kib);
  for (const auto& [e, n] : errors)
    std::printf("  error x%u: %s\n", n, e.c_str());
  return failed == 0 && open == o.count ? 0 : 1;
}
