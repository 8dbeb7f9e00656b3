// The bundled reference server (mailtls-server) as a target: started on ephemeral loopback ports
// with a fresh state directory and one test account, described by a small state folder that
// `mailtls check --reference-state DIR` can reuse (the ctest fixture starts one server that every
// scenario test shares).
//
// State folder layout (written by start_reference_server):
//   DIR/server/            mailtls-server --state-dir (Maildirs, accounts, tls/ca.pem)
//   DIR/ports.json         the server's ports file {"smtp": 40123, ...}
//   DIR/reference.json     {"pid":..., "user":..., "servername":..., "ca_file":..., "host":...}
//   DIR/password           the test account's password (mode 0600)
//   DIR/server.log         the server's stdout and stderr
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mailtls::cli {

struct reference_target {
  std::filesystem::path state_dir;
  std::string host = "127.0.0.1";
  std::map<std::string, std::uint16_t> ports;  // by service name
  std::string servername;                      // the name in the server's certificate
  std::filesystem::path ca_file;
  std::string user;
  std::string password;
  int pid = 0;
};

struct reference_options {
  std::filesystem::path server_binary;
  std::filesystem::path state_dir;      // created (parents too); must not hold a running server
  std::vector<std::string> extra_args;  // appended to the server's command line
  unsigned wait_ms = 15'000;            // for the ports file
};

// Starts mailtls-server in the background (stdio to DIR/server.log) and waits, bounded, until
// every listener is bound. The server keeps running after this process exits; stop it with
// stop_reference_server. Nothing on failure, with `error` saying why (the log's tail included).
std::optional<reference_target> start_reference_server(const reference_options& options,
                                                       std::string& error);

// Reads a state folder written by start_reference_server.
std::optional<reference_target> load_reference_state(const std::filesystem::path& dir,
                                                     std::string& error);

// SIGTERM to the server, then waits (bounded, 10 s) for it to exit; SIGKILL after that. Returns
// false with `error` when the state cannot be read or no such process runs.
bool stop_reference_server(const std::filesystem::path& dir, std::string& error);

// The --inject-bug modes the server knows (`mailtls-server --inject-bug list`), in its order.
// Nothing on failure, with `error` set.
std::optional<std::vector<std::string>> list_bug_modes(const std::filesystem::path& server_binary,
                                                       std::string& error);

// Where mailtls-server is: --server-binary, else $MAILTLS_SERVER, else next to this executable,
// else the build tree's copy (compiled in).
std::filesystem::path find_server_binary(const std::string& given);

}  // namespace mailtls::cli
