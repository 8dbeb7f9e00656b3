#include "cli/mitm.hpp"

#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <vector>

#include "cli/reference_server.hpp"
#include "cli/target_url.hpp"
#include "mitm/attack.hpp"
#include "mitm/net/proxy_server.hpp"

namespace mailtls::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr int exit_fail = 1;
constexpr int exit_usage = 2;
constexpr int exit_harness = 3;

// "127.0.0.1:0", "[::1]:2525" -> host, port.
bool parse_listen(const std::string& text, std::string& host, std::uint16_t& port) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) return false;
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) return false;
  const std::string digits = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

json::object to_json(const mitm::connection_report& r) {
  json::array findings;
  for (const mitm::finding& f : r.findings) {
    findings.push_back(json::object{
        {"at_ms", f.at_ms}, {"kind", std::string(mitm::to_name(f.kind))}, {"detail", f.detail}});
  }
  json::object o{{"index", r.index},
                 {"client", r.client},
                 {"started_ms", r.started_ms},
                 {"duration_ms", r.duration_ms},
                 {"verdict", std::string(mitm::to_name(r.verdict.outcome))},
                 {"reason", r.verdict.reason},
                 {"findings", std::move(findings)},
                 {"dropped_findings", r.dropped_findings}};
  if (!r.error.empty()) o["error"] = r.error;
  return o;
}

void print_report(const mitm::connection_report& r) {
  std::string verdict(mitm::to_name(r.verdict.outcome));
  for (char& ch : verdict)
    ch = static_cast<char>(ch - 'a' + 'A');
  std::cout << "#" << r.index << " " << r.client << " " << verdict << " " << r.verdict.reason
            << " (" << r.duration_ms << " ms)\n";
  for (const mitm::finding& f : r.findings)
    std::cout << "    " << mitm::to_string(f) << "\n";
  std::cout.flush();
}

}  // namespace

CLI::App* add_mitm_command(CLI::App& app, mitm_options& o) {
  auto* cmd = app.add_subcommand(
      "mitm",
      "a STARTTLS man-in-the-middle proxy: see what a client does when STARTTLS is stripped, "
      "refused, answered with injected replies or downgraded (docs/mitm.md)");
  cmd->add_option("--listen", o.listen,
                  "HOST:PORT to accept clients on (default 127.0.0.1:0: loopback, any free port)");
  cmd->add_option("--upstream", o.upstream,
                  "the real server, e.g. submission://mail.example.org:587 (default: start the "
                  "bundled reference server)");
  cmd->add_option("--service", o.service,
                  "with the bundled reference server: smtp, submission, submissions, pop3, "
                  "pop3s, imap or imaps (default smtp)");
  std::vector<std::string> names;
  for (const mitm::attack a : mitm::all_attacks())
    names.emplace_back(mitm::to_name(a));
  cmd->add_option("--attack", o.attack,
                  "none, strip-starttls, reject-starttls, inject-response, "
                  "tamper or downgrade (default none)")
      ->check(CLI::IsMember(names));
  cmd->add_option("--count", o.count, "stop after N client connections (default: until Ctrl-C)");
  cmd->add_option("--timeout", o.timeout_ms,
                  "milliseconds of silence in both directions before a connection is closed "
                  "(default 30000)")
      ->check(CLI::Range(1, 3'600'000));
  cmd->add_option("--out", o.out, "folder for report.json");
  cmd->add_option("--max-connections", o.max_connections, "clients proxied at once (default 64)")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--server-binary", o.server_binary, "the mailtls-server to start");
  return cmd;
}

