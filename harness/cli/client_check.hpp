// `mailtls client-check --exec 'COMMAND {url}'`: judges a mail CLIENT. For every server-role
// scenario (`role: server`, scenarios/clients/) and each service it lists (or only --service), it
// starts the fake server on a loopback port, runs COMMAND once through /bin/sh -c with the
// placeholders substituted (shell-quoted), lets the scenario's interpreter play the server and
// judge what the client sends (credentials or mail in cleartext, data over a bad certificate,
// pipelining across STARTTLS), then kills the command's process group. Reports as `mailtls check`
// does (console, report.json, junit.xml, report.html: a target per fake-server run).
//
// Placeholders: {url} (smtp:// for smtp and submission, smtps://, pop3://, pop3s://, imap://,
// imaps://, then host:port), {host}, {port}, {ca} (the run CA's PEM file: what the client must
// trust), {user}, {password} (fixed test credentials), {service}.
//
// Exit status: 0 every scenario passed (skips allowed), 1 a scenario failed, 2 usage or
// configuration error, 3 harness error. The command runs under Boost.Process v2 (in its own
// process group, so that the shell and everything it started are killed together).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace mailtls::cli {

struct client_check_options {
  std::string exec;               // the client command, with placeholders
  std::string service;            // only this service; empty: every service each scenario lists
  std::vector<std::string> only;  // ids or keywords
  std::vector<std::string> skip;
  std::uint32_t step_timeout_ms = 5'000;  // each wait for the client (a line, a close, silence)
  std::string out;                        // report folder; default results/<run-id>
  bool no_reports = false;
  std::string hostname;     // {host} and the name in good certificates; default 127.0.0.1
  std::string scenarios;    // folder or file; default find_scenarios()
  std::string expect_file;  // --expect: a baseline of known outcomes (report/expectations.hpp)
  std::string command_line;
};

int run_client_check(const client_check_options& options);
// Registers `client-check` and its options on `app` (main.cpp); returns the subcommand.
CLI::App* add_client_check_command(CLI::App& app, client_check_options& options);

// The fixed test credentials the scenarios expect a client to try.
inline constexpr std::string_view client_check_user = "mailtls-user";
inline constexpr std::string_view client_check_password = "mailtls-Secret-42";

// 'text' for /bin/sh: single quotes, an embedded ' written as '\''.
std::string shell_quote(std::string_view text);
// `command` with every {name} of `values` replaced by the shell-quoted value; unknown {names} and
// other braces stay as written.
std::string substitute(std::string_view command, const std::map<std::string, std::string>& values);
// The URL scheme a client expects for a service: smtp and submission -> smtp, submissions ->
// smtps, pop3, pop3s, imap, imaps.
std::string_view url_scheme(std::string_view service);

}  // namespace mailtls::cli
