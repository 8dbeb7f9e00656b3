#include "server/options.hpp"

#include <algorithm>

#include <array>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>

namespace mailtls::server::app {
namespace {

constexpr std::array<service_info, 7> services{{
    {service::smtp, "smtp", 2525, 25, protocol::smtp, false},
    {service::submission, "submission", 5587, 587, protocol::smtp, false},
    {service::submissions, "submissions", 5465, 465, protocol::smtp, true},
    {service::pop3, "pop3", 5110, 110, protocol::pop3, false},
    {service::pop3s, "pop3s", 5995, 995, protocol::pop3, true},
    {service::imap, "imap", 5143, 143, protocol::imap, false},
    {service::imaps, "imaps", 5993, 993, protocol::imap, true},
}};

constexpr std::array<std::string_view, 19> names{
    "state-dir",
    "listen",
    "only",
    "hostname",
    "domain",
    "accounts",
    "cert",
    "key",
    "ports-file",
    "threads",
    "log-level",
    "inject-bug",
    "max-connections",
    "max-connections-per-ip",
    "max-message-size",
    "shutdown-timeout",
    "idle-timeout",
    "policy",
    "config",
};

// The session config switches each protocol exposes (reference-server/session/<p>/config.hpp).
constexpr std::array<std::string_view, 7> smtp_rules{
    "offer_starttls",        "require_tls",           "offer_auth",
    "require_auth_for_mail", "accept_local_delivery", "relay_for_authenticated",
    "offer_chunking"};
constexpr std::array<std::string_view, 3> pop3_rules{"require_tls_for_auth", "offer_user",
                                                     "offer_sasl"};
constexpr std::array<std::string_view, 1> imap_rules{"require_tls_for_login"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

template <class T>
bool parse_number(std::string_view text, T& out, T min, T max) {
  T v{};
  const auto* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (text.empty() || r.ec != std::errc{} || r.ptr != end || v < min || v > max) return false;
  out = v;
  return true;
}

std::string quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

}  // namespace

std::span<const service_info> all_services() noexcept {
  return services;
}

const service_info& info(service s) noexcept {
  return services[static_cast<std::size_t>(s)];
}

std::optional<service> parse_service(std::string_view name) noexcept {
  for (const auto& s : services) {
    if (s.name == name) return s.id;
  }
  return std::nullopt;
}

std::optional<listen_spec> parse_listen_spec(std::string_view text, std::string& error) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    error = "expected NAME=HOST:PORT, got " + quoted(text);
    return std::nullopt;
  }
  const auto name = text.substr(0, eq);
  const auto svc = parse_service(name);
  if (!svc) {
    error = "unknown service " + quoted(name) +
            " (expected smtp, submission, submissions, pop3, pop3s, imap or imaps)";
    return std::nullopt;
  }
  auto rest = text.substr(eq + 1);
  listen_spec spec;
  spec.svc = *svc;
  std::string_view host, port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      error = "expected [IPV6]:PORT, got " + quoted(rest);
      return std::nullopt;
    }
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      error = "expected HOST:PORT, got " + quoted(rest);
      return std::nullopt;
    }
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      error = "an IPv6 address needs brackets: [" + std::string(host) + "]:PORT";
      return std::nullopt;
    }
  }
  if (host.empty()) {
    error = "empty host in " + quoted(text);
    return std::nullopt;
  }
  std::uint16_t p = 0;
  if (!parse_number<std::uint16_t>(port, p, 0, 65535)) {
    error = "invalid port " + quoted(port) + " (0-65535)";
    return std::nullopt;
  }
  spec.where = endpoint{std::string(host), p};
  return spec;
}

server_options::server_options() {
  for (const auto& s : services)
    listen[s.id] = endpoint{"127.0.0.1", s.default_port};
}

std::string server_options::effective_accounts_file() const {
  return accounts_file.empty() ? state_dir + "/postfix-accounts.cf" : accounts_file;
}

bool server_options::enabled(service s) const {
  if (only.empty()) return true;
  for (auto o : only) {
    if (o == s) return true;
  }
  return false;
}

server::bug_set server_options::injected() const {
  server::bug_set set;
  for (auto b : bugs)
    set.add(b);
  return set;
}

std::span<const std::string_view> policy_rules(protocol p) noexcept {
  switch (p) {
    case protocol::smtp:
      return smtp_rules;
    case protocol::pop3:
      return pop3_rules;
    case protocol::imap:
      return imap_rules;
  }
  return {};
}

std::span<const std::string_view> setting_names() noexcept {
  return names;
}

