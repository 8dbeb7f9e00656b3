// Internal: the state of the fake-server interpreter (interpreter.hpp), shared by interpreter.cpp
// (events, client bytes, waits, the verdict) and interpreter_steps.cpp (the statements).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fake/interpreter.hpp"
#include "fake/monitor.hpp"

namespace mailtls::fake {

namespace sc = scenario;
using runner::limit_kind;
using runner::outcome;
using dir = runner::transcript_entry::direction;

enum class wait_kind : std::uint8_t {
  none,
  line,     // `C:`: the client's next line
  tls,      // a handshake
  abort,    // `expect abort`: close or silence, QUIT answered
  close,    // `expect close`: close within the wait
  silence,  // `expect silence D`
  reject,   // `expect tls fail` after a completed handshake: the client must not use it
};

struct interpreter::impl {
  impl(const sc::scenario& s, run_config c)
      : s_(s),
        cfg_(std::move(c)),
        proto_(runner::info(cfg_.target).proto),
        mon_(proto_),
        vars_(cfg_.variables) {}

  const sc::scenario& s_;
  run_config cfg_;
  runner::protocol proto_;
  monitor mon_;
  runner::scenario_result res_;
  runner::variable_map vars_;
  std::vector<std::string> notes_;

  std::uint64_t start_ms_ = 0;
  std::uint64_t deadline_ms_ = 0;
  bool started_ = false;
  bool finished_ = false;
  std::size_t pc_ = 0;
  wait_kind wait_ = wait_kind::none;
  std::uint32_t wait_ms_ = 0;
  bool wait_capped_ = false;
  std::uint32_t step_ms_ = cfg_.limits.step_timeout_ms;
  bool step_set_ = false;

  bool open_ = true;       // false once the client closed or reset the connection
  bool tls_up_ = false;    // a handshake completed: the stream is TLS
  bool tls_dead_ = false;  // a handshake failed: nothing more can be exchanged
  bool tls_implicit_ = false;
  std::size_t tls_next_ = 0;  // the statement after the pending handshake
  sc::cert_kind pending_cert_ = sc::cert_kind::good;
  sc::cert_kind cert_ = sc::cert_kind::good;  // what the established session presented
  bool must_reject_ = false;                  // `expect tls fail` met a completed handshake

  // Client bytes: complete lines not yet read by a statement, and the unfinished tail.
  std::deque<std::string> lines_;
  std::size_t lines_bytes_ = 0;
  std::string partial_;
  // The client began a TLS handshake in cleartext (0x16 0x03): the rest of this stream is
  // counted, not framed.
  bool tls_garbage_ = false;
  std::size_t garbage_bytes_ = 0;

  std::size_t transcript_bytes_ = 0;
  bool transcript_cut_ = false;
  std::vector<std::string> got_;  // evidence: the client's lines for the verdict
  // Bytes of consecutive `S:` / `send` statements: they leave in ONE write when the next wait
  // (or the end) comes, like a server writing a multi-line reply, and so that `S: ${tag} OK` and
  // a `send` after it reach the client in one segment (response injection).
  std::string pending_;
  void flush_sends(actions& out) {
    if (!pending_.empty()) out.emplace_back(send_bytes{std::exchange(pending_, {})});
  }

  std::uint64_t since_start(std::uint64_t now) const {
    return now > start_ms_ ? now - start_ms_ : 0;
  }
  const sc::statement* current() const {
    return pc_ < s_.statements_.size() ? &s_.statements_[pc_] : nullptr;
  }
  std::string redacted(std::string_view text) const {
    return runner::redact(text, vars_, cfg_.secret_variables);
  }
  limit_kind timeout_kind(std::uint64_t now) const {
    return wait_capped_ || now >= deadline_ms_ ? limit_kind::scenario_timeout
                                               : limit_kind::step_timeout;
  }

