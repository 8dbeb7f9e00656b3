#include "cli/selftest.hpp"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "cli/catalogue.hpp"
#include "cli/execute.hpp"
#include "cli/reference_server.hpp"

namespace mailtls::cli {
namespace fs = std::filesystem;

namespace {

bool applies(const scenario::scenario& s, runner::service svc) {
  const auto name = runner::info(svc).name;
  return std::find(s.services_.begin(), s.services_.end(), name) != s.services_.end();
}

// One reference server with `bug` (empty: none) in a temporary folder, the scenarios `only`
// (empty: all) run against its seven services. Nothing when the server cannot start.
std::optional<report::run> run_against(const selftest_options& o, const catalogue& cat,
                                       const std::string& bug, const std::set<std::size_t>& only) {
  char tmpl[] = "/tmp/mailtls-selftest-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) {
    std::cerr << "mailtls selftest: cannot create a temporary folder\n";
    return std::nullopt;
  }
  const fs::path dir = tmpl;
  reference_options ro;
  ro.server_binary = find_server_binary(o.server_binary);
  ro.state_dir = dir;
  ro.extra_args = o.server_args;
  if (!bug.empty()) {
    ro.extra_args.push_back("--inject-bug");
    ro.extra_args.push_back(bug);
  }
  std::string error;
  const auto ref = start_reference_server(ro, error);
  if (!ref) {
    std::cerr << "mailtls selftest: " << error << "\n";
    std::error_code ec;
    fs::remove_all(dir, ec);
    return std::nullopt;
  }
  report::run run;
  add_reference_targets(run, *ref);
  std::vector<planned_case> plan;
  for (std::size_t t = 0; t < run.targets.size(); ++t) {
    for (std::size_t f = 0; f < cat.files.size(); ++f) {
      if ((only.empty() || only.contains(f)) && applies(cat.files[f].parsed, run.targets[t].svc)) {
        plan.push_back({f, t});
      }
    }
  }
  execution ex;
  ex.tls.ca_file = ref->ca_file.string();
  ex.tls.server_name = ref->servername;
  ex.user = ref->user;
  ex.password = ref->password;
  ex.jobs = o.jobs;
  execute(run, cat, plan, ex, {});
  if (!stop_reference_server(dir, error)) std::cerr << "mailtls selftest: " << error << "\n";
  std::error_code ec;
  fs::remove_all(dir, ec);
  return run;
}

std::string where(const report::run& run, const report::case_result& c) {
  return std::string(runner::info(run.targets[c.target_index].svc).name) + " " + c.scenario_id;
}

}  // namespace

int run_selftest(const selftest_options& o) {
  const auto cat = load_catalogue(find_scenarios(o.scenarios));
  if (!cat.errors.empty()) {
    for (const auto& e : cat.errors)
      std::cerr << e << "\n";
    return 2;
  }
  std::string error;
  const auto modes = list_bug_modes(find_server_binary(o.server_binary), error);
  if (!modes) {
    std::cerr << "mailtls selftest: " << error << "\n";
    return 3;
  }
  bool ok = true;

  // 1. Coverage, both ways.
  std::map<std::string, std::set<std::size_t>> catchers;  // mode -> scenario files
  for (std::size_t f = 0; f < cat.files.size(); ++f) {
    for (const auto& m : cat.files[f].parsed.catches_) {
      if (std::find(modes->begin(), modes->end(), m) == modes->end()) {
        std::cout << "FAIL  " << cat.files[f].display << ": catches '" << m
                  << "', which is not a bug mode of mailtls-server\n";
        ok = false;
      }
      catchers[m].insert(f);
    }
  }
  for (const auto& m : *modes) {
    if (!catchers.contains(m)) {
      std::cout << "FAIL  bug mode " << m << ": no scenario catches it (add `catches: " << m
                << "` to the scenario that fails on it)\n";
      ok = false;
    }
  }
  for (const auto& b : o.bugs) {
    if (std::find(modes->begin(), modes->end(), b) == modes->end()) {
      std::cerr << "mailtls selftest: unknown bug mode '" << b << "'\n";
      return 2;
    }
  }

  // 2. No false positives on the clean server.
  if (o.bugs.empty()) {
    const auto clean = run_against(o, cat, "", {});
    if (!clean) return 3;
    const auto c = report::count(*clean);
    for (const auto& k : clean->cases) {
      if (k.result.v.result == runner::outcome::fail ||
          k.result.v.result == runner::outcome::error) {
        std::cout << "FAIL  no bug injected, yet " << where(*clean, k) << ": " << k.result.v.reason
                  << " (" << k.result.v.file << ":" << k.result.v.line << ")\n";
        ok = false;
      }
    }
    std::cout << (c.fail + c.error == 0 ? "PASS  " : "FAIL  ") << "clean server: " << c.pass
              << " pass, " << c.fail << " fail, " << c.error << " error, " << c.skip << " skip\n";
  }

  // 3. Each bug is caught by the scenarios that say they catch it.
  std::size_t caught = 0, tried = 0;
  for (const auto& m : *modes) {
    if (!o.bugs.empty() && std::find(o.bugs.begin(), o.bugs.end(), m) == o.bugs.end()) continue;
    const auto it = catchers.find(m);
    if (it == catchers.end()) continue;
    ++tried;
    const auto run = run_against(o, cat, m, it->second);
    if (!run) return 3;
    std::vector<std::string> missed, hits;
    for (const auto f : it->second) {
      bool failed = false;
      for (const auto& k : run->cases) {
        if (k.file == cat.files[f].display && k.result.v.result == runner::outcome::fail) {
          failed = true;
        }
      }
      (failed ? hits : missed).push_back(cat.files[f].parsed.id_);
    }
    if (missed.empty()) ++caught;
    std::cout << (missed.empty() ? "PASS  " : "FAIL  ") << m << ": caught by";
    for (const auto& h : hits)
      std::cout << " " << h;
    if (!missed.empty()) {
      ok = false;
      std::cout << "; NOT caught by";
      for (const auto& s : missed)
        std::cout << " " << s;
    }
    std::cout << "\n";
  }
  std::cout << "mutation score: " << caught << "/" << tried << " bug modes caught by every "
            << "scenario that claims them; " << modes->size() << " modes, " << cat.files.size()
            << " scenarios\n";
  return ok ? 0 : 1;
}

}  // namespace mailtls::cli
