// What a sans-I/O session asks the network layer to do (after Boost.Redis's detail/*_fsm.hpp: the
// state machine returns actions, the I/O layer carries them out).
//
// A session is fed events (connect, bytes, TLS up, TLS failed, timeout, shutdown) and appends the
// actions to perform, in order, to an output vector. The net layer performs them one after the
// other: sends are written in order, start_tls begins the server handshake only after every
// earlier send has been written, close waits for the sends too. Every action prints as one line
// (to_string) so tests can step through a session and compare transcripts.
//
// Std only: no Asio, OpenSSL, sockets, clocks or threads. Durations are plain milliseconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mailtls::session {

// Write these bytes to the peer (through TLS when it is up).
struct send {
  std::string bytes;
  bool operator==(const send&) const = default;
};

// Start the server side of the TLS handshake once earlier sends are written. The session has
// already discarded whatever plaintext followed the STARTTLS command (RFC 3207 §4.2); bytes that
// arrive from now on are TLS records and go to the TLS engine, not to the session, until
// on_tls_established() or on_tls_failed().
struct start_tls {
  bool operator==(const start_tls&) const = default;
};

// Wait for more input; if none arrives within timeout_ms, call on_timeout().
struct read {
  std::uint32_t timeout_ms = 0;
  bool operator==(const read&) const = default;
};

// Hold the next action back for ms milliseconds (failed-login delay), reading nothing meanwhile.
struct pause {
  std::uint32_t ms = 0;
  bool operator==(const pause&) const = default;
};

// Close the connection after earlier sends (with close_notify when TLS is up). No event follows.
struct close {
  bool operator==(const close&) const = default;
};

enum class log_level : std::uint8_t { debug, info, warn, error };

// A log line for the operator. Never contains secrets: sessions redact credentials themselves.
struct log {
  log_level level = log_level::info;
  std::string text;
  bool operator==(const log&) const = default;
};

using action = std::variant<send, start_tls, read, pause, close, log>;
using actions = std::vector<action>;

const char* to_string(log_level l) noexcept;

// `send "220 mx ESMTP\r\n"` (bytes escaped), `start_tls`, `read 300000ms`, `pause 2000ms`, `close`,
// `log warn "..."`.
std::string to_string(const action& a);

// One line per action, joined with '\n'.
std::string to_string(const actions& list);

}  // namespace mailtls::session
