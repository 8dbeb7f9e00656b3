#include "cli/execute.hpp"

#include <algorithm>
#include <memory>

#include "cli/target_url.hpp"
#include "runner/interpreter.hpp"
#include "runner/variables.hpp"

namespace mailtls::cli {

void add_reference_targets(report::run& run, const reference_target& ref) {
  for (const auto& s : runner::all_services()) {
    const auto it = ref.ports.find(std::string(s.name));
    if (it == ref.ports.end()) continue;
    const target_url t{s.id, ref.host, it->second};
    run.targets.push_back({t.text(), s.id, t.host, t.port});
  }
}

runner::scenario_result merge_repeated(std::vector<runner::scenario_result> runs) {
  if (runs.empty()) return {};
  if (runs.size() == 1) return std::move(runs.front());
  std::size_t pick = 0, not_passed = 0;
  std::uint64_t longest = 0;
  // fail > error > skip > pass: the most telling verdict wins, the earliest one among equals.
  auto rank = [](runner::outcome o) {
    switch (o) {
      case runner::outcome::fail:
        return 3;
      case runner::outcome::error:
        return 2;
      case runner::outcome::skip:
        return 1;
      case runner::outcome::pass:
        return 0;
    }
    return 0;
  };
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs[i].v.result != runner::outcome::pass) ++not_passed;
    if (rank(runs[i].v.result) > rank(runs[pick].v.result)) pick = i;
    longest = std::max(longest, runs[i].duration_ms);
  }
  auto r = std::move(runs[pick]);
  r.duration_ms = longest;
  r.v.notes.insert(r.v.notes.begin(),
                   std::to_string(runs.size()) +
                       " connections at once: " + std::to_string(not_passed) + " did not pass" +
                       (not_passed > 0 ? "; this is connection " + std::to_string(pick + 1) : ""));
  return r;
}

std::size_t execute(report::run& run, const catalogue& cat, const std::vector<planned_case>& plan,
                    const execution& ex, const progress_fn& on_progress) {
  const auto secrets = runner::secret_variable_names();
  const auto credentials = runner::credential_variable_names();
  std::vector<client::job> jobs;
  std::vector<std::size_t> job_case;  // job -> case index
  std::vector<std::size_t> pending;   // case -> connections still running
  run.cases.clear();
  for (std::size_t rep = 0; rep < ex.repeat; ++rep) {
    for (const auto& p : plan) {
      const auto& f = cat.files[p.file];
      const auto& scn = f.parsed;
      const auto& tgt = run.targets[p.target];
      report::case_result c;
      c.scenario_id = scn.id_;
      c.title = scn.title_;
      c.file = f.display;
      c.severity = scn.severity_ ? std::string(scenario::to_name(*scn.severity_)) : "";
      c.refs = scn.refs_;
      c.keywords = scn.keywords_;
      c.target_index = p.target;
      const std::size_t case_index = run.cases.size();
      run.cases.push_back(std::move(c));

      runner::run_config cfg;
      cfg.target = tgt.svc;
      cfg.limits.step_timeout_ms = ex.step_timeout_ms;
      cfg.variables = runner::standard_variables(
          tgt.host, tgt.port, ex.tls.server_name.empty() ? tgt.host : ex.tls.server_name, ex.user,
          ex.password);
      cfg.secret_variables = secrets;
      cfg.credential_variables = credentials;
      const std::size_t n = scn.repeat_.value_or(1);
      pending.push_back(n);
      for (std::size_t k = 0; k < n; ++k) {
        client::job j;
        j.host = tgt.host;
        j.port = tgt.port;
        j.tls = ex.tls;
        j.make_session = [&scn, cfg]() -> std::unique_ptr<runner::client_session> {
          return std::make_unique<runner::interpreter>(scn, cfg);
        };
        jobs.push_back(std::move(j));
        job_case.push_back(case_index);
      }
    }
  }

  std::vector<std::vector<runner::scenario_result>> partial(run.cases.size());
  std::vector<std::size_t> first_job(run.cases.size(), 0);
  for (std::size_t k = jobs.size(); k-- > 0;)
    first_job[job_case[k]] = k;
  std::size_t ready = 0, done = 0;
  client::run_options ro;
  ro.jobs = ex.jobs;
  // The driver's guard against a session that never finishes must outlast the longest scenario
  // deadline (`timeout:`, e.g. the idle-limit scenarios), with a margin.
  for (const auto& p : plan) {
    const std::uint32_t deadline =
        cat.files[p.file].parsed.timeout_ms_.value_or(runner::run_limits{}.scenario_timeout_ms);
    ro.hard_timeout_ms = std::max<std::uint32_t>(ro.hard_timeout_ms, deadline + 30'000);
  }
  client::run_all(jobs, ro, [&](std::size_t index, runner::scenario_result r) {
    const auto c = job_case[index];
    auto& parts = partial[c];
    // Keep connection order: slot = job index - the case's first job.
    const auto slot = index - first_job[c];
    if (parts.size() <= slot) parts.resize(slot + 1);
    parts[slot] = std::move(r);
    ++done;
    if (--pending[c] == 0) {
      run.cases[c].result = merge_repeated(std::move(parts));
    }
    while (ready < run.cases.size() && pending[ready] == 0)
      ++ready;
    if (on_progress) on_progress(ready, done, jobs.size());
  });
  return jobs.size();
}

}  // namespace mailtls::cli