  // ---- transcript, verdict, waits (interpreter.cpp) ----
  void log(dir d, std::string text, std::uint64_t now);
  void note(std::string text, std::uint64_t now) { log(dir::note, std::move(text), now); }
  void finish(outcome o, std::string reason, const sc::statement* st, std::uint64_t now,
              actions& out, limit_kind limit = limit_kind::none);
  void fail(std::string reason, std::uint64_t now, actions& out,
            limit_kind limit = limit_kind::none) {
    finish(outcome::fail, std::move(reason), current(), now, out, limit);
  }
  bool request_read(wait_kind w, std::uint32_t want, std::uint64_t now, actions& out);
  void run(std::uint64_t now, actions& out);
  // The client stopped (closed, went silent, reset, rejected TLS) before the statement at pc_
  // could run: a pass when a later statement expects it to stop, else a fail with `why`.
  void client_stopped(std::string why, std::uint64_t now, actions& out);

  // ---- client bytes (interpreter.cpp) ----
  // Frames, monitors and logs arriving bytes; false when a rule ended the run.
  bool take_bytes(std::string_view bytes, std::uint64_t now, actions& out);
  bool take_line(std::string line, std::uint64_t now, actions& out);
  // QUIT / LOGOUT during `expect abort` / `expect close`: answered, then closed (a pass).
  bool answer_quit(const std::string& line, std::uint64_t now, actions& out);
  // Reads the waiting lines for an abort / close wait; true when the statement is decided.
  bool drain_for_stop(std::uint64_t now, actions& out);

  // ---- statements (interpreter_steps.cpp) ----
  void send(std::string bytes, std::uint64_t now, actions& out);
  // Whether the connection can carry a statement; else client_stopped() decides.
  bool connected(std::uint64_t now, actions& out);
  bool expand(const sc::text_template& t, std::string& bytes, std::uint64_t now, actions& out);
  void step(const sc::server_send& st, std::uint64_t now, actions& out);
  void step(const sc::send_raw& st, std::uint64_t now, actions& out);
  void step(const sc::expect_command& st, std::uint64_t now, actions& out);
  void step(const sc::serve_tls& st, std::uint64_t now, actions& out);
  void begin_tls(start_tls a, std::size_t next, std::uint64_t now, actions& out);
  void step(const sc::expect_abort& st, std::uint64_t now, actions& out);
  void step(const sc::expect_close& st, std::uint64_t now, actions& out);
  void step(const sc::expect_silence& st, std::uint64_t now, actions& out);
  void step(const sc::expect_tls_fail& st, std::uint64_t now, actions& out);
  void step(const sc::set_timeout& st, std::uint64_t now, actions& out);
  void step(const sc::set_variable& st, std::uint64_t now, actions& out);
  // Client-role statements (lint reports them in a server-role file): a harness error.
  void client_only(std::uint64_t now, actions& out);

  // ---- events (interpreter.cpp) ----
  void on_bytes(std::string_view bytes, std::uint64_t now, actions& out);
  void on_closed(std::uint64_t now, actions& out);
  void on_timeout(std::uint64_t now, actions& out);
  void on_tls_done(const runner::tls_facts& facts, std::uint64_t now, actions& out);
  void on_io_error(std::string_view what, std::uint64_t now, actions& out);
};

inline runner::tls_version_limit to_limit(const std::optional<sc::tls_version>& v) {
  if (!v) return runner::tls_version_limit::any;
  switch (*v) {
    case sc::tls_version::tls1_0:
      return runner::tls_version_limit::tls1_0;
    case sc::tls_version::tls1_1:
      return runner::tls_version_limit::tls1_1;
    case sc::tls_version::tls1_2:
      return runner::tls_version_limit::tls1_2;
    case sc::tls_version::tls1_3:
      return runner::tls_version_limit::tls1_3;
  }
  return runner::tls_version_limit::any;
}

// "a" or "an" before a certificate kind's name ("an expired certificate").
std::string with_article(sc::cert_kind k);

}  // namespace mailtls::fake
