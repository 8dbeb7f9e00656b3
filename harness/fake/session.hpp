// The interface a fake-server driver (fake/net/) runs: a sans-I/O server-side session that
// returns actions (action.hpp). The scenario interpreter (interpreter.hpp) implements it; driver
// tests use small fakes.
//
//   start(now)                       once, right after the client's connection was accepted
//   on_bytes / on_closed / on_timeout     answers to read_bytes
//   on_tls_done                      answer to start_tls (success or failure, with facts)
//   on_io_error                      the connection broke (reset, write failed)
// Each call appends actions to `out`. finished() is true once the verdict is known (the last
// action was close_connection, or none was needed because the client closed).
#pragma once

#include <cstdint>
#include <string_view>

#include "fake/action.hpp"
#include "runner/result.hpp"

namespace mailtls::fake {

class session {
 public:
  virtual ~session() = default;

  virtual void start(std::uint64_t now_ms, actions& out) = 0;
  virtual void on_bytes(std::string_view bytes, std::uint64_t now_ms, actions& out) = 0;
  // The client closed (TCP EOF, or close_notify under TLS).
  virtual void on_closed(std::uint64_t now_ms, actions& out) = 0;
  virtual void on_timeout(std::uint64_t now_ms, actions& out) = 0;
  // facts.established tells success; facts.failure the reason otherwise (the alert the client
  // sent, when it rejected our certificate).
  virtual void on_tls_done(const runner::tls_facts& facts, std::uint64_t now_ms, actions& out) = 0;
  virtual void on_io_error(std::string_view what, std::uint64_t now_ms, actions& out) = 0;

  virtual bool finished() const = 0;
  virtual const runner::scenario_result& result() const = 0;
};

}  // namespace mailtls::fake
