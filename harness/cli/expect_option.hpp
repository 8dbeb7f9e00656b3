// `--expect FILE` for `mailtls check` and `mailtls client-check`: load a baseline of known
// outcomes before the run (report/expectations.hpp), and let it decide the exit status after.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "report/expectations.hpp"

namespace mailtls::cli {

// Reads and parses `path` (empty: no baseline, `out` stays empty). On an unreadable or malformed
// file prints "mailtls COMMAND: FILE:LINE: ..." to stderr and returns false (a usage error).
bool load_expectations(const std::string& path, std::string_view command,
                       std::optional<report::expectations>& out);

// Prints the comparison ("expected: all N cases as in FILE" or the differences) and returns the
// exit status: 0 when every case is as expected, else 1.
int expectations_exit_status(const report::run& run, const report::expectations& expected,
                             std::ostream& out);

}  // namespace mailtls::cli
