// Drives a scenario interpreter step by step with a fake in-memory transport: each event returns
// the actions it produced, printed (runner::to_string), so tests compare them exactly.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "runner/interpreter.hpp"
#include "runner/variables.hpp"
#include "scenario/parser.hpp"

namespace mailtls::runner::test {

inline scenario::scenario parse_ok(std::string_view text, std::string_view file = "t.scn") {
  scenario::parse_options o;
  o.loader = [](std::string_view path) -> std::optional<std::string> {
    if (path == "ehlo.scn") return std::string("C: EHLO mailtls.test\nS: 250 *\n");
    return std::nullopt;
  };
  auto r = scenario::parse(text, file, o);
  EXPECT_TRUE(r.ok()) << r.error->to_string();
  return std::move(r.value);
}

inline run_config config_for(service target) {
  run_config c;
  c.target = target;
  c.variables = standard_variables("127.0.0.1", 2525, "mx.test", "alice", "s3cret");
  c.secret_variables = secret_variable_names();
  c.credential_variables = credential_variable_names();
  return c;
}

inline tls_facts established_tls() {
  tls_facts f;
  f.established = true;
  f.version = "TLSv1.3";
  f.cipher = "TLS_AES_256_GCM_SHA384";
  f.verified = true;
  f.verify_error = "ok";
  return f;
}

inline tls_facts failed_tls(std::string why) {
  tls_facts f;
  f.failure = std::move(why);
  return f;
}

class session {
 public:
  session(std::string_view text, run_config c) : s_(parse_ok(text)) {
    it_ = std::make_unique<interpreter>(s_, std::move(c));
  }
  session(std::string_view text, service target = service::smtp)
      : session(text, config_for(target)) {}

  std::uint64_t now = 0;

  std::string start() {
    return run([&](actions& o) { it_->start(now, o); });
  }
  std::string bytes(std::string_view b) {
    return run([&](actions& o) { it_->on_bytes(b, now, o); });
  }
  std::string closed() {
    return run([&](actions& o) { it_->on_closed(now, o); });
  }
  std::string timeout() {
    return run([&](actions& o) { it_->on_timeout(now, o); });
  }
  std::string tls(const tls_facts& f) {
    return run([&](actions& o) { it_->on_tls_done(f, now, o); });
  }
  std::string io_error(std::string_view what) {
    return run([&](actions& o) { it_->on_io_error(what, now, o); });
  }

  bool finished() const { return it_->finished(); }
  const scenario_result& result() const { return it_->result(); }
  const verdict& v() const { return it_->result().v; }
  // The transcript as "C: text" lines (direction name, then the text).
  std::vector<std::string> transcript() const {
    std::vector<std::string> out;
    for (const auto& e : it_->result().transcript)
      out.push_back(std::string(to_name(e.dir)) + " " + e.text);
    return out;
  }

 private:
  template <class F>
  std::string run(F f) {
    actions out;
    const bool was_finished = it_->finished();
    f(out);
    if (was_finished) {
      EXPECT_TRUE(out.empty()) << "actions after finished()";
    }
    return to_string(out);
  }

  scenario::scenario s_;
  std::unique_ptr<interpreter> it_;
};

// Runs a whole scenario against `server`: the bytes the server sends, one string per stream (the
// plain connection, then one after each TLS handshake), cut into reads of `chunk` bytes; TLS
// handshakes succeed; the end of the last stream is a close. Returns every
// send and TLS action in order, then the verdict and the transcript, as text: what must not depend
// on how the bytes were split.
inline std::string replay(std::string_view text, service target,
                          const std::vector<std::string>& server, std::size_t chunk) {
  const auto sc = parse_ok(text);
  interpreter it(sc, config_for(target));
  std::string log;
  actions out;
  it.start(0, out);
  std::size_t at = 0;
  std::size_t stream = 0;
  for (int round = 0; round < 10000 && !it.finished(); ++round) {
    if (out.empty()) {
      ADD_FAILURE() << "no action while not finished";
      break;
    }
    const action a = out.back();
    for (const auto& x : out) {
      if (!std::holds_alternative<read_bytes>(x)) log += to_string(x) + "\n";
    }
    out.clear();
    if (std::holds_alternative<read_bytes>(a)) {
      const std::string_view bytes =
          stream < server.size() ? std::string_view(server[stream]) : std::string_view();
      if (at < bytes.size()) {
        const auto n = std::min(chunk, bytes.size() - at);
        it.on_bytes(bytes.substr(at, n), 0, out);
        at += n;
      } else {
        it.on_closed(0, out);
      }
    } else if (std::holds_alternative<start_tls>(a)) {
      ++stream;
      at = 0;
      it.on_tls_done(established_tls(), 0, out);
    }
  }
  for (const auto& x : out)
    log += to_string(x) + "\n";
  const auto& r = it.result();
  log += std::string(to_name(r.v.result)) + ": " + r.v.reason + "\n";
  for (const auto& e : r.transcript)
    log += std::string(to_name(e.dir)) + " " + e.text + "\n";
  return log;
}

}  // namespace mailtls::runner::test
