// Internal to harness/net: one TCP connection carrying one sans-I/O server session.
//
// The driver owns the socket, an optional tls::engine, one timer and the session, and performs
// the session's actions strictly in order (see session/action.hpp):
//   send      queued for writing (encrypted first when TLS is up)
//   read      wait for input with a deadline; bytes go to on_bytes, expiry to on_timeout
//   pause     wait, reading nothing, then go on with the next action
//   start_tls once every earlier send is written: a server engine is created and fed only bytes
//             read from then on; on_tls_established / on_tls_failed report the outcome
//   close     once sends are written: close_notify when TLS is up, FIN, a short draining read,
//             then close (bounded by close_timeout_ms, then hard)
//   log       to the listener's logger
// Everything of one connection runs on its strand; the session is never called concurrently.
// Bounded memory: at most read_chunk bytes of input wait for the session, and no input is read
// while more than max_pending_output bytes wait to be written (back-pressure: a peer that does
// not read stalls only itself, and the read deadline still runs).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/asio.hpp"
#include "net/listener_state.hpp"
#include "session/server_session.hpp"
#include "tls/engine.hpp"

namespace mailtls::net::detail {

class connection_driver : public std::enable_shared_from_this<connection_driver> {
 public:
  // `session` null: a refused connection that only performs `refusal` then closes.
  connection_driver(tcp::socket socket, std::shared_ptr<listener_state> owner,
                    std::unique_ptr<session::server_session> session, bool counted);
  ~connection_driver();
  connection_driver(const connection_driver&) = delete;
  connection_driver& operator=(const connection_driver&) = delete;

  const std::string& peer_address() const { return peer_address_; }

  // Thread-safe (they post to the connection's strand).
  void start();
  void start_refused(session::actions refusal);
  void notify_shutdown();
  void force_close();

 private:
  enum class phase {
    idle,           // performing queued actions
    reading,        // a read action: waiting for input
    pausing,        // a pause action
    flush_for_tls,  // start_tls: waiting for earlier sends to be written
    handshaking,    // TLS handshake running
    flush_for_close,
    closing_final,  // close_notify queued: waiting for it to be written
    draining,       // FIN sent: reading until EOF (bounded) so our last bytes are not reset
    closed,
  };
  enum class tls_state { off, handshaking, up, failed };

  template <class F>
  void call_session(F&& f);
  void advance();
  void perform(session::action& a);
  void queue_output(std::string_view plaintext);
  std::size_t pending_output() const { return out_.size() + writing_.size(); }

  void begin_tls(bool implicit);
  void tls_succeeded();
  void tls_failed(const std::string& reason);
  void enter_close();

  void start_read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void start_write();
  void on_write(const boost::system::error_code& ec);
  void arm_timer(std::uint32_t ms);
  void disarm_timer();
  void on_timer();
  void hard_close(std::string_view why);

  void log(session::log_level level, std::string_view text);

  tcp::socket socket_;
  asio::steady_timer timer_;
  std::uint64_t timer_generation_ = 0;
  std::shared_ptr<listener_state> owner_;
  const connection_limits& limits_;
  std::unique_ptr<session::server_session> session_;
  bool counted_ = false;
  bool released_ = false;
  std::string peer_address_;
  std::uint16_t peer_port_ = 0;
  std::string peer_label_;  // "address:port" for logs

  std::optional<tls::engine> engine_;
  tls_state tls_ = tls_state::off;
  bool implicit_handshake_ = false;

  phase phase_ = phase::idle;
  std::deque<session::action> queue_;
  std::string in_plain_;  // input waiting for the session (at most one read's worth)
  std::string out_;       // bytes to write after the current write
  std::string writing_;   // the bytes of the write in progress
  std::vector<char> read_buffer_;
  bool read_outstanding_ = false;
  bool write_outstanding_ = false;
  bool peer_eof_ = false;
  bool shutdown_notified_ = false;
  bool stalled_ = false;
};

}  // namespace mailtls::net::detail
