// Running a plan of cases (scenario x target) through the client driver: job creation with the
// standard variables, `repeat:` (N connections at once per case, merged into one verdict), and
// deterministic case order whatever order the connections finish in. Used by `mailtls check` and
// `mailtls selftest`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/catalogue.hpp"
#include "cli/reference_server.hpp"
#include "client/driver.hpp"
#include "report/model.hpp"

namespace mailtls::cli {

struct planned_case {
  std::size_t file = 0;    // index into catalogue::files
  std::size_t target = 0;  // index into report::run::targets
};

struct execution {
  client::tls_defaults tls;
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::uint32_t step_timeout_ms = 5'000;
  std::size_t jobs = 32;
  std::size_t repeat = 1;  // the whole plan, N times (load measurement)
};

// Cases [0, ready) of run.cases are final; `done` of `total` connections have finished.
using progress_fn = std::function<void(std::size_t ready, std::size_t done, std::size_t total)>;

// Fills run.cases (plan order, `repeat` times over) and runs every connection; returns the number
// of connections made.
std::size_t execute(report::run& run, const catalogue& cat, const std::vector<planned_case>& plan,
                    const execution& ex, const progress_fn& on_progress);

// The seven services of a reference server as targets of `run`, in the report's order.
void add_reference_targets(report::run& run, const reference_target& ref);

// The verdict of a case that ran N connections at once: the first fail (else error, else skip, else
// pass) in connection order, with a note saying how many of the N did not pass. Exposed for tests.
runner::scenario_result merge_repeated(std::vector<runner::scenario_result> runs);

}  // namespace mailtls::cli
