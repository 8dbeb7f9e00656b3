// `mailtls selftest`: the harness proves itself against the reference server (issue 5).
//   1. coverage: every --inject-bug mode of mailtls-server is named by the `catches:` of at least
//      one scenario, and every `catches:` names a real mode;
//   2. no false positives: with no bug injected, every scenario passes on every service;
//   3. mutation score: for each bug mode, the server is started with that bug and every scenario
//      that `catches:` it must fail (not error) on at least one of its services.
// Exit status 0 when all hold, 1 when one does not, 2 for bad options, 3 when the server cannot be
// started.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mailtls::cli {

struct selftest_options {
  std::string scenarios;          // default find_scenarios()
  std::string server_binary;      // default find_server_binary()
  std::vector<std::string> bugs;  // only these modes (default: all)
  // Extra mailtls-server arguments for every start; a short idle timeout by default so that the
  // idle-limit scenarios finish in seconds.
  std::vector<std::string> server_args = {"--idle-timeout", "3"};
  std::size_t jobs = 32;
};

int run_selftest(const selftest_options& options);

}  // namespace mailtls::cli
