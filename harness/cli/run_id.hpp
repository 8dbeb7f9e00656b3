// What `check` and `client-check` share about a run: its id and timestamps, and the --only/--skip
// match of a scenario by id or keyword.
#pragma once

#include <string>
#include <vector>

#include "scenario/ast.hpp"

namespace mailtls::cli {

// The current UTC time in strftime `format` ("%Y-%m-%dT%H:%M:%SZ": RFC 3339).
std::string utc_now(const char* format);
// "20261129T140512Z-3f2a": the UTC start and a random suffix; also the default results/ folder.
std::string make_run_id();
// True when one of `names` is the scenario's id or one of its keywords.
bool matches_any(const scenario::scenario& s, const std::vector<std::string>& names);

}  // namespace mailtls::cli
