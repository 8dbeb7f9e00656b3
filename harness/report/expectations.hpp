// Expected outcomes for `mailtls check --expect FILE`: a baseline of known failures, so a run
// against a server with documented deviations (the interop tests' Postfix and Dovecot, a site's
// own server) passes exactly when nothing changed. One entry per line:
//
//   # comment
//   fail  smtp-bare-lf-command-not-executed  smtp submission   # reason (kept in the file)
//   skip  imap-capability-after-login                          # no service: every service
//
// An entry names an outcome (pass, fail, error, skip), a scenario id and the services it covers
// (none: all). A case that no entry names is expected to pass or skip. Comparison is exact both
// ways: a case whose outcome differs from its entry is a mismatch, and so is an entry that
// matched no case (a stale baseline hides nothing).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "report/model.hpp"

namespace mailtls::report {

struct expectation {
  runner::outcome expected = runner::outcome::fail;
  std::string scenario_id;
  std::vector<runner::service> services;  // empty: every service
  std::size_t line = 0;                   // in the file, from 1
};

struct expectations {
  std::string file;  // as named on the command line, for messages
  std::vector<expectation> entries;
};

// Parses the text of an expectations file. On a syntax error returns false and sets `error` to
// "FILE:LINE: what was wrong".
bool parse_expectations(std::string_view text, std::string file, expectations& out,
                        std::string& error);

struct expectation_result {
  std::size_t matched = 0;              // cases whose outcome is what was expected
  std::size_t expected_failures = 0;    // of those, cases expected to fail or err
  std::vector<std::string> mismatches;  // "FAIL  smtp  smtp-x: expected pass (not listed)"
};

// Compares a finished run with the expectations; mismatches are in the run's case order, then
// the stale entries in file order.
expectation_result compare(const run& r, const expectations& e);

}  // namespace mailtls::report
