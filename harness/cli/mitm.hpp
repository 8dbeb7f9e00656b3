// `mailtls mitm`: the MITM proxy (harness/mitm) in front of a server, by default the bundled
// reference server. Prints the bound port, one block per client connection (verdict, findings)
// and a summary; writes DIR/report.json with --out. Exit status: 0 every connection passed,
// 1 a connection failed or had no verdict (error), 2 usage, 3 harness error (bind, reference
// server). See docs/mitm.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace mailtls::cli {

struct mitm_options {
  std::string listen = "127.0.0.1:0";  // HOST:PORT, [v6]:PORT
  std::string upstream;                // URL (target_url.hpp); empty: the bundled reference server
  std::string service = "smtp";        // with the bundled server: which of its services
  std::string attack = "none";
  std::size_t count = 0;              // stop after N client connections; 0: until Ctrl-C
  std::uint32_t timeout_ms = 30'000;  // idle timeout of each direction
  std::string out;                    // report folder (report.json); empty: none
  std::string server_binary;
  std::size_t max_connections = 64;
  // Called once the proxy listens (tests learn the port from it; the console line is printed too).
  std::function<void(std::uint16_t port)> on_listening;
};

// Registers `mitm` on the app; returns the subcommand (check ->parsed()).
CLI::App* add_mitm_command(CLI::App& app, mitm_options& options);

int run_mitm(const mitm_options& options);

}  // namespace mailtls::cli
