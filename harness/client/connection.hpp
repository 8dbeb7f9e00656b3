// Internal to harness/client: one job's connection. Resolves, connects, then carries out the
// session's actions strictly in order (runner/action.hpp), on the run's single io_context thread:
//
//   send_bytes        one async_write per action (encrypted first when TLS is up); the next
//                     action goes on while it is written, so a read can overlap a large send
//   read_bytes        wait for readability with a deadline, then read at most max_read_chunk
//                     bytes into the run's shared buffer; plaintext goes to on_bytes (under TLS
//                     only what the engine decrypted; a read giving none keeps waiting within
//                     the same deadline), EOF to on_closed, expiry to on_timeout
//   start_tls         once earlier writes are done: a client engine (context from the run's
//                     cache), handshake bounded by the action's timeout_ms (`timeout D`) or
//                     handshake_timeout_ms, then on_tls_done
//   close_connection  once earlier writes are done: close_notify when TLS is up, then close
//
// No read-ahead: the socket is read only while the session waits in read_bytes or a handshake,
// so plaintext that arrived before start_tls is either already the session's or still in the
// kernel, and is then fed to the TLS engine as what it is (RFC 3207 §4.2: never plaintext).
// Memory per connection: the socket, two timers, the session, the TLS engine (its record
// buffers are released when idle) and the bytes of writes in flight. The read buffer is shared.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/driver.hpp"
#include "client/tls_setup.hpp"
#include "net/asio.hpp"
#include "runner/action.hpp"
#include "runner/client_session.hpp"
#include "runner/result.hpp"
#include "tls/engine.hpp"

namespace mailtls::client::detail {

namespace asio = net::detail::asio;
using tcp = net::detail::tcp;

// A TLS handshake must finish within this (the session's read deadlines do not apply to it: the
// driver runs the handshake on its own). Also bounds flushing writes before start_tls and close.
inline constexpr std::uint32_t handshake_timeout_ms = 10'000;
// A read_bytes{0}: wait this long (the interpreter always gives a timeout).
inline constexpr std::uint32_t default_read_timeout_ms = 10'000;
// A session that keeps asking for I/O on a connection that already broke is cut off after this
// many further requests (each was answered with on_io_error).
inline constexpr int max_requests_after_io_error = 16;

inline std::string ms_text(std::uint32_t ms) {
  return std::to_string(ms) + " ms";
}

// What every connection of one run_all shares. Lives on run_all's stack; outlives the io_context's
// handlers (run() returns only when none is left).
struct run_context {
  asio::io_context& io;
  const run_options& options;
  context_cache contexts;
  std::vector<char> read_buffer;  // single thread: one buffer serves every connection
  // Called once per job (posted, so never from inside a connection's own call stack).
  std::function<void(std::size_t, runner::scenario_result)> finished;
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(run_context& run, const job& j, std::size_t index);
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  void start();

 private:
  enum class phase {
    connecting,
    idle,           // performing queued actions
    reading,        // read_bytes: waiting for input
    flush_for_tls,  // start_tls: waiting for earlier writes
    handshaking,
    flush_for_close,
    closing,  // close_notify queued: waiting for it to be written
    done,
  };
  enum class tls_state { off, handshaking, up, failed };

  std::uint64_t now_ms() const;
  std::string target_label() const;  // "host:port", "[::1]:port"

  // Connecting.
  void resolve();
  void on_resolved(const boost::system::error_code& ec, tcp::resolver::results_type results);
  void connect_next();
  void on_connected(const boost::system::error_code& ec);
  void connect_failed(const std::string& message);
  void begin_session();

  // Actions.
  template <class F>
  void call_session(F&& f);
  void advance();
  void perform(runner::action& a);
  void queue_send(const std::string& plaintext);
  bool writes_pending() const { return write_outstanding_ || !writes_.empty(); }

  // TLS.
  void begin_tls();
  // The pending handshake's bound: the action's timeout (`timeout D`), else handshake_timeout_ms.
  std::uint32_t tls_timeout_ms() const {
    return tls_action_.timeout_ms != 0 ? tls_action_.timeout_ms : handshake_timeout_ms;
  }
  void tls_done(runner::tls_facts facts);

  // Reading, writing, timers.
  void start_wait_readable();
  void on_readable(const boost::system::error_code& ec);
  void on_data(std::string_view bytes);
  void on_eof();
  void deliver_plaintext();
  void queue_write(std::string bytes);
  void start_write();
  void on_write(const boost::system::error_code& ec);
  void arm_timer(std::uint32_t ms);
  void disarm_timer();
  void on_timer();
  void on_hard_timeout();

  // The connection broke: close the socket, tell the session.
  void io_failed(const std::string& what);
  // A read or start_tls after the connection broke; true when the session was cut off.
  bool request_after_break();
  runner::scenario_result session_error(const std::string& reason) const;
  void close_socket();
  void finish(std::optional<runner::scenario_result> override_result = std::nullopt);

  run_context& run_;
  const job& job_;
  std::size_t index_;
  std::chrono::steady_clock::time_point started_;

  std::optional<tcp::resolver> resolver_;
  std::vector<tcp::endpoint> endpoints_;
  std::size_t endpoint_index_ = 0;
  std::string last_connect_error_;
  bool resolving_ = false;
  bool attempt_timed_out_ = false;
  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::steady_timer hard_timer_;
  std::uint64_t timer_generation_ = 0;

  std::unique_ptr<runner::client_session> session_;
  std::deque<runner::action> queue_;
  phase phase_ = phase::connecting;

  std::optional<tls::engine> engine_;
  tls_state tls_ = tls_state::off;
  bool tls_implicit_ = false;
  runner::start_tls tls_action_;
  runner::tls_facts facts_;  // the driver's own record of the last handshake

  std::string in_plain_;  // decrypted bytes not yet delivered (arrived with the handshake's end)
  std::deque<std::string> writes_;  // one entry per write call, in order
  std::string writing_;             // the bytes of the write in flight
  bool write_outstanding_ = false;
  bool wait_outstanding_ = false;
  bool peer_eof_ = false;
  bool broken_ = false;  // the socket failed or was closed: no more I/O
  std::string broken_reason_;
  int requests_after_break_ = 0;
};

}  // namespace mailtls::client::detail
