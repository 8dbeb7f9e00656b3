// `mailtls check [URL ...]`: runs every scenario that applies to each target service, concurrently,
// prints one line per scenario in a deterministic order and the service table, writes
// results/<run-id>/{report.json,junit.xml,report.html}, and returns the exit status:
// 0 all passed (skips allowed), 1 a scenario failed, 2 usage or configuration error, 3 harness
// error. With no URL it starts the bundled reference server on ephemeral loopback ports, runs the
// whole suite against it and stops it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mailtls::cli {

struct check_options {
  std::vector<std::string> urls;
  std::string reference_state;  // use a running reference server (mailtls reference start)
  std::string server_binary;    // for the bundled reference server
  std::string scenarios;        // folder or file; default find_scenarios()
  std::string user;             // password from $MAILTLS_PASSWORD or password_file
  std::string password_file;
  std::string ca_file;
  std::string servername;
  bool insecure = false;
  std::vector<std::string> only;  // ids or keywords
  std::vector<std::string> skip;
  std::string profile = "default";  // rfc, default or strict (nested: rfc < default < strict)
  bool list = false;                // print the plan, run nothing
  // Connections at once; 0: 128 against the bundled reference server (it is started with room for
  // them), 32 against URLs (real servers limit connections per client address).
  std::size_t jobs = 0;
  std::string out;  // default results/<run-id>
  bool no_reports = false;
  bool no_progress = false;
  std::uint32_t step_timeout_ms = 5'000;
  std::size_t repeat = 1;   // run every case N times (load measurement)
  std::string expect_file;  // --expect: a baseline of known outcomes (report/expectations.hpp)
  std::string command_line;
};

int run_check(const check_options& options);

}  // namespace mailtls::cli
