// What the fake server's interpreter (interpreter.hpp) asks its driver to do. Same pattern as
// runner/action.hpp (the client side): a sans-I/O state machine returns actions, the driver
// (fake/net/, Asio + the TLS engine in server mode) performs them in order and feeds events back.
// Every action prints as one line, so tests compare transcripts of actions. Std only.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "runner/action.hpp"
#include "scenario/ast.hpp"

namespace mailtls::fake {

// Write these bytes (through TLS once it is up), as ONE write call: `send "220 a\r\n250 b\r\n"`
// leaves in one segment (response injection, CVE-2021-38371).
struct send_bytes {
  std::string bytes;
  bool operator==(const send_bytes&) const = default;
};

// Start the server side of a TLS handshake once earlier sends are written, presenting a
// certificate of this kind; from now on every byte read goes to TLS. Answered by on_tls_done().
struct start_tls {
  scenario::cert_kind cert = scenario::cert_kind::good;
  runner::tls_version_limit min = runner::tls_version_limit::any;  // any: the driver's default
  runner::tls_version_limit max = runner::tls_version_limit::any;
  bool implicit = false;         // at connect (RFC 8314 §3), not after STARTTLS
  std::uint32_t timeout_ms = 0;  // the handshake must end within this; 0: the driver's bound
  bool operator==(const start_tls&) const = default;
};

// Wait for client bytes: on_bytes(), EOF on_closed(), nothing within timeout_ms on_timeout().
struct read_bytes {
  std::uint32_t timeout_ms = 0;
  bool operator==(const read_bytes&) const = default;
};

// Close the connection after earlier sends (close_notify when TLS is up). No event follows.
struct close_connection {
  bool operator==(const close_connection&) const = default;
};

using action = std::variant<send_bytes, start_tls, read_bytes, close_connection>;
using actions = std::vector<action>;

// `send "220 x\r\n"`, `start_tls cert=expired max=TLSv1.2 implicit`, `read 5000ms`, `close`.
std::string to_string(const action& a);
std::string to_string(const actions& list);

}  // namespace mailtls::fake
