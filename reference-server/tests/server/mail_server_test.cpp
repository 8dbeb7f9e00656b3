// The assembled server in-process: every service on an ephemeral port, the ports file, greetings
// in cleartext and over implicit TLS, ALPN, connection limits, bind errors, bug wiring.
#include "server/mail_server.hpp"

#include <gtest/gtest.h>

#include "net/test_client.hpp"
#include "server/ports_file.hpp"
#include "server_fixture.hpp"

namespace mailtls::server::app::test {
namespace {

using net::test::test_client;

struct running {
  std::vector<std::string> lines;
  std::mutex mutex;
  net::logger log{net::log_level::info, [this](std::string_view l) {
                    std::lock_guard lock(mutex);
                    lines.emplace_back(l);
                  }};
  std::unique_ptr<mail_server> srv;

  explicit running(const server_options& o) {
    int code = 0;
    std::string error;
    srv = mail_server::create(o, log, code, error);
    EXPECT_TRUE(srv) << error;
    if (srv) {
      EXPECT_TRUE(srv->start(error)) << error;
    }
  }
  ~running() {
    if (srv) {
      srv->request_stop();
      srv->wait();
    }
  }
  bool logged(std::string_view needle) {
    std::lock_guard lock(mutex);
    for (const auto& l : lines) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return false;
  }
};

TEST(mail_server, AllSevenServicesGreetAfterThePortsFileAppears) {
  temp_dir dir;
  const auto opts = ephemeral_options(dir.path);
  running r(opts);
  ASSERT_TRUE(r.srv);
  // The ports file exists once start() returns, and names all seven bound ports.
  const auto ports = parse_ports_json(read_file(opts.ports_file));
  ASSERT_TRUE(ports);
  ASSERT_EQ(ports->size(), 7u);
  EXPECT_EQ(*ports, r.srv->ports());
  for (const auto& [name, port] : *ports)
    EXPECT_NE(port, 0) << name;
  EXPECT_EQ(r.srv->ca_certificate(), opts.state_dir + "/tls/ca.pem");
  const auto ctx = client_trusting(r.srv->ca_certificate());

  const std::map<std::string, std::string> greeting{{"smtp", "220 mail.mailtls.test ESMTP"},
                                                    {"submission", "220 mail.mailtls.test ESMTP"},
                                                    {"submissions", "220 mail.mailtls.test ESMTP"},
                                                    {"pop3", "+OK "},
                                                    {"pop3s", "+OK "},
                                                    {"imap", "* OK "},
                                                    {"imaps", "* OK "}};
  for (const auto& s : all_services()) {
    SCOPED_TRACE(std::string(s.name));
    test_client c(ports->at(std::string(s.name)));
    ASSERT_TRUE(c.connected());
    if (s.implicit_tls) {
      ASSERT_TRUE(c.start_tls(ctx)) << (c.tls() ? c.tls()->error_reason() : "");
      EXPECT_EQ(c.tls()->info().version, "TLSv1.3");
    }
    const auto line = c.read_line();
    EXPECT_EQ(line.rfind(greeting.at(std::string(s.name)), 0), 0u) << line;
  }
}

TEST(mail_server, OnlyStartsTheNamedServices) {
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.only = {service::imap, service::smtp};
  running r(opts);
  ASSERT_TRUE(r.srv);
  EXPECT_EQ(read_file(opts.ports_file),
            "{\"imap\":" + std::to_string(r.srv->ports().at("imap")) +
                ",\"smtp\":" + std::to_string(r.srv->ports().at("smtp")) + "}\n");
}

TEST(mail_server, AlpnForAnotherProtocolIsRefused) {
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.only = {service::imaps};
  running r(opts);
  ASSERT_TRUE(r.srv);
  const auto port = r.srv->ports().at("imaps");
  {
    test_client c(port);
    const auto http = client_trusting(r.srv->ca_certificate(), {"http/1.1"});
    EXPECT_FALSE(c.start_tls(http));  // RFC 7301 §3.2 no_application_protocol (ALPACA)
    ASSERT_NE(c.tls(), nullptr);
    EXPECT_EQ(c.tls()->error(), tls::errc::no_application_protocol);
  }
  test_client c(port);
  const auto imap = client_trusting(r.srv->ca_certificate(), {"imap"});
  ASSERT_TRUE(c.start_tls(imap));
  EXPECT_EQ(c.tls()->info().alpn, "imap");
  EXPECT_EQ(c.read_line().rfind("* OK ", 0), 0u);
}

TEST(mail_server, SmtpConnectionLimitSays421) {
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.only = {service::smtp};
  opts.max_connections_per_ip = 1;
  running r(opts);
  ASSERT_TRUE(r.srv);
  test_client a(r.srv->ports().at("smtp"));
  ASSERT_EQ(a.read_line().rfind("220 ", 0), 0u);
  test_client b(r.srv->ports().at("smtp"));
  EXPECT_EQ(b.read_line(), "421 4.7.0 mail.mailtls.test Too many connections\r\n");
  EXPECT_TRUE(b.wait_eof());
}

TEST(mail_server, PolicyOverrideModelsAnotherDeployment) {
  // Seed policy on 110: no USER in CAPA before STLS. A deployment that allows cleartext logins
  // (Dovecot's disable_plaintext_auth = no) is modelled with --policy.
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.only = {service::pop3};
  std::string error;
  ASSERT_TRUE(apply_setting(opts, "policy", "pop3.require_tls_for_auth=off", error)) << error;
  running r(opts);
  ASSERT_TRUE(r.srv);
  test_client c(r.srv->ports().at("pop3"));
  ASSERT_EQ(c.read_line().rfind("+OK", 0), 0u);
  c.send("USER alice@mailtls.test\r\n");
  EXPECT_EQ(c.read_line().rfind("+OK", 0), 0u);  // the seed policy answers -ERR [AUTH] here
}

TEST(mail_server, ImplicitCleartextBugSpeaksPlaintextOn465) {
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.only = {service::submissions};
  opts.bugs = {bug::implicit_cleartext};
  running r(opts);
  ASSERT_TRUE(r.srv);
  test_client c(r.srv->ports().at("submissions"));
  EXPECT_EQ(c.read_line().rfind("220 mail.mailtls.test", 0), 0u);
  EXPECT_TRUE(r.logged("BUG INJECTION ACTIVE (implicit-cleartext)"));
}

TEST(mail_server, Tls10BugAcceptsTls10) {
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.only = {service::imaps};
  for (bool bug_on : {false, true}) {
    SCOPED_TRACE(bug_on);
    opts.bugs.clear();
    if (bug_on) opts.bugs = {bug::tls10_accepted};
    running r(opts);
    ASSERT_TRUE(r.srv);
    tls::client_config cc;
    cc.ca_file = r.srv->ca_certificate();
    cc.server_name = "mail.mailtls.test";
    cc.min_version = cc.max_version = tls::tls_version::tls1_0;
    auto ctx = tls::context::make_client(cc);
    ASSERT_TRUE(ctx) << ctx.detail;
    test_client c(r.srv->ports().at("imaps"));
    EXPECT_EQ(c.start_tls(*ctx), bug_on);
  }
}

TEST(mail_server, IdleTimeoutOptionClosesIdleSessionsOfAllThreeProtocols) {
  // --idle-timeout 1: each protocol says its own goodbye after a second of silence, then closes.
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.only = {service::smtp, service::pop3, service::imap};
  std::string error;
  ASSERT_TRUE(apply_setting(opts, "idle-timeout", "1", error)) << error;
  running r(opts);
  ASSERT_TRUE(r.srv);
  const std::map<std::string, std::pair<std::string, std::string>> expected{
      {"smtp", {"220 ", "421 4.4.2 mail.mailtls.test Error: timeout exceeded\r\n"}},
      {"pop3", {"+OK ", "-ERR Autologout; idle for too long\r\n"}},
      {"imap", {"* OK ", "* BYE Autologout; idle for too long\r\n"}},
  };
  for (const auto& [name, lines] : expected) {
    SCOPED_TRACE(name);
    test_client c(r.srv->ports().at(name));
    ASSERT_TRUE(c.connected());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(c.read_line().rfind(lines.first, 0), 0u);
    EXPECT_EQ(c.read_line(std::chrono::milliseconds(4000)), lines.second);
    EXPECT_TRUE(c.wait_eof());
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  }
}

TEST(mail_server, DefaultIdleTimeoutsAreThePerProtocolOnes) {
  // Without --idle-timeout a session that stays silent for a second is still open.
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.only = {service::smtp};
  EXPECT_EQ(opts.idle_timeout_ms, 0u);
  running r(opts);
  ASSERT_TRUE(r.srv);
  test_client c(r.srv->ports().at("smtp"));
  EXPECT_EQ(c.read_line().rfind("220 ", 0), 0u);
  EXPECT_EQ(c.read_line(std::chrono::milliseconds(1200)), "");
  EXPECT_FALSE(c.eof());
  c.send("NOOP\r\n");
  EXPECT_EQ(c.read_line(), "250 2.0.0 Ok\r\n");
}

TEST(mail_server, BindFailureIsExitCode1NamingTheAddress) {
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.only = {service::smtp};
  running first(opts);
  ASSERT_TRUE(first.srv);
  opts.listen[service::smtp].port = first.srv->ports().at("smtp");
  opts.ports_file.clear();
  net::logger quiet(net::log_level::error, [](std::string_view) {});
  int code = 0;
  std::string error;
  auto second = mail_server::create(opts, quiet, code, error);
  EXPECT_FALSE(second);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(error,
            "cannot listen: smtp 127.0.0.1:" + std::to_string(first.srv->ports().at("smtp")) +
                ": bind: Address already in use");
}

TEST(mail_server, BadAccountsFileIsExitCode2) {
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.accounts_file = dir.path + "/accounts.cf";
  {
    std::ofstream f(opts.accounts_file);
    f << "# ok\nalice@example.test|{PLAIN}secret\n";
  }
  net::logger quiet(net::log_level::error, [](std::string_view) {});
  int code = 0;
  std::string error;
  EXPECT_FALSE(mail_server::create(opts, quiet, code, error));
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error.rfind(opts.accounts_file + ":2: ", 0), 0u) << error;
}

TEST(mail_server, CertWithoutKeyIsExitCode2) {
  temp_dir dir;
  auto opts = ephemeral_options(dir.path);
  opts.cert_file = dir.path + "/c.pem";
  net::logger quiet(net::log_level::error, [](std::string_view) {});
  int code = 0;
  std::string error;
  EXPECT_FALSE(mail_server::create(opts, quiet, code, error));
  EXPECT_EQ(code, 2);
  EXPECT_EQ(error, "--cert and --key go together");
}

}  // namespace
}  // namespace mailtls::server::app::test
