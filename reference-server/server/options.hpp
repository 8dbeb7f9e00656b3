// mailtls-server's settings: the seven services, listen specs, the config file.
//
// Every setting has one name, used both as a long command-line flag (--state-dir DIR) and as a
// config file key (state-dir = DIR), and one parser (apply_setting), so the two cannot drift.
// The command line is applied after the config file: scalar settings given on both take the
// command line's value, `listen` overrides per service, `domain` and `inject-bug` accumulate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/logger.hpp"
#include "session/bugs.hpp"

namespace mailtls::server::app {

enum class service : std::uint8_t { smtp, submission, submissions, pop3, pop3s, imap, imaps };
enum class protocol : std::uint8_t { smtp, pop3, imap };

struct service_info {
  service id;
  std::string_view name;  // "submissions": the --listen / --only / ports-file spelling
  std::uint16_t default_port;
  std::uint16_t standard_port;  // the IANA port the default stands in for (465, 993...)
  protocol proto;
  bool implicit_tls;  // RFC 8314 §3: TLS from the first byte
};

std::span<const service_info> all_services() noexcept;
const service_info& info(service s) noexcept;
std::optional<service> parse_service(std::string_view name) noexcept;

struct endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  bool operator==(const endpoint&) const = default;
};

struct listen_spec {
  service svc = service::smtp;
  endpoint where;
  bool operator==(const listen_spec&) const = default;
};

// NAME=HOST:PORT with NAME one of the services, HOST an IPv4 address, a name, or an IPv6 address
// in brackets ([::1]:5143), PORT 0-65535 (0: ephemeral). Nothing on error, with `error` set.
std::optional<listen_spec> parse_listen_spec(std::string_view text, std::string& error);

// One per-listener policy rule, `--policy SERVICE.RULE=on|off`, to model deployments that differ
// from the seed policy. The rules a service knows are listed by policy_rules().
struct policy_override {
  service svc = service::smtp;
  std::string rule;  // e.g. "require_tls"
  bool on = false;
  bool operator==(const policy_override&) const = default;
};

// The rule names each protocol accepts, in documentation order.
std::span<const std::string_view> policy_rules(protocol p) noexcept;

struct server_options {
  std::string state_dir = "./mailtls-state";
  std::map<service, endpoint> listen;  // every service, defaults filled in
  std::vector<service> only;           // empty: all seven
  std::string hostname = "mail.mailtls.test";
  std::vector<std::string> domains;  // local domains besides the accounts' ones
  std::string accounts_file;         // empty: <state_dir>/postfix-accounts.cf
  std::string cert_file;             // both empty: a private CA under <state_dir>/tls
  std::string key_file;
  std::string ports_file;  // empty: none written
  unsigned threads = 0;    // 0: hardware concurrency
  net::log_level log_level = net::log_level::info;
  std::vector<bug> bugs;  // in the order given, without duplicates
  std::size_t max_connections = 1000;
  std::size_t max_connections_per_ip = 50;
  std::uint64_t max_message_size = 10'240'000;
  std::uint32_t shutdown_timeout_ms = 10'000;
  // Idle timeout of every session of all three protocols; 0: each protocol's own default (SMTP 5
  // minutes, RFC 5321 §4.5.3.2.7; POP3 10 minutes, RFC 1939 §3; IMAP 30 minutes, RFC 9051 §5.4).
  // Shorter values exist to make the harness's idle-peer scenarios finish quickly.
  std::uint32_t idle_timeout_ms = 0;
  std::vector<policy_override> policy;  // applied in order over each service's seed policy

  server_options();
  std::string effective_accounts_file() const;
  bool enabled(service s) const;
  server::bug_set injected() const;
};

// The names apply_setting knows (also the long flags), in documentation order.
std::span<const std::string_view> setting_names() noexcept;

// Applies one setting. On error returns false and sets `error` (without location), e.g.
// "listen: unknown service 'smtps'". `inject-bug = list` is an error here (the CLI handles it).
bool apply_setting(server_options& opts, std::string_view key, std::string_view value,
                   std::string& error);

// `key = value` lines; blank lines and lines starting with '#' (after blanks) are ignored; keys
// and values are trimmed. Errors as "<file_name>:<line>: <message>".
bool parse_config_text(std::string_view text, std::string_view file_name, server_options& opts,
                       std::string& error);
bool load_config_file(const std::string& path, server_options& opts, std::string& error);

}  // namespace mailtls::server::app
