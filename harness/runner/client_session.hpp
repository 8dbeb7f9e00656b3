// The interface a driver (harness/client/driver.hpp) runs: a sans-I/O client session. The
// scenario interpreter (interpreter.hpp) implements it; driver tests use small fakes.
//
// Protocol between driver and session:
//   start(now)                     once, right after the TCP connection is up
//   on_bytes / on_closed / on_timeout   answers to read_bytes
//   on_tls_done                    answer to start_tls (success or failure, with facts)
//   on_io_error                    the connection broke (reset, write failed)
// Each call appends actions to `out`. The session is finished() when it has nothing more to do:
// its last action was close_connection (or none is needed because the peer closed). The driver
// then takes result().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runner/action.hpp"
#include "runner/result.hpp"

namespace mailtls::runner {

class client_session {
 public:
  virtual ~client_session() = default;

  virtual void start(std::uint64_t now_ms, actions& out) = 0;
  virtual void on_bytes(std::string_view bytes, std::uint64_t now_ms, actions& out) = 0;
  // The peer closed (TCP EOF, or close_notify under TLS).
  virtual void on_closed(std::uint64_t now_ms, actions& out) = 0;
  virtual void on_timeout(std::uint64_t now_ms, actions& out) = 0;
  // facts.established tells success; facts.failure the reason otherwise.
  virtual void on_tls_done(const tls_facts& facts, std::uint64_t now_ms, actions& out) = 0;
  // Connection reset, write error: `what` is the system's message.
  virtual void on_io_error(std::string_view what, std::uint64_t now_ms, actions& out) = 0;

  virtual bool finished() const = 0;
  // The verdict, transcript and TLS facts so far (final once finished()).
  virtual const scenario_result& result() const = 0;
};

}  // namespace mailtls::runner
