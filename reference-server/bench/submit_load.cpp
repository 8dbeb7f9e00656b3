// submit_load: SMTP submission sessions per second (docs/server-performance.md).
//
// W worker threads run M sessions in total (each a fresh TCP connection and a full TLS handshake,
// no resumption):
//   220, EHLO, STARTTLS (RFC 3207), TLS handshake, EHLO, AUTH PLAIN (RFC 4616), MAIL, RCPT, DATA,
//   one message of --size octets, QUIT.
// --mode implicit does the same over implicit TLS (RFC 8314, port 465) without STARTTLS.
// Bounded: no session is started after --time-limit seconds, and each session has its own
// deadline (--session-timeout). Exit code 0 when every session succeeded.
//
//   submit_load --port 5587 --user alice@mailtls.test --password-file pw [--workers 8]
//               [--sessions 2000] [--size 5000] [--ca STATE/tls/ca.pem]
#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <fstream>
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
  std::string mode = "starttls";  // starttls | implicit
  unsigned workers = 8;
  unsigned sessions = 2000;
  unsigned time_limit_s = 60;
  unsigned session_timeout_s = 10;
  std::size_t size = 5000;
  std::string user;
  std::string password;
  std::string from = "sender@example.net";
  std::string to;
  std::string ehlo = "bench.mailtls.test";
  std::string ca_file;  // empty: no certificate verification
  std::string server_name = "mail.mailtls.test";
};

void usage() {
  std::cerr << "usage: submit_load --port P --user U --password-file F [--host 127.0.0.1]\n"
               "  [--mode starttls|implicit] [--workers 8] [--sessions 2000] [--time-limit 60]\n"
               "  [--session-timeout 10] [--size 5000] [--from ADDR] [--to ADDR (default U)]\n"
               "  [--ehlo NAME] [--ca FILE [--server-name mail.mailtls.test]]\n";
}

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
      ok = v == "starttls" || v == "implicit";
    } else if (k == "--workers") {
      ok = number(v, o.workers) && o.workers >= 1 && o.workers <= 1000;
    } else if (k == "--sessions") {
      ok = number(v, o.sessions) && o.sessions >= 1;
    } else if (k == "--time-limit") {
      ok = number(v, o.time_limit_s) && o.time_limit_s >= 1 && o.time_limit_s <= 3600;
    } else if (k == "--session-timeout") {
      ok = number(v, o.session_timeout_s) && o.session_timeout_s >= 1 && o.session_timeout_s <= 300;
    } else if (k == "--size") {
      ok = number(v, o.size) && o.size <= 50'000'000;
    } else if (k == "--user") {
      o.user = v;
    } else if (k == "--password-file") {
      std::ifstream in(v);
      ok = static_cast<bool>(std::getline(in, o.password));
    } else if (k == "--from") {
      o.from = v;
    } else if (k == "--to") {
      o.to = v;
    } else if (k == "--ehlo") {
      o.ehlo = v;
    } else if (k == "--ca") {
      o.ca_file = v;
    } else if (k == "--server-name") {
      o.server_name = v;
    } else {
      ok = false;
    }
    if (!ok) {
      std::cerr << "submit_load: bad option " << k << " " << v << "\n";
      return false;
    }
  }
  if (o.to.empty()) o.to = o.user;
  return o.port != 0 && !o.user.empty();
}

// A message of about `size` octets: headers, then 76-character lines (none starts with '.').
std::string make_message(const options& o) {
  std::string m = "From: <" + o.from + ">\r\nTo: <" + o.to +
                  ">\r\nSubject: submit_load\r\nMessage-ID: <bench@bench.mailtls.test>\r\n\r\n";
  const std::string line = std::string(76, 'x') + "\r\n";
  while (m.size() + line.size() <= o.size)
    m += line;
  if (m.size() < o.size) m += std::string(o.size - m.size(), 'y') + "\r\n";
  m += ".\r\n";
  return m;
}

struct shared_state {
  std::atomic<unsigned> next{0};
  std::atomic<unsigned> ok{0};
  std::atomic<unsigned> failed{0};
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::map<std::string, unsigned> errors;
};

