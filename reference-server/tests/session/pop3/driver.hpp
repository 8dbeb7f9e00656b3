// Test driver for the POP3 server session: a memory_backend with one account and two messages,
// the session, and one method per event that returns the transcript of the actions it produced
// (session::to_string: one line per action).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "session/memory_backend.hpp"
#include "session/pop3/session.hpp"

namespace mailtls::server::pop3::test {

namespace act = mailtls::session;

// 62 octets; a body line starting with "." to check the byte-stuffing.
inline constexpr std::string_view message_1 =
    "From: bob@example.org\r\nSubject: one\r\n\r\nHello\r\n.dot line\r\nbye\r\n";
// 37 octets.
inline constexpr std::string_view message_2 = "Subject: two\r\n\r\nline1\r\nline2\r\nline3\r\n";

inline config listener(listener_kind k) {
  config c;
  c.listener = k;
  c.host_name = "pop.example.org";
  return c;
}

class driver {
 public:
  explicit driver(config cfg = listener(listener_kind::pop3)) {
    backend.add_domain("example.org");
    backend.add_user("alice@example.org", "secret");
    backend.add_user("bob@example.org", "hunter2");
    backend.add_message("alice@example.org", std::string(message_1));
    backend.add_message("alice@example.org", std::string(message_2));
    session = std::make_unique<pop3_session>(backend, std::move(cfg));
  }
  // The session refers to `backend`: a driver stays where it was built.
  driver(const driver&) = delete;
  driver& operator=(const driver&) = delete;

  std::string connect(bool implicit_tls = false) {
    return run([&](act::actions& out) {
      session->on_connect(
          {.peer_address = "192.0.2.7", .peer_port = 40110, .implicit_tls = implicit_tls}, out);
    });
  }
  std::string bytes(std::string_view b) {
    return run([&](act::actions& out) { session->on_bytes(b, out); });
  }
  std::string tls_up() {
    return run([&](act::actions& out) {
      session->on_tls_established({.version = "TLSv1.3", .cipher = "TLS_AES_256_GCM_SHA384"}, out);
    });
  }
  std::string tls_failed(std::string_view why) {
    return run([&](act::actions& out) { session->on_tls_failed(why, out); });
  }
  std::string timeout() {
    return run([&](act::actions& out) { session->on_timeout(out); });
  }
  std::string shutdown() {
    return run([&](act::actions& out) { session->on_shutdown(out); });
  }

  // Connects (995: implicit TLS; 110: connect, STLS, handshake) and logs in as alice.
  void login() {
    if (session->settings().listener == listener_kind::pop3s) {
      connect(true);
    } else {
      connect();
      bytes("STLS\r\n");
      tls_up();
    }
    bytes("USER alice@example.org\r\nPASS secret\r\n");
    ASSERT_TRUE(session->authenticated());
  }

  // Every action emitted so far, for checks across the whole session (no secret in any log).
  const act::actions& history() const { return history_; }

  memory_backend backend;
  std::unique_ptr<pop3_session> session;

 private:
  template <class F>
  std::string run(F&& f) {
    act::actions out;
    f(out);
    history_.insert(history_.end(), out.begin(), out.end());
    return act::to_string(out);
  }

  act::actions history_;
};

// The transcript with every `read` dropped except a final one: feeding a command in pieces adds
// a read after each piece, and nothing else may change.
inline std::string without_inner_reads(const act::actions& list) {
  act::actions kept;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (std::holds_alternative<act::read>(list[i]) && i + 1 != list.size()) continue;
    kept.push_back(list[i]);
  }
  return act::to_string(kept);
}

// Feeds `input` to a fresh session (connected, implicit TLS on 995) cut at `cuts`.
inline std::string feed_cut(const config& cfg, std::string_view input,
                            const std::vector<std::size_t>& cuts) {
  driver d(cfg);
  act::actions out;
  d.session->on_connect({.peer_address = "192.0.2.7",
                         .peer_port = 40110,
                         .implicit_tls = cfg.listener == listener_kind::pop3s},
                        out);
  std::size_t from = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t to = i < cuts.size() ? cuts[i] : input.size();
    // An exact-size copy, so ASan catches a read past the chunk.
    auto chunk = std::make_unique<char[]>(to - from);
    std::copy(input.begin() + static_cast<std::ptrdiff_t>(from),
              input.begin() + static_cast<std::ptrdiff_t>(to), chunk.get());
    d.session->on_bytes(std::string_view(chunk.get(), to - from), out);
    from = to;
  }
  return without_inner_reads(out);
}

// Whole input, every two-way split and byte-by-byte feeding give the same transcript; returns it.
inline std::string expect_split_invariant(const config& cfg, std::string_view input) {
  const std::string whole = feed_cut(cfg, input, {});
  for (std::size_t cut = 1; cut < input.size(); ++cut)
    EXPECT_EQ(feed_cut(cfg, input, {cut}), whole) << "split at byte " << cut;
  std::vector<std::size_t> every;
  for (std::size_t cut = 1; cut < input.size(); ++cut)
    every.push_back(cut);
  EXPECT_EQ(feed_cut(cfg, input, every), whole) << "fed one byte at a time";
  return whole;
}

}  // namespace mailtls::server::pop3::test