bool apply_setting(server_options& opts, std::string_view key, std::string_view value,
                   std::string& error) {
  const auto fail = [&](std::string why) {
    error = std::string(key) + ": " + why;
    return false;
  };
  const auto need_value = [&] { return !value.empty(); };
  if (key == "state-dir" || key == "hostname" || key == "accounts" || key == "cert" ||
      key == "key" || key == "ports-file") {
    if (!need_value()) return fail("empty value");
    std::string v(value);
    if (key == "state-dir") opts.state_dir = v;
    if (key == "hostname") opts.hostname = v;
    if (key == "accounts") opts.accounts_file = v;
    if (key == "cert") opts.cert_file = v;
    if (key == "key") opts.key_file = v;
    if (key == "ports-file") opts.ports_file = v;
    return true;
  }
  if (key == "listen") {
    std::string why;
    auto spec = parse_listen_spec(value, why);
    if (!spec) return fail(why);
    opts.listen[spec->svc] = spec->where;
    return true;
  }
  if (key == "only") {
    std::vector<service> list;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto item = trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      const auto s = parse_service(item);
      if (!s) return fail("unknown service " + quoted(item));
      bool dup = false;
      for (auto x : list)
        dup = dup || x == *s;
      if (!dup) list.push_back(*s);
    }
    if (list.empty()) return fail("no service named");
    opts.only = std::move(list);
    return true;
  }
  if (key == "domain") {
    if (!need_value() || value.find_first_of(" \t@") != std::string_view::npos) {
      return fail("invalid domain " + quoted(value));
    }
    opts.domains.emplace_back(value);
    return true;
  }
  if (key == "threads") {
    if (!parse_number<unsigned>(value, opts.threads, 0, 1024)) return fail("expected 0-1024");
    return true;
  }
  if (key == "log-level") {
    auto l = net::parse_log_level(value);
    if (!l) return fail("expected debug, info, warn or error, got " + quoted(value));
    opts.log_level = *l;
    return true;
  }
  if (key == "inject-bug") {
    auto b = parse_bug(value);
    if (!b) return fail("unknown bug " + quoted(value) + " (--inject-bug list shows them)");
    for (auto x : opts.bugs) {
      if (x == *b) return true;
    }
    opts.bugs.push_back(*b);
    return true;
  }
  if (key == "policy") {
    // SERVICE.RULE=on|off
    const auto dot = value.find('.');
    const auto eq = value.find('=');
    if (dot == std::string_view::npos || eq == std::string_view::npos || eq < dot) {
      return fail("expected SERVICE.RULE=on|off, got " + quoted(value));
    }
    const auto svc = parse_service(value.substr(0, dot));
    if (!svc) return fail("unknown service " + quoted(value.substr(0, dot)));
    const auto rule = value.substr(dot + 1, eq - dot - 1);
    const auto rules = policy_rules(info(*svc).proto);
    if (std::find(rules.begin(), rules.end(), rule) == rules.end()) {
      std::string known;
      for (auto r : rules)
        known += (known.empty() ? "" : ", ") + std::string(r);
      return fail("unknown rule " + quoted(rule) + " for " + std::string(info(*svc).name) +
                  " (known: " + known + ")");
    }
    const auto v = value.substr(eq + 1);
    bool on = false;
    if (v == "on" || v == "true" || v == "yes") {
      on = true;
    } else if (!(v == "off" || v == "false" || v == "no")) {
      return fail("expected on or off, got " + quoted(v));
    }
    opts.policy.push_back({*svc, std::string(rule), on});
    return true;
  }
  if (key == "max-connections" || key == "max-connections-per-ip") {
    std::size_t n = 0;
    if (!parse_number<std::size_t>(value, n, 1, 1'000'000)) return fail("expected 1-1000000");
    (key == "max-connections" ? opts.max_connections : opts.max_connections_per_ip) = n;
    return true;
  }
  if (key == "max-message-size") {
    if (!parse_number<std::uint64_t>(value, opts.max_message_size, 1024, std::uint64_t{1} << 32)) {
      return fail("expected a size in octets, 1024-4294967296");
    }
    return true;
  }
  if (key == "shutdown-timeout") {
    std::uint32_t secs = 0;
    if (!parse_number<std::uint32_t>(value, secs, 0, 3600)) return fail("expected 0-3600 seconds");
    opts.shutdown_timeout_ms = secs * 1000;
    return true;
  }
  if (key == "idle-timeout") {
    std::uint32_t secs = 0;
    if (!parse_number<std::uint32_t>(value, secs, 1, 86'400)) {
      return fail("expected 1-86400 seconds");
    }
    opts.idle_timeout_ms = secs * 1000;
    return true;
  }
  if (key == "config") {
    error = "config: not allowed inside a config file";
    return false;
  }
  error = "unknown setting " + quoted(key);
  return false;
}

bool parse_config_text(std::string_view text, std::string_view file_name, server_options& opts,
                       std::string& error) {
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const auto where = std::string(file_name) + ":" + std::to_string(line_no) + ": ";
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      error = where + "expected 'key = value', got " + quoted(line);
      return false;
    }
    const auto key = trim(line.substr(0, eq));
    const auto value = trim(line.substr(eq + 1));
    if (key.empty()) {
      error = where + "missing key before '='";
      return false;
    }
    std::string why;
    if (!apply_setting(opts, key, value, why)) {
      error = where + why;
      return false;
    }
  }
  return true;
}

bool load_config_file(const std::string& path, server_options& opts, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open config file";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.size() > 1024 * 1024) {
    error = path + ": config file larger than 1 MiB";
    return false;
  }
  return parse_config_text(text, path, opts, error);
}

}  // namespace mailtls::server::app