bool one_session(const options& o, const tls::context& ctx, const std::string& auth_line,
                 const std::string& message, clock::time_point deadline, std::string& error) {
  bench::client_conn c;
  auto check = [&](bool step) {
    if (!step) error = c.error();
    return step;
  };
  const std::string ehlo = "EHLO " + o.ehlo + "\r\n";
  if (!check(c.connect(o.host, o.port, deadline))) return false;
  if (o.mode == "implicit" && !check(c.start_tls(ctx, deadline))) return false;
  if (const int code = c.read_reply(deadline); code != 220) {
    error = code == 0 ? c.error() : "greeting: " + std::to_string(code);
    return false;
  }
  if (!check(c.command(ehlo, 250, deadline))) return false;
  if (o.mode == "starttls") {
    if (!check(c.command("STARTTLS\r\n", 220, deadline))) return false;
    if (!check(c.start_tls(ctx, deadline))) return false;
    if (!check(c.command(ehlo, 250, deadline))) return false;  // RFC 3207 §4.2
  }
  return check(c.command(auth_line, 235, deadline)) &&
         check(c.command("MAIL FROM:<" + o.from + ">\r\n", 250, deadline)) &&
         check(c.command("RCPT TO:<" + o.to + ">\r\n", 250, deadline)) &&
         check(c.command("DATA\r\n", 354, deadline)) && check(c.command(message, 250, deadline)) &&
         check(c.command("QUIT\r\n", 221, deadline));
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  if (!parse(argc, argv, o)) {
    usage();
    return 2;
  }
  tls::client_config cc;
  cc.server_name = o.server_name;
  cc.ca_file = o.ca_file;
  cc.verify_peer = !o.ca_file.empty();
  auto ctx = tls::context::make_client(cc);
  if (!ctx) {
    std::cerr << "submit_load: TLS context: " << ctx.error.message() << " " << ctx.detail << "\n";
    return 2;
  }
  // RFC 4616 §2: [authzid] NUL authcid NUL passwd.
  const std::string auth_line =
      "AUTH PLAIN " + bench::base64(std::string(1, '\0') + o.user + '\0' + o.password) + "\r\n";
  const std::string message = make_message(o);

  shared_state st;
  st.latencies_ms.reserve(o.sessions);
  const auto start = clock::now();
  const auto stop_starting = start + std::chrono::seconds(o.time_limit_s);
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < o.workers; ++w) {
    threads.emplace_back([&] {
      std::vector<double> mine;
      while (st.next.fetch_add(1) < o.sessions && clock::now() < stop_starting) {
        const auto t0 = clock::now();
        std::string error;
        const bool good = one_session(o, *ctx, auth_line, message,
                                      t0 + std::chrono::seconds(o.session_timeout_s), error);
        const auto t1 = clock::now();
        if (good) {
          ++st.ok;
          mine.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        } else {
          ++st.failed;
          std::lock_guard lock(st.mutex);
          ++st.errors[error];
        }
      }
      std::lock_guard lock(st.mutex);
      st.latencies_ms.insert(st.latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads)
    t.join();
  const double seconds = std::chrono::duration<double>(clock::now() - start).count();

  auto& lat = st.latencies_ms;
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) {
    if (lat.empty()) return 0.0;
    return lat[std::min(lat.size() - 1,
                        static_cast<std::size_t>(p * static_cast<double>(lat.size())))];
  };
  std::printf(
      "submit_load mode=%s workers=%u sessions_ok=%u sessions_failed=%u seconds=%.3f "
      "sessions_per_s=%.1f latency_ms_p50=%.2f p90=%.2f p99=%.2f max=%.2f\n",
      o.mode.c_str(), o.workers, st.ok.load(), st.failed.load(), seconds,
      static_cast<double>(st.ok.load()) / seconds, pct(0.50), pct(0.90), pct(0.99),
      lat.empty() ? 0.0 : lat.back());
  for (const auto& [e, n] : st.errors)
    std::printf("  error x%u: %s\n", n, e.c_str());
  return st.failed == 0 && st.ok > 0 ? 0 : 1;
}