int run_mitm(const mitm_options& o) {
  mitm::server_options so;
  if (!parse_listen(o.listen, so.listen_host, so.listen_port)) {
    std::cerr << "mailtls mitm: --listen wants HOST:PORT (e.g. 127.0.0.1:2525), not '" << o.listen
              << "'\n";
    return exit_usage;
  }
  const auto atk = mitm::attack_from_name(o.attack);
  if (!atk) {
    std::cerr << "mailtls mitm: unknown attack '" << o.attack << "'\n";
    return exit_usage;
  }
  std::string error;
  std::optional<target_url> target;
  if (!o.upstream.empty()) {
    target = parse_target_url(o.upstream, error);
    if (!target) {
      std::cerr << "mailtls mitm: " << error << "\n";
      return exit_usage;
    }
  } else {
    const auto svc = runner::service_from_name(o.service);
    if (!svc) {
      std::cerr << "mailtls mitm: unknown service '" << o.service << "'\n";
      return exit_usage;
    }
    target = target_url{*svc, "127.0.0.1", 0};
  }
  const runner::service_info& info = runner::info(target->svc);
  so.session.proto = info.proto;
  so.session.implicit_tls = info.implicit_tls;
  so.session.atk = *atk;
  so.session.idle_timeout_ms = o.timeout_ms;
  if (const std::error_code ec = mitm::check_config(so.session)) {
    std::cerr << "mailtls mitm: " << target->text() << ": " << ec.message() << "\n";
    return exit_usage;
  }

  // The bundled reference server, on ephemeral loopback ports, for as long as the proxy runs.
  fs::path temp_state;
  if (o.upstream.empty()) {
    char tmpl[] = "/tmp/mailtls-mitm-reference-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      std::cerr << "mailtls mitm: cannot create a temporary folder\n";
      return exit_harness;
    }
    temp_state = tmpl;
    reference_options ro;
    ro.server_binary = find_server_binary(o.server_binary);
    ro.state_dir = temp_state;
    std::cerr << "mailtls: starting the reference server " << ro.server_binary.string()
              << " (no --upstream given)\n";
    const auto ref = start_reference_server(ro, error);
    if (!ref) {
      std::cerr << "mailtls mitm: " << error << "\n";
      fs::remove_all(temp_state);
      return exit_harness;
    }
    target->port = ref->ports.at(std::string(info.name));
    target->host = ref->host;
  }
  auto stop_reference = [&] {
    if (temp_state.empty()) return;
    std::string e;
    if (!stop_reference_server(temp_state, e)) std::cerr << "mailtls: " << e << "\n";
    std::error_code ec;
    fs::remove_all(temp_state, ec);
    temp_state.clear();
  };

  so.upstream_host = target->host;
  so.upstream_port = target->port;
  so.count = o.count;
  so.max_connections = o.max_connections;
  so.stop_on_signals = true;
  auto server = mitm::proxy_server::open(so, error);
  if (!server) {
    std::cerr << "mailtls mitm: " << error << "\n";
    stop_reference();
    return exit_harness;
  }
  const std::string listening =
      (so.listen_host.find(':') != std::string::npos ? "[" + so.listen_host + "]"
                                                     : so.listen_host) +
      ":" + std::to_string(server->port());
  std::cout << "mailtls mitm: listening on " << listening << " -> " << target->text() << " (attack "
            << o.attack << ")\n";
  std::cout.flush();
  if (o.on_listening) o.on_listening(server->port());

  json::array connections;
  std::size_t pass = 0, fail = 0, errors = 0;
  server->run([&](const mitm::connection_report& r) {
    print_report(r);
    switch (r.verdict.outcome) {
      case mitm::verdict::pass:
        ++pass;
        break;
      case mitm::verdict::fail:
        ++fail;
        break;
      case mitm::verdict::error:
        ++errors;
        break;
    }
    if (!o.out.empty()) connections.push_back(to_json(r));
  });
  stop_reference();
  std::cout << pass + fail + errors
            << (pass + fail + errors == 1 ? " connection: " : " connections: ") << pass << " pass, "
            << fail << " fail, " << errors << " error\n";

  if (!o.out.empty()) {
    std::error_code ec;
    fs::create_directories(o.out, ec);
    const fs::path file = fs::path(o.out) / "report.json";
    std::ofstream f(file);
    json::object doc{{"tool", "mailtls mitm"},
                     {"attack", o.attack},
                     {"upstream", target->text()},
                     {"listen", listening},
                     {"summary", json::object{{"pass", pass}, {"fail", fail}, {"error", errors}}},
                     {"connections", std::move(connections)}};
    f << json::serialize(doc) << "\n";
    if (!f) {
      std::cerr << "mailtls mitm: cannot write " << file.string() << "\n";
      return exit_harness;
    }
  }
  return fail + errors == 0 ? 0 : exit_fail;
}

}  // namespace mailtls::cli
