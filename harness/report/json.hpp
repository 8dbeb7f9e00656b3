// report.json: the machine-readable report of one run, described exactly by
// results/schema/report.schema.json (JSON Schema draft 2020-12; see results/README.md).
#pragma once

#include <string>

#include "report/model.hpp"

namespace mailtls::report {

// Bumped when a field changes meaning or disappears; adding optional fields keeps it.
inline constexpr int json_schema_version = 1;

// Pretty-printed (2-space indent, keys in a fixed order, trailing newline). Every string is made
// valid UTF-8 (a stray byte becomes `\xNN`), so the output is always valid JSON (RFC 8259).
std::string to_json(const run& r);

}  // namespace mailtls::report
