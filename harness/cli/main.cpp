// mailtls: the command line of the harness. Subcommands:
//   check [URL ...]        run the scenarios against servers (none: the bundled reference server)
//   lint [PATH ...]        parse and lint scenario files
//   list                   print the scenario catalogue (text or markdown)
//   reference start|stop   run the reference server in the background (the ctest fixture)
//   client-check --exec C  judge a mail client against a fake server (role: server scenarios)
//   mitm                   a STARTTLS man-in-the-middle proxy in front of a server
// Exit status: 0 success, 1 a scenario failed / lint problems, 2 usage or configuration error,
// 3 harness error.
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "cli/catalogue_commands.hpp"
#include "cli/check.hpp"
#include "cli/client_check.hpp"
#include "cli/mitm.hpp"
#include "cli/reference_server.hpp"
#include "cli/selftest.hpp"

namespace {

std::string joined_command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) s += ' ';
    s += argv[i];
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mailtls::cli;
  CLI::App app{"mailtls: conformance checks for e-mail over TLS (SMTP, POP3, IMAP, STARTTLS)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("mailtls ") + MAILTLS_VERSION);

  check_options co;
  auto* check = app.add_subcommand(
      "check",
      "run every applicable scenario against each URL (smtp:// submission:// submissions:// "
      "pop3:// pop3s:// imap:// imaps://, HOST[:PORT]); with no URL, against the bundled "
      "reference server");
  check->add_option("url", co.urls, "targets, e.g. submission://mail.example.org:587");
  check->add_option("--user", co.user,
                    "account for scenarios that log in; password from $MAILTLS_PASSWORD or "
                    "--password-file");
  check->add_option("--password-file", co.password_file, "file whose first line is the password")
      ->check(CLI::ExistingFile);
  check->add_option("--ca-file", co.ca_file, "PEM trust anchors (default: the system's)")
      ->check(CLI::ExistingFile);
  check->add_option("--servername", co.servername,
                    "name for SNI and certificate verification (default: the URL's host)");
  check->add_flag("--insecure", co.insecure,
                  "do not abort handshakes on certificate errors (still reported)");
  check->add_option("--only", co.only, "run only these scenario ids or keywords")->delimiter(',');
  check->add_option("--skip", co.skip, "skip these scenario ids or keywords")->delimiter(',');
  check->add_flag("--list", co.list, "print what would run, run nothing");
  check
      ->add_option("--profile", co.profile,
                   "rfc (MUST-level rules), default (the seed port policy) or strict (SHOULDs and "
                   "hardening too)")
      ->check(CLI::IsMember({"rfc", "default", "strict"}));
  check
      ->add_option("-j,--jobs", co.jobs,
                   "connections at once (default 128 for the bundled reference server, 32 "
                   "for URLs)")
      ->check(CLI::Range(1, 10000));
  check->add_option("--out", co.out, "report folder (default results/<run-id>)");
  check->add_flag("--no-reports", co.no_reports, "write no report files");
  check->add_flag("--no-progress", co.no_progress, "no progress bar on a terminal");
  check
      ->add_option("--timeout", co.step_timeout_ms,
                   "milliseconds to wait for each reply (default 5000)")
      ->check(CLI::Range(1, 600000));
  check->add_option("--scenarios", co.scenarios,
                    "scenario folder or file (default $MAILTLS_SCENARIOS or the bundled ones)");
  check->add_option("--reference-state", co.reference_state,
                    "use the reference server started by `mailtls reference start --state DIR`");
  check->add_option("--server-binary", co.server_binary, "the mailtls-server to start");
  check
      ->add_option("--expect", co.expect_file,
                   "file of expected outcomes (known failures); exit 0 only if the run matches it "
                   "exactly")
      ->check(CLI::ExistingFile);
  check->add_option("--repeat", co.repeat, "run every scenario N times (load measurement)")
      ->check(CLI::Range(1, 100000));

  std::vector<std::string> lint_paths;
  auto* lint = app.add_subcommand("lint", "parse and lint scenario files (default: all)");
  lint->add_option("path", lint_paths, "scenario files or folders");

  std::string list_scenarios, list_format = "text";
  auto* list = app.add_subcommand("list", "print the scenario catalogue");
  list->add_option("--format", list_format, "text or markdown");
  list->add_option("--scenarios", list_scenarios, "scenario folder");
  std::string list_check;
  list->add_option("--check", list_check,
                   "compare with this file instead of printing (exit 1 when it differs)");

  selftest_options so;
  auto* self = app.add_subcommand(
      "selftest",
      "prove the suite on the reference server: no false positives, every --inject-bug mode "
      "caught by the scenarios that claim it (`catches:`)");
  self->add_option("--bug", so.bugs, "only these bug modes")->delimiter(',');
  self->add_option("--scenarios", so.scenarios, "scenario folder");
  self->add_option("--server-binary", so.server_binary, "the mailtls-server to start");
  self->add_option("-j,--jobs", so.jobs, "scenarios at once (default 32)")
      ->check(CLI::Range(1, 1000));
  self->add_option("server-args", so.server_args, "extra mailtls-server arguments (after --)");

  mitm_options mo;
  auto* mitm = add_mitm_command(app, mo);

  client_check_options cco;  // `mailtls client-check` (harness/cli/client_check.cpp)
  auto* client_check = add_client_check_command(app, cco);

  std::string state_dir, server_binary;
  std::vector<std::string> server_args;
  auto* ref = app.add_subcommand("reference", "run the bundled reference server in the background");
  ref->require_subcommand(1);
  auto* ref_start = ref->add_subcommand(
      "start", "start mailtls-server on ephemeral loopback ports with a test account");
  ref_start->add_option("--state", state_dir, "state folder (created)")->required();
  ref_start->add_option("--server-binary", server_binary, "the mailtls-server to start");
  ref_start->add_option("server-args", server_args, "extra mailtls-server arguments (after --)");
  auto* ref_stop = ref->add_subcommand("stop", "stop the server of a state folder");
  ref_stop->add_option("--state", state_dir, "state folder")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (check->parsed()) {
    // --jobs 1000 needs 1,000 sockets at once: take the hard limit on open files.
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      ::setrlimit(RLIMIT_NOFILE, &rl);
    }
    co.command_line = joined_command_line(argc, argv);
    return run_check(co);
  }
  if (self->parsed()) return run_selftest(so);
  if (client_check->parsed()) {
    cco.command_line = joined_command_line(argc, argv);
    return run_client_check(cco);
  }
  if (mitm->parsed()) return run_mitm(mo);
  if (lint->parsed()) return run_lint(lint_paths);
  if (list->parsed()) return run_list(list_scenarios, list_format, list_check);
  if (ref_start->parsed()) {
    reference_options o;
    o.server_binary = find_server_binary(server_binary);
    o.state_dir = state_dir;
    o.extra_args = server_args;
    std::string error;
    const auto t = start_reference_server(o, error);
    if (!t) {
      std::cerr << "mailtls reference start: " << error << "\n";
      return 3;
    }
    std::cout << "reference server pid " << t->pid << " on " << t->host << ":";
    for (const auto& [name, port] : t->ports)
      std::cout << " " << name << "=" << port;
    std::cout << "\n";
    return 0;
  }
  if (ref_stop->parsed()) {
    std::string error;
    if (!stop_reference_server(state_dir, error)) {
      std::cerr << "mailtls reference stop: " << error << "\n";
      return 3;
    }
    return 0;
  }
  return 2;
}
