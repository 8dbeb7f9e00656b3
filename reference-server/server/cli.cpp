#include "server/cli.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "net/logger.hpp"
#include "server/mail_server.hpp"
#include "server/options.hpp"
#include "store/accounts.hpp"

namespace mailtls::server::app {
namespace {

constexpr const char* program = "mailtls-server";

const std::map<std::string_view, const char*>& help_texts() {
  static const std::map<std::string_view, const char*> h{
      {"state-dir", "state directory: mail, spool, TLS credentials (default ./mailtls-state)"},
      {"listen",
       "NAME=HOST:PORT, repeatable; NAME in smtp submission submissions pop3 pop3s "
       "imap imaps (defaults 127.0.0.1: 2525 5587 5465 5110 5995 5143 5993; 0 = "
       "ephemeral)"},
      {"only", "NAME,... run only these services"},
      {"hostname", "host name in greetings and the certificate (default mail.mailtls.test)"},
      {"domain", "local domain besides the accounts' domains, repeatable"},
      {"accounts", "accounts file, postfix-accounts.cf format (default STATE/postfix-accounts.cf)"},
      {"cert", "certificate chain PEM (with --key); default: a private CA under STATE/tls"},
      {"key", "private key PEM (with --cert)"},
      {"ports-file", "write {\"smtp\": PORT, ...} here once every listener is bound"},
      {"threads", "I/O threads (default: hardware concurrency)"},
      {"log-level", "debug, info, warn or error (default info)"},
      {"inject-bug", "NAME, repeatable: inject a known bug; 'list' prints them all"},
      {"max-connections", "connections per listener (default 1000)"},
      {"max-connections-per-ip", "connections per client address and listener (default 50)"},
      {"max-message-size", "octets (SMTP SIZE, IMAP APPEND; default 10240000)"},
      {"shutdown-timeout", "seconds to let sessions finish on SIGTERM (default 10)"},
      {"idle-timeout",
       "seconds a session may stay idle before it is closed, all protocols (default: SMTP 300, "
       "POP3 600, IMAP 1800)"},
      {"policy",
       "SERVICE.RULE=on|off, repeatable: change one rule of the seed policy (smtp-family: "
       "offer_starttls require_tls offer_auth require_auth_for_mail accept_local_delivery "
       "relay_for_authenticated offer_chunking; pop3/pop3s: require_tls_for_auth offer_user "
       "offer_sasl; imap/imaps: require_tls_for_login)"},
  };
  return h;
}

int add_user(const server_options& opts, const std::string& accounts, const std::string& pw_file,
             const std::string& address, std::ostream& out, std::ostream& err) {
  std::string password;
  if (!pw_file.empty()) {
    std::ifstream in(pw_file);
    if (!in) {
      err << program << ": error: " << pw_file << ": cannot open password file\n";
      return 2;
    }
    std::getline(in, password);
  } else {
    std::getline(std::cin, password);
  }
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
  if (password.empty()) {
    err << program << ": error: empty password\n";
    return 2;
  }
  if (!store::valid_account_address(address)) {
    err << program << ": error: invalid address '" << address << "' (expected user@domain)\n";
    return 2;
  }
  const std::string file = accounts.empty() ? opts.effective_accounts_file() : accounts;
  if (accounts.empty()) {
    std::error_code ec;  // the default file lives in the state directory: create it
    std::filesystem::create_directories(opts.state_dir, ec);
  }
  std::string message;
  if (auto ec = store::add_user(file, address, password, message)) {
    err << program << ": error: " << (message.empty() ? file + ": " + ec.message() : message)
        << "\n";
    return 1;
  }
  out << "added " << address << " to " << file << "\n";
  return 0;
}

}  // namespace

void print_bug_list(std::ostream& out) {
  std::size_t width = 0;
  for (const auto& b : all_bugs())
    width = std::max(width, b.name.size());
  for (const auto& b : all_bugs()) {
    out << "  " << b.name << std::string(width - b.name.size() + 2, ' ') << b.description << "\n";
  }
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"mailtls-server: the reference SMTP/POP3/IMAP server of the mailtls harness",
               program};
  std::string config_path;
  app.add_option("--config", config_path, "config file of 'key = value' lines (keys = flags)");
  std::map<std::string, std::vector<std::string>> values;
  for (auto name : setting_names()) {
    if (name == "config") continue;
    auto& v = values[std::string(name)];
    app.add_option("--" + std::string(name), v, help_texts().at(name));
  }
  auto* add = app.add_subcommand("add-user", "add or update an account; password from stdin");
  std::string add_accounts, add_password_file, add_address;
  add->add_option("--accounts", add_accounts, "accounts file (default STATE/postfix-accounts.cf)");
  add->add_option("--password-file", add_password_file, "read the password from this file");
  add->add_option("address", add_address, "user@domain")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? 0 : 2;
  }

  for (const auto& v : values["inject-bug"]) {
    if (v == "list") {
      out << "bug modes for --inject-bug (each reproduces a known class of mail/TLS bug):\n";
      print_bug_list(out);
      return 0;
    }
  }

  server_options opts;
  std::string error;
  if (!config_path.empty() && !load_config_file(config_path, opts, error)) {
    err << program << ": error: " << error << "\n";
    return 2;
  }
  for (auto name : setting_names()) {
    if (name == "config") continue;
    for (const auto& v : values[std::string(name)]) {
      if (!apply_setting(opts, name, v, error)) {
        err << program << ": error: --" << error << "\n";
        if (name == "inject-bug") print_bug_list(err);
        return 2;
      }
    }
  }
  if (add->parsed()) return add_user(opts, add_accounts, add_password_file, add_address, out, err);

  net::logger log(opts.log_level);
  int code = 0;
  auto srv = mail_server::create(opts, log, code, error);
  if (!srv) {
    err << program << ": error: " << error << "\n";
    return code;
  }
  if (!srv->ca_certificate().empty()) err << "CA certificate: " << srv->ca_certificate() << "\n";
  err.flush();
  srv->handle_signals();
  if (!srv->start(error)) {
    err << program << ": error: " << error << "\n";
    return 1;
  }
  srv->wait();
  return 0;
}

}  // namespace mailtls::server::app
