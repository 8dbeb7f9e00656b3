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
#include <memory>
#include <optional>
#include <random>
#include <set>

#include "cli/catalogue.hpp"
#include "cli/reference_server.hpp"
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

bool matches_any(const scenario::scenario& s, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (s.id_ == n) return true;
    if (std::find(s.keywords_.begin(), s.keywords_.end(), n) != s.keywords_.end()) return true;
  }
  return false;
}

bool selected(const scenario::scenario& s, const check_options& o) {
  if (!o.only.empty() && !matches_any(s, o.only)) return false;
  return !matches_any(s, o.skip);
}

bool applies(const scenario::scenario& s, runner::service svc) {
  const auto name = runner::info(svc).name;
  return std::find(s.services_.begin(), s.services_.end(), name) != s.services_.end();
}

std::string utc_now(const char* format) {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string make_run_id() {
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(rd() & 0xffffu));
  return utc_now("%Y%m%dT%H%M%SZ") + "-" + suffix;
}

// A run interrupted by Ctrl-C must not leave the reference server it started behind.
std::atomic<int> reference_pid{0};
extern "C" void on_interrupt(int sig) {
  const int pid = reference_pid.load();
  if (pid > 0) ::kill(pid, SIGTERM);
  ::_exit(128 + sig);
}

struct planned {
  std::size_t file = 0;    // index into catalogue::files
  std::size_t target = 0;  // index into run::targets
};

}  // namespace

int run_check(const check_options& o) {
  const auto started = std::chrono::steady_clock::now();
  std::string error;
  auto creds = read_credentials(o, error);
  if (!creds) {
    std::cerr << "mailtls check: " << error << "\n";
    return exit_usage;
  }
  if (o.jobs == 0 || o.repeat == 0) {
    std::cerr << "mailtls check: --jobs and --repeat must be at least 1\n";
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

  // Targets.
  report::run run;
  run.run_id = make_run_id();
  run.started_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  run.tool_version = std::string("mailtls ") + MAILTLS_VERSION;
  run.profile = "default";
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
      // Room for --jobs connections from one address on every listener.
      const auto conns = std::to_string(std::max<std::size_t>(o.jobs * o.repeat + 16, 100));
      ro.extra_args = {"--max-connections-per-ip", conns, "--max-connections", conns};
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
    for (const auto& s : runner::all_services()) {
      const auto it = reference->ports.find(std::string(s.name));
      if (it == reference->ports.end()) continue;
      target_url t{s.id, reference->host, it->second};
      run.targets.push_back({t.text(), s.id, t.host, t.port});
    }
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
  std::vector<planned> plan;
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

  // Jobs (repeated for load measurement: the report keeps every run).
  std::vector<client::job> jobs;
  std::vector<std::size_t> job_case;
  const auto secrets = runner::secret_variable_names();
  const auto credential_names = runner::credential_variable_names();
  for (std::size_t rep = 0; rep < o.repeat; ++rep) {
    for (std::size_t i = 0; i < plan.size(); ++i) {
      const auto& p = plan[i];
      const auto& tgt = run.targets[p.target];
      const auto& scn = cat.files[p.file].parsed;
      runner::run_config cfg;
      cfg.target = tgt.svc;
      cfg.limits.step_timeout_ms = o.step_timeout_ms;
      cfg.variables = runner::standard_variables(
          tgt.host, tgt.port, tls.server_name.empty() ? tgt.host : tls.server_name, creds->user,
          creds->password);
      cfg.secret_variables = secrets;
      cfg.credential_variables = credential_names;
      client::job j;
      j.host = tgt.host;
      j.port = tgt.port;
      j.tls = tls;
      j.make_session = [&scn, cfg = std::move(cfg)]() -> std::unique_ptr<runner::client_session> {
        return std::make_unique<runner::interpreter>(scn, cfg);
      };
      jobs.push_back(std::move(j));
      job_case.push_back(i);
    }
  }

  run.cases.resize(jobs.size());
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    const auto& f = cat.files[plan[job_case[k]].file];
    auto& c = run.cases[k];
    c.scenario_id = f.parsed.id_;
    c.title = f.parsed.title_;
    c.file = f.display;
    c.severity = f.parsed.severity_ ? std::string(scenario::to_name(*f.parsed.severity_)) : "";
    c.refs = f.parsed.refs_;
    c.keywords = f.parsed.keywords_;
    c.target_index = plan[job_case[k]].target;
  }

  // Run; print each case line once every earlier case is done (deterministic order).
  auto console = report::detect_console(STDOUT_FILENO);
  const bool progress = !o.no_progress && ::isatty(STDERR_FILENO) != 0;
  std::vector<bool> done(jobs.size(), false);
  std::size_t next_print = 0, finished = 0;
  client::run_options ro;
  ro.jobs = o.jobs;
  client::run_all(jobs, ro, [&](std::size_t index, runner::scenario_result r) {
    run.cases[index].result = std::move(r);
    done[index] = true;
    ++finished;
    if (progress) std::cerr << "\r\033[K";
    while (next_print < done.size() && done[next_print]) {
      std::cout << report::case_line(run, run.cases[next_print], console);
      ++next_print;
    }
    std::cout.flush();
    if (progress) std::cerr << report::progress_line(finished, jobs.size()) << std::flush;
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
  std::cout << "time: " << run.duration_ms << " ms, " << jobs.size() << " runs, up to " << o.jobs
            << " at once, peak memory " << ru.ru_maxrss / 1024 << " MiB\n";
  return report::exit_status(run);
}

}  // namespace mailtls::cli
