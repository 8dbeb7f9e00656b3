// Settings: listen specs, the config file with file:line errors, command-line precedence.
#include "server/options.hpp"

#include <gtest/gtest.h>

namespace mailtls::server::app {
namespace {

TEST(services, SevenWithUnprivilegedDefaults) {
  ASSERT_EQ(all_services().size(), 7u);
  server_options o;
  EXPECT_EQ(o.listen.at(service::smtp), (endpoint{"127.0.0.1", 2525}));
  EXPECT_EQ(o.listen.at(service::submission).port, 5587);
  EXPECT_EQ(o.listen.at(service::submissions).port, 5465);
  EXPECT_EQ(o.listen.at(service::pop3).port, 5110);
  EXPECT_EQ(o.listen.at(service::pop3s).port, 5995);
  EXPECT_EQ(o.listen.at(service::imap).port, 5143);
  EXPECT_EQ(o.listen.at(service::imaps).port, 5993);
  EXPECT_TRUE(info(service::submissions).implicit_tls);
  EXPECT_FALSE(info(service::submission).implicit_tls);
  EXPECT_EQ(parse_service("pop3s"), service::pop3s);
  EXPECT_EQ(parse_service("smtps"), std::nullopt);
  EXPECT_EQ(o.effective_accounts_file(), "./mailtls-state/postfix-accounts.cf");
}

TEST(listen_spec, Parses) {
  std::string error;
  auto a = parse_listen_spec("smtp=127.0.0.1:25", error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(*a, (listen_spec{service::smtp, {"127.0.0.1", 25}}));
  auto b = parse_listen_spec("imaps=[::1]:0", error);
  ASSERT_TRUE(b) << error;
  EXPECT_EQ(*b, (listen_spec{service::imaps, {"::1", 0}}));
  auto c = parse_listen_spec("pop3=localhost:65535", error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->where, (endpoint{"localhost", 65535}));
}

TEST(listen_spec, Errors) {
  const auto err = [](std::string_view text) {
    std::string e;
    EXPECT_FALSE(parse_listen_spec(text, e)) << text;
    return e;
  };
  EXPECT_EQ(err("smtp"), "expected NAME=HOST:PORT, got 'smtp'");
  EXPECT_EQ(err("smtps=1.2.3.4:1"),
            "unknown service 'smtps' (expected smtp, submission, submissions, pop3, pop3s, imap "
            "or imaps)");
  EXPECT_EQ(err("smtp=127.0.0.1"), "expected HOST:PORT, got '127.0.0.1'");
  EXPECT_EQ(err("smtp=127.0.0.1:65536"), "invalid port '65536' (0-65535)");
  EXPECT_EQ(err("smtp=127.0.0.1:2x"), "invalid port '2x' (0-65535)");
  EXPECT_EQ(err("smtp=127.0.0.1:"), "invalid port '' (0-65535)");
  EXPECT_EQ(err("smtp=:25"), "empty host in 'smtp=:25'");
  EXPECT_EQ(err("smtp=::1:25"), "an IPv6 address needs brackets: [::1]:PORT");
  EXPECT_EQ(err("smtp=[::1]25"), "expected [IPV6]:PORT, got '[::1]25'");
}

TEST(settings, ApplyEachKey) {
  server_options o;
  std::string e;
  EXPECT_TRUE(apply_setting(o, "state-dir", "/var/lib/m", e));
  EXPECT_TRUE(apply_setting(o, "listen", "imap=0.0.0.0:143", e));
  EXPECT_TRUE(apply_setting(o, "only", "smtp, imap,smtp", e));
  EXPECT_TRUE(apply_setting(o, "hostname", "mx.example", e));
  EXPECT_TRUE(apply_setting(o, "domain", "a.example", e));
  EXPECT_TRUE(apply_setting(o, "domain", "b.example", e));
  EXPECT_TRUE(apply_setting(o, "threads", "3", e));
  EXPECT_TRUE(apply_setting(o, "log-level", "debug", e));
  EXPECT_TRUE(apply_setting(o, "inject-bug", "tls10-accepted", e));
  EXPECT_TRUE(apply_setting(o, "inject-bug", "tls10-accepted", e));  // no duplicate
  EXPECT_TRUE(apply_setting(o, "max-connections", "7", e));
  EXPECT_TRUE(apply_setting(o, "max-connections-per-ip", "2", e));
  EXPECT_TRUE(apply_setting(o, "max-message-size", "2048", e));
  EXPECT_TRUE(apply_setting(o, "shutdown-timeout", "3", e));
  EXPECT_TRUE(apply_setting(o, "idle-timeout", "2", e));
  EXPECT_EQ(o.state_dir, "/var/lib/m");
  EXPECT_EQ(o.effective_accounts_file(), "/var/lib/m/postfix-accounts.cf");
  EXPECT_EQ(o.listen.at(service::imap), (endpoint{"0.0.0.0", 143}));
  EXPECT_EQ(o.only, (std::vector<service>{service::smtp, service::imap}));
  EXPECT_TRUE(o.enabled(service::imap));
  EXPECT_FALSE(o.enabled(service::pop3));
  EXPECT_EQ(o.hostname, "mx.example");
  EXPECT_EQ(o.domains, (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(o.threads, 3u);
  EXPECT_EQ(o.log_level, net::log_level::debug);
  EXPECT_EQ(o.bugs, (std::vector<bug>{bug::tls10_accepted}));
  EXPECT_TRUE(o.injected().has(bug::tls10_accepted));
  EXPECT_EQ(o.max_connections, 7u);
  EXPECT_EQ(o.max_connections_per_ip, 2u);
  EXPECT_EQ(o.max_message_size, 2048u);
  EXPECT_EQ(o.shutdown_timeout_ms, 3000u);
  EXPECT_EQ(o.idle_timeout_ms, 2000u);
}

TEST(settings, Errors) {
  const auto err = [](std::string_view key, std::string_view value) {
    server_options o;
    std::string e;
    EXPECT_FALSE(apply_setting(o, key, value, e)) << key << " " << value;
    return e;
  };
  EXPECT_EQ(err("colour", "blue"), "unknown setting 'colour'");
  EXPECT_EQ(err("threads", "-1"), "threads: expected 0-1024");
  EXPECT_EQ(err("threads", "many"), "threads: expected 0-1024");
  EXPECT_EQ(err("log-level", "loud"), "log-level: expected debug, info, warn or error, got 'loud'");
  EXPECT_EQ(err("inject-bug", "list"),
            "inject-bug: unknown bug 'list' (--inject-bug list shows them)");
  EXPECT_EQ(err("only", "smtp,nntp"), "only: unknown service 'nntp'");
  EXPECT_EQ(err("only", ""), "only: no service named");
  EXPECT_EQ(err("domain", "user@example"), "domain: invalid domain 'user@example'");
  EXPECT_EQ(err("max-connections", "0"), "max-connections: expected 1-1000000");
  EXPECT_EQ(err("max-message-size", "10"),
            "max-message-size: expected a size in octets, 1024-4294967296");
  EXPECT_EQ(err("idle-timeout", "0"), "idle-timeout: expected 1-86400 seconds");
  EXPECT_EQ(err("idle-timeout", "86401"), "idle-timeout: expected 1-86400 seconds");
  EXPECT_EQ(err("idle-timeout", "5m"), "idle-timeout: expected 1-86400 seconds");
  EXPECT_EQ(err("hostname", ""), "hostname: empty value");
  EXPECT_EQ(err("config", "x.conf"), "config: not allowed inside a config file");
}

TEST(settings, PolicyOverrides) {
  server_options o;
  std::string e;
  ASSERT_TRUE(apply_setting(o, "policy", "submission.require_tls=off", e)) << e;
  ASSERT_TRUE(apply_setting(o, "policy", "imaps.require_tls_for_login=yes", e)) << e;
  ASSERT_EQ(o.policy.size(), 2u);
  EXPECT_EQ(o.policy[0], (policy_override{service::submission, "require_tls", false}));
  EXPECT_EQ(o.policy[1], (policy_override{service::imaps, "require_tls_for_login", true}));
  const auto err = [](std::string_view v) {
    server_options x;
    std::string why;
    EXPECT_FALSE(apply_setting(x, "policy", v, why));
    return why;
  };
  EXPECT_EQ(err("submission"), "policy: expected SERVICE.RULE=on|off, got 'submission'");
  EXPECT_EQ(err("smtps.offer_auth=on"), "policy: unknown service 'smtps'");
  EXPECT_EQ(err("pop3.require_tls=on"),
            "policy: unknown rule 'require_tls' for pop3 (known: require_tls_for_auth, "
            "offer_user, offer_sasl)");
  EXPECT_EQ(err("imap.require_tls_for_login=maybe"), "policy: expected on or off, got 'maybe'");
}

TEST(config_file, ParsesKeysCommentsAndBlanks) {
  server_options o;
  std::string e;
  const char* text =
      "# mailtls-server configuration\n"
      "\n"
      "state-dir = /srv/mailtls\r\n"
      "   hostname=mx.example.test   \n"
      "  # indented comment\n"
      "listen = smtp=0.0.0.0:25\n"
      "domain = example.test\n";
  ASSERT_TRUE(parse_config_text(text, "m.conf", o, e)) << e;
  EXPECT_EQ(o.state_dir, "/srv/mailtls");
  EXPECT_EQ(o.hostname, "mx.example.test");
  EXPECT_EQ(o.listen.at(service::smtp), (endpoint{"0.0.0.0", 25}));
  EXPECT_EQ(o.domains, (std::vector<std::string>{"example.test"}));
}

TEST(config_file, ErrorsCarryFileAndLine) {
  const auto err = [](std::string_view text) {
    server_options o;
    std::string e;
    EXPECT_FALSE(parse_config_text(text, "m.conf", o, e)) << text;
    return e;
  };
  EXPECT_EQ(err("threads = 2\nlisten smtp\n"),
            "m.conf:2: expected 'key = value', got 'listen smtp'");
  EXPECT_EQ(err("# c\n\n= 3\n"), "m.conf:3: missing key before '='");
  EXPECT_EQ(err("hostname = a\nport = 25"), "m.conf:2: unknown setting 'port'");
  EXPECT_EQ(err("\n\n\nlisten = imap=[::1]x\n"),
            "m.conf:4: listen: expected [IPV6]:PORT, got '[::1]x'");
  EXPECT_EQ(err("inject-bug = nope\n"),
            "m.conf:1: inject-bug: unknown bug 'nope' (--inject-bug list shows them)");
}

TEST(config_file, MissingFile) {
  server_options o;
  std::string e;
  EXPECT_FALSE(load_config_file("/nonexistent/mailtls.conf", o, e));
  EXPECT_EQ(e, "/nonexistent/mailtls.conf: cannot open config file");
}

}  // namespace
}  // namespace mailtls::server::app
