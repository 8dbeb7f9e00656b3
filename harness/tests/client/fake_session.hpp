// A scripted runner::client_session for the driver's tests: independent of the interpreter.
//
// The script is a list of action batches: start() emits the first, and every answer from the
// driver (a complete reply, timeout, close, TLS outcome, I/O error) emits the next. A read whose
// bytes end mid-line is re-issued with the same timeout until the line is complete. Every event
// is recorded in a probe the test inspects after run_all (all on the test's thread).
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "runner/client_session.hpp"

namespace mailtls::client::test {

struct fake_probe {
  std::vector<std::string> events;  // "start", "S:<line>", "timeout", "closed", "tls:ok", ...
  std::vector<runner::tls_facts> tls;
  std::vector<std::uint64_t> event_times;
  int alive = 0;
  int max_alive = 0;
  int created = 0;
};

class fake_session final : public runner::client_session {
 public:
  fake_session(std::vector<runner::actions> script, std::shared_ptr<fake_probe> probe,
               bool keep_tls_facts = true)
      : script_(std::move(script)), probe_(std::move(probe)), keep_tls_facts_(keep_tls_facts) {
    ++probe_->created;
    ++probe_->alive;
    probe_->max_alive = std::max(probe_->max_alive, probe_->alive);
  }
  ~fake_session() override { --probe_->alive; }

  void start(std::uint64_t now_ms, runner::actions& out) override {
    record("start", now_ms);
    next(out);
  }
  void on_bytes(std::string_view bytes, std::uint64_t now_ms, runner::actions& out) override {
    buffer_.append(bytes);
    if (buffer_.size() < 2 || buffer_.compare(buffer_.size() - 2, 2, "\r\n") != 0) {
      out.emplace_back(runner::read_bytes{last_timeout_});  // the rest of the line
      return;
    }
    std::size_t pos;
    while ((pos = buffer_.find("\r\n")) != std::string::npos) {
      record("S:" + buffer_.substr(0, pos), now_ms);
      buffer_.erase(0, pos + 2);
    }
    next(out);
  }
  void on_closed(std::uint64_t now_ms, runner::actions& out) override {
    record("closed", now_ms);
    next(out);
  }
  void on_timeout(std::uint64_t now_ms, runner::actions& out) override {
    record("timeout", now_ms);
    next(out);
  }
  void on_tls_done(const runner::tls_facts& facts, std::uint64_t now_ms,
                   runner::actions& out) override {
    record(facts.established ? "tls:ok" : "tls:fail", now_ms);
    probe_->tls.push_back(facts);
    if (keep_tls_facts_) result_.tls = facts;
    next(out);
  }
  void on_io_error(std::string_view what, std::uint64_t now_ms, runner::actions& out) override {
    record("io:" + std::string(what), now_ms);
    next(out);
  }

  bool finished() const override { return finished_; }
  const runner::scenario_result& result() const override { return result_; }

 private:
  void record(std::string event, std::uint64_t now_ms) {
    result_.transcript.push_back({now_ms, runner::transcript_entry::direction::note, event});
    probe_->events.push_back(std::move(event));
    probe_->event_times.push_back(now_ms);
  }

  void next(runner::actions& out) {
    if (step_ >= script_.size()) {
      finished_ = true;  // nothing left to do (e.g. the peer closed)
      result_.v.result = runner::outcome::pass;
      return;
    }
    for (auto& a : script_[step_]) {
      if (auto* r = std::get_if<runner::read_bytes>(&a)) last_timeout_ = r->timeout_ms;
      if (std::holds_alternative<runner::close_connection>(a)) {
        finished_ = true;
        result_.v.result = runner::outcome::pass;
      }
      out.push_back(a);
    }
    ++step_;
  }

  std::vector<runner::actions> script_;
  std::shared_ptr<fake_probe> probe_;
  bool keep_tls_facts_;
  std::size_t step_ = 0;
  std::string buffer_;
  std::uint32_t last_timeout_ = 0;
  bool finished_ = false;
  runner::scenario_result result_;
};

}  // namespace mailtls::client::test
