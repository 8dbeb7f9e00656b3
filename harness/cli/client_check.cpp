#include "cli/client_check.hpp"

// Boost 1.81's Process v2 with BOOST_PROCESS_USE_STD_FS names boost::optional and std type traits
// without including them (as in reference_server.cpp).
#include <boost/optional.hpp>
#include <type_traits>
// clang-format off
#include <boost/asio/io_context.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>
// clang-format on
#include <CLI/CLI.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <thread>

#include "cli/catalogue.hpp"
#include "cli/expect_option.hpp"
#include "cli/run_id.hpp"
#include "fake/interpreter.hpp"
#include "fake/net/fake_server.hpp"
#include "report/console.hpp"
#include "report/write.hpp"
#include "runner/text.hpp"
#include "tls/cert_kit.hpp"
#include "tls/credentials.hpp"

namespace mailtls::cli {
namespace bp = boost::process::v2;
namespace fs = std::filesystem;

namespace {

constexpr int exit_usage = 2;
constexpr int exit_harness = 3;

tls::presented_cert to_presented(scenario::cert_kind k) {
  switch (k) {
    case scenario::cert_kind::good:
      return tls::presented_cert::good;
    case scenario::cert_kind::self_signed:
      return tls::presented_cert::self_signed;
    case scenario::cert_kind::unknown_ca:
      return tls::presented_cert::unknown_ca;
    case scenario::cert_kind::wrong_name:
      return tls::presented_cert::wrong_name;
    case scenario::cert_kind::expired:
      return tls::presented_cert::expired;
    case scenario::cert_kind::wildcard_mismatch:
      return tls::presented_cert::wildcard_mismatch;
  }
  return tls::presented_cert::good;
}

std::optional<tls::tls_version> to_version(runner::tls_version_limit v) {
  switch (v) {
    case runner::tls_version_limit::any:
      return std::nullopt;
    case runner::tls_version_limit::tls1_0:
      return tls::tls_version::tls1_0;
    case runner::tls_version_limit::tls1_1:
      return tls::tls_version::tls1_1;
    case runner::tls_version_limit::tls1_2:
      return tls::tls_version::tls1_2;
    case runner::tls_version_limit::tls1_3:
      return tls::tls_version::tls1_3;
  }
  return std::nullopt;
}

// The last `n` non-empty lines of a file (at most 64 KiB read from its end).
std::vector<std::string> last_lines(const fs::path& p, std::size_t n) {
  std::ifstream in(p, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const auto size = static_cast<std::streamoff>(in.tellg());
  const std::streamoff take = std::min<std::streamoff>(size, 64 * 1024);
  in.seekg(size - take);
  std::string text(static_cast<std::size_t>(take), '\0');
  in.read(text.data(), take);
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    auto nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    auto line = text.substr(at, nl - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    at = nl + 1;
  }
  if (lines.size() > n) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(n));
  return lines;
}

// Boost.Process v2 initializer: the child (/bin/sh) leads a new process group, so that it and
// everything it starts can be signalled at once (kill(-pgid)).
struct new_process_group {
  template <class Launcher>
  boost::system::error_code on_exec_setup(Launcher&, const bp::filesystem::path&,
                                          const char* const*&) {
    if (::setpgid(0, 0) != 0) return {errno, boost::system::system_category()};
    return {};
  }
};

// What happened to the client command.
struct command_outcome {
  bool started = false;
  std::string start_error;
  std::string status;  // "exit 0", "exit 67", "killed by signal 15 after the scenario"
};

class client_process {
 public:
  client_process(const std::string& command, const fs::path& out_file, const fs::path& err_file) {
    out_ = std::fopen(out_file.c_str(), "wb");
    err_ = std::fopen(err_file.c_str(), "wb");
    if (out_ == nullptr || err_ == nullptr) {
      error_ = "cannot create " + err_file.string();
      return;
    }
    try {
      proc_.emplace(ctx_, "/bin/sh", std::vector<std::string>{"-c", command},
                    bp::process_stdio{nullptr, out_, err_}, new_process_group{});
    } catch (const std::exception& e) {  // Boost.Process reports a failed launch by throwing
      error_ = e.what();
    }
  }
  ~client_process() {
    stop(0);
    if (out_ != nullptr) std::fclose(out_);
    if (err_ != nullptr) std::fclose(err_);
  }
  client_process(const client_process&) = delete;
  client_process& operator=(const client_process&) = delete;

  bool started() const { return proc_.has_value(); }
  const std::string& error() const { return error_; }

  // True once the command (the shell) has exited; its status is then kept.
  bool exited() {
    if (!proc_ || exited_) return exited_ || !proc_;
    boost::system::error_code ec;
    if (!proc_->running(ec)) {
      exited_ = true;
      status_ = proc_->native_exit_code();
    }
    return exited_;
  }

