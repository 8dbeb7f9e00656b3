// Test helper: drives a proxy_session through a script of events and collects what it did as
// one comparable log, so a test can feed each input whole, cut at every byte, or one byte at a
// time (harness/tests/support/split_feed.hpp does the same for parsers) and require the same log.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "mitm/proxy_session.hpp"
#include "runner/text.hpp"

namespace mailtls::mitm::test {

enum class ev : std::uint8_t { client, server, client_closed, server_closed, timeout };

struct event {
  ev what;
  std::string bytes;
};

inline event c(std::string b) {
  return {ev::client, std::move(b)};
}
inline event s(std::string b) {
  return {ev::server, std::move(b)};
}
inline event client_eof() {
  return {ev::client_closed, {}};
}
inline event server_eof() {
  return {ev::server_closed, {}};
}
inline event idle() {
  return {ev::timeout, {}};
}

// The log: "C: <bytes>" for what went to the client, "S: <bytes>" for what went to the server
// (consecutive writes to one side joined, escaped), and the other actions except reads.
struct run_result {
  std::vector<std::string> log;
  std::vector<std::string> writes_to_client;  // each to_client action as issued (not joined)
  std::vector<std::string> findings;          // to_string(finding) without the time
  verdict_result verdict;
  proxy_phase phase = proxy_phase::cleartext;
  std::size_t max_buffered = 0;
  bool read_after_each_event = true;  // every answer of an unfinished session ends with a read
};

inline proxy_config config(runner::protocol p, attack a, bool implicit = false) {
  proxy_config cfg;
  cfg.proto = p;
  cfg.atk = a;
  cfg.implicit_tls = implicit;
  cfg.idle_timeout_ms = 1000;
  cfg.fallback_timeout_ms = 500;
  return cfg;
}

inline std::string escape_for_log(const std::string& bytes) {
  return runner::escape(bytes);
}

namespace detail {

inline void record(run_result& out, const actions& list, bool finished) {
  for (const action& a : list) {
    if (const auto* w = std::get_if<to_client>(&a)) {
      out.writes_to_client.push_back(w->bytes);
      if (!out.log.empty() && out.log.back().rfind("C: ", 0) == 0) {
        out.log.back() += runner::escape(w->bytes);
      } else {
        out.log.push_back("C: " + runner::escape(w->bytes));
      }
    } else if (const auto* x = std::get_if<to_server>(&a)) {
      if (!out.log.empty() && out.log.back().rfind("S: ", 0) == 0) {
        out.log.back() += runner::escape(x->bytes);
      } else {
        out.log.push_back("S: " + runner::escape(x->bytes));
      }
    } else if (!std::holds_alternative<read_both>(a)) {
      out.log.push_back(to_string(a));
    }
  }
  const bool ends_in_read = !list.empty() && std::holds_alternative<read_both>(list.back());
  if (!finished && !ends_in_read) out.read_after_each_event = false;
  if (finished && ends_in_read) out.read_after_each_event = false;
}

}  // namespace detail

// Feeds the script; event i's bytes are cut at the offsets cuts[i] (ascending, inside the bytes;
// empty: whole). Every chunk is an exact-size heap copy (ASan sees reads past it).
inline run_result run(const proxy_config& cfg, const std::vector<event>& script,
                      const std::vector<std::vector<std::size_t>>& cuts = {}) {
  run_result out;
  proxy_session session(cfg);
  std::uint64_t now = 1000;
  actions list;
  session.start(now, list);
  detail::record(out, list, session.finished());
  for (std::size_t i = 0; i < script.size(); ++i) {
    const event& e = script[i];
    now += 10;
    const bool bytes_event = e.what == ev::client || e.what == ev::server;
    std::vector<std::size_t> at = i < cuts.size() ? cuts[i] : std::vector<std::size_t>{};
    at.push_back(e.bytes.size());
    std::size_t from = 0;
    for (const std::size_t to : at) {
      if (bytes_event && to <= from) continue;
      list.clear();
      auto exact = std::make_unique<char[]>(to - from + 1);
      std::memcpy(exact.get(), e.bytes.data() + from, to - from);
      const std::string_view chunk(exact.get(), to - from);
      switch (e.what) {
        case ev::client:
          session.on_client_bytes(chunk, now, list);
          break;
        case ev::server:
          session.on_server_bytes(chunk, now, list);
          break;
        case ev::client_closed:
          session.on_client_closed(now, list);
          break;
        case ev::server_closed:
          session.on_server_closed(now, list);
          break;
        case ev::timeout:
          session.on_timeout(now, list);
          break;
      }
      from = to;
      if (!list.empty() || !session.finished()) detail::record(out, list, session.finished());
      if (session.buffered() > out.max_buffered) out.max_buffered = session.buffered();
    }
  }
  for (const finding& f : session.result().list()) {
    std::string line(to_name(f.kind));
    if (!f.detail.empty()) line += " " + f.detail;
    out.findings.push_back(line);
  }
  out.verdict = session.verdict();
  out.phase = session.phase();
  return out;
}

// Runs the script whole, then with each event's bytes cut at every offset, then every event fed
// one byte at a time; expects the same log, findings and verdict each time; returns the whole run.
inline run_result run_split_invariant(const proxy_config& cfg, const std::vector<event>& script) {
  const run_result whole = run(cfg, script);
  EXPECT_TRUE(whole.read_after_each_event);
  for (std::size_t i = 0; i < script.size(); ++i) {
    for (std::size_t cut = 1; cut < script[i].bytes.size(); ++cut) {
      std::vector<std::vector<std::size_t>> cuts(script.size());
      cuts[i] = {cut};
      const run_result r = run(cfg, script, cuts);
      EXPECT_EQ(r.log, whole.log) << "event " << i << " cut at " << cut;
      EXPECT_EQ(r.findings, whole.findings) << "event " << i << " cut at " << cut;
      EXPECT_EQ(r.verdict, whole.verdict) << "event " << i << " cut at " << cut;
      if (r.log != whole.log) return whole;  // one report is enough
    }
  }
  std::vector<std::vector<std::size_t>> bytewise(script.size());
  for (std::size_t i = 0; i < script.size(); ++i) {
    for (std::size_t cut = 1; cut < script[i].bytes.size(); ++cut)
      bytewise[i].push_back(cut);
  }
  const run_result r = run(cfg, script, bytewise);
  EXPECT_EQ(r.log, whole.log) << "one byte at a time";
  EXPECT_EQ(r.findings, whole.findings) << "one byte at a time";
  EXPECT_EQ(r.verdict, whole.verdict) << "one byte at a time";
  return whole;
}

}  // namespace mailtls::mitm::test
