// What a proxy_session asks its driver to do. Same pattern as runner/action.hpp: the session is a
// sans-I/O state machine, the driver (Asio) performs the actions in order and feeds events back.
// Every action prints as one line, so tests compare transcripts.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace mailtls::mitm {

// Write these bytes to the client (one write: forged replies glued to a real one leave together).
struct to_client {
  std::string bytes;
  bool operator==(const to_client&) const = default;
};

// Write these bytes to the server.
struct to_server {
  std::string bytes;
  bool operator==(const to_server&) const = default;
};

// Close the client connection after earlier writes to it.
struct close_client {
  bool operator==(const close_client&) const = default;
};

// Close the server connection after earlier writes to it.
struct close_server {
  bool operator==(const close_server&) const = default;
};

// From now on both directions carry TLS records the proxy cannot read: the driver may copy them
// itself (the session still copies whatever it is given, and wants closes and timeouts).
struct relay_opaque {
  bool operator==(const relay_opaque&) const = default;
};

// Keep reading every open side; if nothing arrives from either within timeout_ms, call
// on_timeout(). Ends every answer of a session that is not finished.
struct read_both {
  std::uint32_t timeout_ms = 0;
  bool operator==(const read_both&) const = default;
};

using action =
    std::variant<to_client, to_server, close_client, close_server, relay_opaque, read_both>;
using actions = std::vector<action>;

// `to_client "250 ok\r\n"`, `to_server "..."`, `close_client`, `close_server`, `relay_opaque`,
// `read 30000ms`.
std::string to_string(const action& a);
std::string to_string(const actions& list);  // one line each

}  // namespace mailtls::mitm
