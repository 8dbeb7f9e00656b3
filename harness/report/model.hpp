// One run of `mailtls check`, as every report format sees it (console.hpp, json.hpp, junit.hpp,
// html.hpp). Plain data: the CLI fills it in; writers only read it. The JSON form is specified by
// results/schema/report.schema.json.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runner/result.hpp"
#include "runner/service.hpp"

namespace mailtls::report {

struct target {
  std::string url;  // "submission://127.0.0.1:5587"
  runner::service svc = runner::service::smtp;
  std::string host;
  std::uint16_t port = 0;
};

// One scenario run against one target.
struct case_result {
  std::string scenario_id;
  std::string title;
  std::string file;  // as given to the parser, e.g. "scenarios/smtp/smtp-ehlo.scn"
  std::string severity;
  std::vector<std::string> refs;
  std::vector<std::string> keywords;
  std::size_t target_index = 0;  // into run::targets
  runner::scenario_result result;
};

struct run {
  std::string run_id;      // "20261129T140512Z-3f2a": also the default results/ folder name
  std::string started_at;  // RFC 3339 UTC, "2026-11-29T14:05:12Z"
  std::uint64_t duration_ms = 0;
  std::string tool_version;  // "mailtls 0.1.0"
  std::string profile;       // "default"
  std::string command_line;  // argv joined, secrets never appear on it
  std::vector<target> targets;
  // Deterministic order: by target, then by scenario file path.
  std::vector<case_result> cases;
};

struct counts {
  std::size_t pass = 0, fail = 0, error = 0, skip = 0;
  std::size_t total() const { return pass + fail + error + skip; }
};
// Adds one outcome to the tally.
void add(counts& c, runner::outcome o);
counts count(const run& r);
counts count(const run& r, std::size_t target_index);

// Exit status of `mailtls check` (issue contract): 0 all passed (skips allowed), 1 a scenario
// failed, 3 a harness error (and nothing failed). 2 (usage) is decided before a run exists.
int exit_status(const run& r);

}  // namespace mailtls::report
