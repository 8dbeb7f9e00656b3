// What a listener is made of: where it binds, how TLS is used, how sessions are made, limits.
// Std only (no Asio): the server application builds these without seeing the I/O machinery.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "session/action.hpp"
#include "session/server_session.hpp"
#include "tls/context.hpp"
#include "tls/engine.hpp"

namespace mailtls::net {

enum class transport {
  plain,         // cleartext; the session may upgrade with start_tls (needs tls context)
  implicit_tls,  // RFC 8314 §3: handshake first, then on_connect(implicit_tls = true)
  // Fault injection (bug implicit-cleartext): no TLS at all, yet the session is told
  // implicit_tls = true, as a misconfigured 465/993/995 would behave.
  implicit_cleartext,
};

const char* to_string(transport t) noexcept;

struct session_factory {
  // A new session for an admitted connection. Called once per connection; must not be empty.
  std::function<std::unique_ptr<session::server_session>()> make;
  // A connection over a limit gets these actions (e.g. SMTP `421 4.7.0 Too many connections`),
  // then close. Empty or unset: closed without a word. Not used on implicit-TLS listeners (no
  // handshake is spent on a refused peer).
  std::function<void(session::actions&)> refuse;
};

struct connection_limits {
  // Back-pressure: while more than this many bytes wait to be written to the peer, nothing more
  // is read from it (the session gets no input, so it produces no output). A single send larger
  // than this is still accepted whole.
  std::size_t max_pending_output = 1024 * 1024;
  // Bytes read from the socket at a time (and at most this much plaintext waits for the session).
  std::size_t read_chunk = 16 * 1024;
  // A batch of actions that ends without read or close: wait for input this long.
  std::uint32_t default_idle_timeout_ms = 300'000;
  // TLS handshake (STARTTLS or implicit) must finish within this.
  std::uint32_t handshake_timeout_ms = 30'000;
  // Flushing output before close (and before a STARTTLS handshake) is bounded by this; then the
  // socket is closed hard. Also bounds the lingering read after our FIN.
  std::uint32_t close_timeout_ms = 5'000;
  tls::engine_limits tls;
};

struct listener_config {
  std::string name;  // "smtp", "imaps": appears in every log line
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks one (see runtime::add_listener's result)
  transport mode = transport::plain;
  // Server TLS context: required for implicit_tls; without it start_tls fails (on_tls_failed).
  std::optional<tls::context> tls;
  session_factory factory;
  std::size_t max_connections = 1000;            // on this listener
  std::size_t max_connections_per_address = 50;  // from one client address on this listener
  connection_limits limits;
};

struct listener_stats {
  std::uint64_t accepted = 0;             // connections admitted
  std::uint64_t refused = 0;              // over a connection limit
  std::uint64_t active = 0;               // admitted and not yet closed
  std::uint64_t tls_established = 0;      // handshakes completed (STARTTLS or implicit)
  std::uint64_t tls_failed = 0;           // handshakes failed or timed out
  std::uint64_t timeouts = 0;             // idle timeouts (on_timeout calls)
  std::uint64_t forced_closes = 0;        // closed hard (flush timeout, shutdown deadline, error)
  std::uint64_t stalls = 0;               // times reading stopped because of back-pressure
  std::uint64_t peak_pending_output = 0;  // most bytes ever waiting to be written on one conn.
};

}  // namespace mailtls::net
