// What a scripted client session asks its driver to do, and the events the driver feeds back.
// Same pattern as harness/session/action.hpp (the server side): the session is a sans-I/O state
// machine, the driver (harness/client/driver.hpp, Asio + OpenSSL) performs the actions in order.
//
// Std only: no Asio, OpenSSL, sockets, clocks or threads. Time is passed in as milliseconds since
// the run started (`now_ms`), so tests drive the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mailtls::runner {

// Write these bytes (through TLS once it is up). Sends are written in order, each as one write
// call (so `send "STARTTLS\r\nNOOP\r\n"` leaves in one segment: the command-injection probe).
struct send_bytes {
  std::string bytes;
  bool operator==(const send_bytes&) const = default;
};

enum class tls_version_limit : std::uint8_t { any, tls1_0, tls1_1, tls1_2, tls1_3 };
// "any", "TLSv1.0" ... "TLSv1.3": as printed in actions (runner and fake server).
const char* to_name(tls_version_limit v) noexcept;

// Start the client side of a TLS handshake once earlier sends are written. From now on every byte
// read goes to TLS. The driver answers with on_tls_done(). Options left empty take the run's
// defaults (CLI --ca-file, --servername, --insecure).
struct start_tls {
  bool implicit = false;           // at connect (RFC 8314), not after STARTTLS
  std::optional<bool> verify;      // nullopt: the run's default (not --insecure)
  std::optional<std::string> sni;  // SNI and name to verify; nullopt: the run's default
  tls_version_limit min = tls_version_limit::any;
  tls_version_limit max = tls_version_limit::any;
  std::optional<std::string> ciphers;  // OpenSSL cipher list (TLS <= 1.2)
  std::vector<std::string> alpn;       // ALPN protocols to offer (RFC 7301); empty: none
  // The handshake must finish within this; 0: the driver's own bound. Set by a `timeout D`
  // statement (and cut at the scenario's deadline).
  std::uint32_t timeout_ms = 0;
  bool operator==(const start_tls&) const = default;
};

// Read; deliver bytes with on_bytes(), EOF with on_closed(); if nothing arrives within
// timeout_ms, call on_timeout().
struct read_bytes {
  std::uint32_t timeout_ms = 0;
  bool operator==(const read_bytes&) const = default;
};

// Close the connection after earlier sends (close_notify when TLS is up). The session is
// finished after it: no event follows.
struct close_connection {
  bool operator==(const close_connection&) const = default;
};

using action = std::variant<send_bytes, start_tls, read_bytes, close_connection>;
using actions = std::vector<action>;

// `send "EHLO x\r\n"`, `start_tls implicit sni=mx`, `read 5000ms`, `close` (one line, escaped).
std::string to_string(const action& a);
std::string to_string(const actions& list);

}  // namespace mailtls::runner