  // Waits up to `grace_ms` for the command to exit by itself, then signals its process group
  // (SIGTERM, then SIGKILL) and reaps it. Returns what happened.
  std::string stop(std::uint32_t grace_ms) {
    if (!proc_) return "not started";
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
    while (!exited() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto pgid = static_cast<pid_t>(proc_->id());
    std::string how;
    if (!exited()) {
      ::kill(-pgid, SIGTERM);
      const auto hard = std::chrono::steady_clock::now() + std::chrono::milliseconds(1000);
      while (!exited() && std::chrono::steady_clock::now() < hard)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!exited()) {
        ::kill(-pgid, SIGKILL);
        boost::system::error_code ec;
        proc_->wait(ec);
        exited_ = true;
        status_ = proc_->native_exit_code();
      }
      how = " (killed after the scenario)";
    }
    // Whatever the shell started and left behind goes too.
    ::kill(-pgid, SIGKILL);
    if (WIFEXITED(status_)) return "exit " + std::to_string(WEXITSTATUS(status_)) + how;
    if (WIFSIGNALED(status_)) return "signal " + std::to_string(WTERMSIG(status_)) + how;
    return "status " + std::to_string(status_) + how;
  }

 private:
  boost::asio::io_context ctx_;
  std::optional<bp::process> proc_;
  std::FILE* out_ = nullptr;
  std::FILE* err_ = nullptr;
  std::string error_;
  bool exited_ = false;
  int status_ = 0;
};

}  // namespace

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

std::string substitute(std::string_view command, const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t i = 0;
  while (i < command.size()) {
    if (command[i] == '{') {
      const auto close = command.find('}', i + 1);
      if (close != std::string_view::npos) {
        const auto it = values.find(std::string(command.substr(i + 1, close - i - 1)));
        if (it != values.end()) {
          out += shell_quote(it->second);
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(command[i]);
    ++i;
  }
  return out;
}

std::string_view url_scheme(std::string_view service) {
  if (service == "smtp" || service == "submission") return "smtp";
  if (service == "submissions") return "smtps";
  return service;
}

int run_client_check(const client_check_options& o) {
  const auto started = std::chrono::steady_clock::now();
  if (o.exec.empty()) {
    std::cerr << "mailtls client-check: --exec COMMAND is required\n";
    return exit_usage;
  }
  if (!o.service.empty() && !runner::service_from_name(o.service)) {
    std::cerr << "mailtls client-check: unknown service '" << o.service
              << "' (smtp submission submissions pop3 pop3s imap imaps)\n";
    return exit_usage;
  }
  std::optional<report::expectations> expected;
  if (!load_expectations(o.expect_file, "client-check", expected)) return exit_usage;
  const auto cat = load_catalogue(find_scenarios(o.scenarios), role_filter::server);
  if (!cat.errors.empty()) {
    for (const auto& e : cat.errors)
      std::cerr << e << "\n";
    return exit_usage;
  }

  // Plan: every (scenario, service) pair, in file order.
  struct planned {
    std::size_t file;
    runner::service svc;
  };
  std::vector<planned> plan;
  for (std::size_t f = 0; f < cat.files.size(); ++f) {
    const auto& s = cat.files[f].parsed;
    if (!o.only.empty() && !matches_any(s, o.only)) continue;
    if (matches_any(s, o.skip)) continue;
    for (const auto& name : s.services_) {
      const auto svc = runner::service_from_name(name);
      if (!svc || (!o.service.empty() && name != o.service)) continue;
      plan.push_back({f, *svc});
    }
  }
  if (plan.empty()) {
    std::cerr << "mailtls client-check: no client scenario (role: server) matches\n";
    return exit_usage;
  }

  report::run run;
  run.run_id = make_run_id();
  run.started_at = utc_now("%Y-%m-%dT%H:%M:%SZ");
  run.tool_version = std::string("mailtls ") + MAILTLS_VERSION;
  run.profile = "client";
  run.command_line = o.command_line;
  const fs::path dir = o.out.empty() ? fs::path("results") / run.run_id : fs::path(o.out);
  std::error_code fec;
  fs::create_directories(dir / "client-output", fec);
  if (fec) {
    std::cerr << "mailtls client-check: cannot create " << dir.string() << ": " << fec.message()
              << "\n";
    return exit_harness;
  }

  const std::string host = o.hostname.empty() ? "127.0.0.1" : o.hostname;
  auto kit = tls::cert_kit::make(host);
  if (!kit) {
    std::cerr << "mailtls client-check: cannot make the run CA: " << kit.detail << "\n";
    return exit_harness;
  }
  const fs::path ca_path = fs::absolute(dir / "ca.pem");
  {
    std::string error;
    if (report::write_file_atomically(ca_path, kit->ca().certificate_pem, error)) {
      std::cerr << "mailtls client-check: " << error << "\n";
      return exit_harness;
    }
  }
  const std::string user(client_check_user), password(client_check_password);

  auto console = report::detect_console(STDOUT_FILENO);
  for (const auto& p : plan) {
    const auto& file = cat.files[p.file];
    const auto& s = file.parsed;
    const auto svc_name = std::string(runner::info(p.svc).name);

    fake::net::server_options so;
    so.accept_timeout_ms = std::max<std::uint32_t>(10'000, o.step_timeout_ms);
    so.hard_timeout_ms = s.timeout_ms_.value_or(60'000) + 10'000;
    std::string error;
    auto server = fake::net::fake_server::open(so, error);
    if (!server) {
      std::cerr << "mailtls client-check: " << error << "\n";
      return exit_harness;
    }
    report::target t;
    t.svc = p.svc;
    t.host = host;
    t.port = server->port();
    t.url = std::string(url_scheme(svc_name)) + "://" + host + ":" + std::to_string(t.port);
    run.targets.push_back(t);

    fake::run_config rc;
    rc.target = p.svc;
    rc.limits.step_timeout_ms = o.step_timeout_ms;
    rc.limits.scenario_timeout_ms = 60'000;
    rc.variables = runner::standard_variables(host, t.port, host, user, password);
    rc.secret_variables = runner::secret_variable_names();
    fake::interpreter interp(s, rc);

    const std::map<std::string, std::string> values = {
        {"url", t.url},           {"host", host}, {"port", std::to_string(t.port)},
        {"ca", ca_path.string()}, {"user", user}, {"password", password},
        {"service", svc_name}};
    const std::string command = substitute(o.exec, values);
    const auto base = dir / "client-output" / (s.id_ + "." + svc_name);
    client_process proc(command, base.string() + ".stdout", base.string() + ".stderr");

    runner::scenario_result result;
    if (!proc.started()) {
      result.v.result = runner::outcome::error;
      result.v.reason = "cannot run the client command: " + proc.error();
    } else {
      result = server->serve_one(
          interp,
          [&](const fake::start_tls& a) {
            auto min = to_version(a.min).value_or(tls::tls_version::tls1_2);
            auto max = to_version(a.max).value_or(tls::tls_version::tls1_3);
            if (!to_version(a.min) && max < min) min = max;
            if (!to_version(a.max) && max < min) max = min;
            return kit->server_context(to_presented(a.cert), min, max);
          },
          [&] { return proc.exited(); });
    }
    const auto status = proc.stop(2'000);
    result.v.notes.push_back("client command: " + status);
    for (auto& line : last_lines(base.string() + ".stderr", 3)) {
      result.v.notes.push_back("client stderr: " +
                               runner::redact(line, rc.variables, rc.secret_variables));
    }
    report::case_result c;
    c.scenario_id = s.id_;
    c.title = s.title_;
    c.file = file.display;
    c.severity = s.severity_ ? std::string(scenario::to_name(*s.severity_)) : "";
    c.refs = s.refs_;
    c.keywords = s.keywords_;
    c.target_index = run.targets.size() - 1;
    c.result = std::move(result);
    run.cases.push_back(std::move(c));
    std::cout << report::case_line(run, run.cases.back(), console) << std::flush;
  }

  run.duration_ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - started)
                                     .count());
  std::cout << "\n" << report::summary(run, console);
  if (!o.no_reports) {
    std::string error;
    if (report::write_reports(run, dir, error)) {
      std::cerr << "mailtls client-check: " << error << "\n";
      return exit_harness;
    }
    std::cout << "reports: " << (dir / "report.html").string() << " "
              << (dir / "report.json").string() << " " << (dir / "junit.xml").string() << "\n";
  }
  // With a baseline (--expect), it decides the exit status.
  if (expected) return expectations_exit_status(run, *expected, std::cout);
  return report::exit_status(run);
}

}  // namespace mailtls::cli

namespace mailtls::cli {

CLI::App* add_client_check_command(CLI::App& app, client_check_options& o) {
  auto* cmd = app.add_subcommand(
      "client-check",
      "judge a mail client: run COMMAND once per client scenario (role: server) against a fake "
      "server on loopback, with {url} {host} {port} {ca} {user} {password} {service} substituted");
  cmd->add_option("--exec", o.exec, "the client command, e.g. 'curl --ssl-reqd {url} ...'")
      ->required();
  cmd->add_option("--service", o.service,
                  "only this service (smtp submission submissions pop3 pop3s imap imaps); "
                  "default: every service each scenario lists");
  cmd->add_option("--only", o.only, "run only these scenario ids or keywords")->delimiter(',');
  cmd->add_option("--skip", o.skip, "skip these scenario ids or keywords")->delimiter(',');
  cmd->add_option("--timeout", o.step_timeout_ms,
                  "milliseconds to wait for the client at each step (default 5000)")
      ->check(CLI::Range(1, 600000));
  cmd->add_option("--out", o.out, "report folder (default results/<run-id>)");
  cmd->add_flag("--no-reports", o.no_reports, "write no report files");
  cmd->add_option("--expect", o.expect_file,
                  "file of expected outcomes (documented client behaviour); exit 0 only if the run "
                  "matches it exactly")
      ->check(CLI::ExistingFile);
  cmd->add_option("--hostname", o.hostname,
                  "{host}, and the name good certificates are issued for (default 127.0.0.1)");
  cmd->add_option("--scenarios", o.scenarios,
                  "scenario folder or file (default $MAILTLS_SCENARIOS or the bundled ones)");
  return cmd;
}

}  // namespace mailtls::cli
