// Test driver for the SMTP server session: a memory_backend with two users, a session, and
// helpers that feed events and return the printed actions (action.hpp to_string), so tests
// compare transcripts step by step.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "session/memory_backend.hpp"
#include "session/smtp/session.hpp"

namespace mailtls::server::smtp::test {

inline constexpr const char* host = "mx.example.org";

inline config make_config(listener kind) {
  return config::for_listener(kind, host);
}

inline config with_bug(config c, bug b) {
  c.bugs.add(b);
  return c;
}

struct harness {
  memory_backend backend;
  std::unique_ptr<session> s;

  explicit harness(config c) {
    backend.add_domain("example.org");
    backend.add_user("alice@example.org", "s3cret");
    backend.add_user("bob@example.org", "hunter2");
    s = std::make_unique<session>(backend, std::move(c));
  }
  explicit harness(listener kind) : harness(make_config(kind)) {}

  std::string connect(bool implicit_tls = false) {
    mailtls::session::actions out;
    s->on_connect({"192.0.2.7", 40000, implicit_tls}, out);
    return mailtls::session::to_string(out);
  }
  // The greeting's transcript is checked in its own tests; most tests skip it.
  harness& connected() {
    connect(s->get_config().kind == listener::submissions);
    return *this;
  }
  std::string feed(std::string_view bytes) {
    mailtls::session::actions out;
    // An exact-size copy: ASan reports reads past the bytes given.
    auto copy = std::make_unique<char[]>(bytes.size() + 1);
    std::memcpy(copy.get(), bytes.data(), bytes.size());
    s->on_bytes(std::string_view(copy.get(), bytes.size()), out);
    return mailtls::session::to_string(out);
  }
  std::string tls_up(std::string version = "TLSv1.3",
                     std::string cipher = "TLS_AES_128_GCM_SHA256") {
    mailtls::session::actions out;
    s->on_tls_established({std::move(version), std::move(cipher)}, out);
    return mailtls::session::to_string(out);
  }
  std::string tls_failed(std::string_view reason) {
    mailtls::session::actions out;
    s->on_tls_failed(reason, out);
    return mailtls::session::to_string(out);
  }
  std::string timeout() {
    mailtls::session::actions out;
    s->on_timeout(out);
    return mailtls::session::to_string(out);
  }
  std::string shutdown() {
    mailtls::session::actions out;
    s->on_shutdown(out);
    return mailtls::session::to_string(out);
  }
  // EHLO then STARTTLS then the handshake (587 and 25).
  harness& secured() {
    feed("EHLO client.example\r\nSTARTTLS\r\n");
    tls_up();
    return *this;
  }
  // secured (587) or connected (465), then EHLO and AUTH PLAIN as alice.
  harness& logged_in() {
    if (!s->tls_active()) secured();
    feed("EHLO client.example\r\n");
    feed("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n");
    EXPECT_TRUE(s->authenticated());
    return *this;
  }
};

// Feeds `input` cut at `cuts` and returns the transcript without `read` actions (each on_bytes
// call ends with one, so their number depends on the cuts).
inline std::string feed_cut(harness& h, std::string_view input,
                            const std::vector<std::size_t>& cuts) {
  std::string all;
  std::size_t from = 0;
  for (std::size_t i = 0; i <= cuts.size(); ++i) {
    const std::size_t to = i < cuts.size() ? cuts[i] : input.size();
    const std::string t = h.feed(input.substr(from, to - from));
    from = to;
    std::size_t pos = 0;
    while (pos < t.size()) {
      std::size_t nl = t.find('\n', pos);
      if (nl == std::string::npos) nl = t.size();
      const std::string_view line(t.data() + pos, nl - pos);
      if (line.substr(0, 5) != "read ") {
        all.append(line);
        all.push_back('\n');
      }
      pos = nl + 1;
    }
  }
  return all;
}

// Feeds `input` whole, cut in two at every offset and one byte at a time, each to a fresh
// harness from `make`; all must give the same transcript (returned).
inline std::string expect_split_invariant(const std::function<std::unique_ptr<harness>()>& make,
                                          std::string_view input) {
  auto whole_h = make();
  const std::string whole = feed_cut(*whole_h, input, {});
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    auto h = make();
    EXPECT_EQ(feed_cut(*h, input, {cut}), whole) << "split at byte " << cut;
  }
  std::vector<std::size_t> every;
  for (std::size_t cut = 1; cut < input.size(); ++cut)
    every.push_back(cut);
  auto h = make();
  EXPECT_EQ(feed_cut(*h, input, every), whole) << "fed one byte at a time";
  return whole;
}

}  // namespace mailtls::server::smtp::test
