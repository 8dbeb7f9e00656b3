// `mailtls lint [PATH ...]` and `mailtls list [--format text|markdown]`.
#pragma once

#include <string>
#include <vector>

namespace mailtls::cli {

// Parses and lints every scenario under each path (default: the scenarios folder). Prints
// `file:line: message` per problem; returns 0 clean, 1 problems found, 2 a path does not exist.
int run_lint(const std::vector<std::string>& paths);

// Prints the catalogue: `text` (id, services, severity, title) or `markdown` (the table of
// docs/scenarios.md: id, services, severity, profile, refs, catches, rationale). With `check`,
// compares with that file instead of printing: 0 equal, 1 different. Returns 2 on a bad format or
// scenarios that do not parse.
int run_list(const std::string& scenarios, const std::string& format, const std::string& check);

}  // namespace mailtls::cli
