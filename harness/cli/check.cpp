#include "cli/check.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <set>

#include "cli/catalogue.hpp"
#include "cli/execute.hpp"
#include "cli/expect_option.hpp"
#include "cli/reference_server.hpp"
#include "cli/run_id.hpp"
#include "cli/target_url.hpp"
#include "client/driver.hpp"
#include "report/console.hpp"
#include "report/model.hpp"
#include "report/write.hpp"
#include "runner/interpreter.hpp"
#include "runner/variables.hpp"

namespace mailtls::cli {
namespace fs = std::filesystem;

namespace {

constexpr int exit_usage = 2;
constexpr int exit_harness = 3;

struct credentials {
  std::optional<std::string> user;
  std::optional<std::string> password;
};

// The password never comes from the command line: $MAILTLS_PASSWORD or the first line of a file.
std::optional<credentials> read_credentials(const check_options& o, std::string& error) {
  credentials c;
  if (!o.user.empty()) c.user = o.user;
  if (!o.password_file.empty()) {
    std::ifstream in(o.password_file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      error = o.password_file + ": cannot read a password from it";
      return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    c.password = line;
  } else if (const char* env = std::getenv("MAILTLS_PASSWORD"); env != nullptr && *env != '\0') {
    c.password = env;
  }
  if (c.user && !c.password) {
    error = "--user needs a password: set MAILTLS_PASSWORD or give --password-file";
    return std::nullopt;
  }
  if (c.password && !c.user) {
    error = "a password was given but no --user";
    return std::nullopt;
  }
  return c;
}

// Profiles are nested: rfc (MUST-level rules) < default (the seed port policy) < strict (SHOULDs
// and hardening). A scenario without `profile:` belongs to default.
int profile_rank(scenario::profile_kind p) {
  switch (p) {
    case scenario::profile_kind::rfc:
      return 0;
    case scenario::profile_kind::default_profile:
      return 1;
    case scenario::profile_kind::strict:
      return 2;
  }
  return 1;
}

bool selected(const scenario::scenario& s, const check_options& o) {
  // A scenario named by its id in --only runs whatever the profile.
  const bool named = std::find(o.only.begin(), o.only.end(), s.id_) != o.only.end();
  if (named) return !matches_any(s, o.skip);
  const auto wanted = scenario::profile_from_name(o.profile);
  const auto own = s.profile_.value_or(scenario::profile_kind::default_profile);
  if (wanted && profile_rank(own) > profile_rank(*wanted)) return false;
  if (!o.only.empty() && !matches_any(s, o.only)) return false;
  return !matches_any(s, o.skip);
}

bool applies(const scenario::scenario& s, runner::service svc) {
  const auto name = runner::info(svc).name;
  return std::find(s.services_.begin(), s.services_.end(), name) != s.services_.end();
}

// A run interrupted by Ctrl-C must not leave the reference server it started behind.
std::atomic<int> reference_pid{0};
extern "C" void on_interrupt(int sig) {
  const int pid = reference_pid.load();
  if (pid > 0) ::kill(pid, SIGTERM);
  ::_exit(128 + sig);
}

}  // namespace

int run_check(const check_options& o) {
  const auto started = std::chrono::steady_clock::now();
  const std::size_t jobs = o.jobs != 0 ? o.jobs : (o.urls.empty() ? 128 : 32);
  std::string error;
  auto creds = read_credentials(o, error);
  if (!creds) {
    std::cerr << "mailtls check: " << error << "\n";
    return exit_usage;
  }
  if (!scenario::profile_from_name(o.profile)) {
    std::cerr << "mailtls check: unknown profile '" << o.profile << "' (rfc, default or strict)\n";
    return exit_usage;
  }
  if (o.repeat == 0) {
    std::cerr << "mailtls check: --repeat must be at least 1\n";
    return exit_usage;
  }

  // Scenarios: any file that does not parse makes the whole run a usage error (file:line).
  const auto cat = load_catalogue(find_scenarios(o.scenarios));
  if (!cat.errors.empty()) {
    for (const auto& e : cat.errors)
      std::cerr << e << "\n";
    std::cerr << "mailtls check: the scenarios have errors (see `mailtls lint`)\n";
    return exit_usage;
  }

  // Expected outcomes (--expect): a syntax error is a usage error, before anything runs.
  std::optional<report::expectations> expected;
  if (!load_expectations(o.expect_file, "check", expected)) return exit_usage;

  // Targets.
  report::run run;
  run.run_id = make_run_id();
  run.started_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  run.tool_version = std::string("mailtls ") + MAILTLS_VERSION;
  run.profile = o.profile;
  run.command_line = o.command_line;
  client::tls_defaults tls;
  tls.ca_file = o.ca_file;
  tls.server_name = o.servername;
  tls.verify = !o.insecure;

  std::optional<reference_target> reference;
  bool started_reference = false;
  fs::path temp_state;
  if (!o.urls.empty() && !o.reference_state.empty()) {
    std::cerr << "mailtls check: give URLs or --reference-state, not both\n";
    return exit_usage;
  }
  if (!o.urls.empty()) {
    for (const auto& u : o.urls) {
      const auto t = parse_target_url(u, error);
      if (!t) {
        std::cerr << "mailtls check: " << error << "\n";
        return exit_usage;
      }
      run.targets.push_back({t->text(), t->svc, t->host, t->port});
    }
  } else {
    if (!o.reference_state.empty()) {
      reference = load_reference_state(o.reference_state, error);
      if (!reference) {
        std::cerr << "mailtls check: " << error << "\n";
        return exit_usage;
      }
    } else {
      char tmpl[] = "/tmp/mailtls-reference-XXXXXX";
      if (::mkdtemp(tmpl) == nullptr) {
        std::cerr << "mailtls check: cannot create a temporary folder\n";
        return exit_harness;
      }
      temp_state = tmpl;
      reference_options ro;
      ro.server_binary = find_server_binary(o.server_binary);
      ro.state_dir = temp_state;
      // A short idle timeout, so the `strict` idle-limit scenarios finish in seconds.
      ro.extra_args = {"--idle-timeout", "3"};
      if (jobs * o.repeat + 16 > 1000) {  // more than start_reference_server makes room for
        const auto conns = std::to_string(jobs * o.repeat + 16);
        ro.extra_args.insert(ro.extra_args.end(),
                             {"--max-connections-per-ip", conns, "--max-connections", conns});
      }
      std::cerr << "mailtls: starting the reference server " << ro.server_binary.string()
                << " (no URL given)\n";
      reference = start_reference_server(ro, error);
      if (!reference) {
        std::cerr << "mailtls check: " << error << "\n";
        fs::remove_all(temp_state);
        return exit_harness;
      }
      started_reference = true;
      reference_pid = reference->pid;
      std::signal(SIGINT, on_interrupt);
      std::signal(SIGTERM, on_interrupt);
    }
    add_reference_targets(run, *reference);
    if (tls.ca_file.empty()) tls.ca_file = reference->ca_file.string();
    if (tls.server_name.empty()) tls.server_name = reference->servername;
    if (!creds->user) {
      creds->user = reference->user;
      creds->password = reference->password;
    }
  }
  auto stop_reference = [&] {
    if (!started_reference) return;
    std::string e;
    reference_pid = 0;
    if (!stop_reference_server(temp_state, e)) std::cerr << "mailtls: " << e << "\n";
    std::error_code ec;
    fs::remove_all(temp_state, ec);
    started_reference = false;
  };

  // Plan: by target, then by scenario path; deterministic.
  std::vector<planned_case> plan;
  for (std::size_t t = 0; t < run.targets.size(); ++t) {
    for (std::size_t f = 0; f < cat.files.size(); ++f) {
      const auto& s = cat.files[f].parsed;
      if (applies(s, run.targets[t].svc) && selected(s, o)) plan.push_back({f, t});
    }
  }
  if (o.list) {
    for (const auto& p : plan) {
      const auto& f = cat.files[p.file];
      std::cout << run.targets[p.target].url << "  " << f.parsed.id_ << "  (" << f.display << ")\n";
    }
    std::cout << plan.size() << " scenario runs\n";
    stop_reference();
    return 0;
  }
  if (plan.empty()) {
    std::cerr << "mailtls check: no scenario applies to the targets with this selection\n";
    stop_reference();
    return exit_usage;
  }

  execution ex;
  ex.tls = tls;
  ex.user = creds->user;
  ex.password = creds->password;
  ex.step_timeout_ms = o.step_timeout_ms;
  ex.jobs = jobs;
  ex.repeat = o.repeat;

  // Run; print each case line once every earlier case is done (deterministic order).
  auto console = report::detect_console(STDOUT_FILENO);
  const bool progress = !o.no_progress && ::isatty(STDERR_FILENO) != 0;
  std::size_t next_print = 0;
  const auto connections =
      execute(run, cat, plan, ex, [&](std::size_t ready, std::size_t done, std::size_t total) {
        if (progress) std::cerr << "\r\033[K";
        for (; next_print < ready; ++next_print)
          std::cout << report::case_line(run, run.cases[next_print], console);
        std::cout.flush();
        if (progress) std::cerr << report::progress_line(done, total) << std::flush;
      });
  if (progress) std::cerr << "\r\033[K" << std::flush;
  stop_reference();

  run.duration_ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - started)
                                     .count());
  std::cout << "\n" << report::summary(run, console);

  if (!o.no_reports) {
    const fs::path dir = o.out.empty() ? fs::path("results") / run.run_id : fs::path(o.out);
    if (report::write_reports(run, dir, error)) {
      std::cerr << "mailtls check: " << error << "\n";
      return exit_harness;
    }
    std::cout << "reports: " << (dir / "report.html").string() << " "
              << (dir / "report.json").string() << " " << (dir / "junit.xml").string() << "\n";
  }
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  std::cout << "time: " << run.duration_ms << " ms, " << connections
            << (connections == 1 ? " connection" : " connections") << ", up to " << jobs
            << " at once, peak memory " << ru.ru_maxrss / 1024 << " MiB\n";
  // With a baseline (--expect), it decides the exit status.
  if (expected) return expectations_exit_status(run, *expected, std::cout);
  return report::exit_status(run);
}

}  // namespace mailtls::cli
