// The client driver with TLS: STARTTLS and implicit TLS against the loopback server, verification
// against the test CA, insecure mode, version limits, and the facts handed to the session.
#include <algorithm>

#include "client_fixture.hpp"

namespace mailtls::client::test {
namespace {

using strings = std::vector<std::string>;

class driver_tls_test : public client_fixture {};

script starttls_then(runner::start_tls tls) {
  return {{read()},
          {send("STARTTLS\r\n"), read()},
          {tls},
          {send("EHLO x\r\n"), read()},
          {send("QUIT\r\n"), read()},
          {read()}};
}

TEST_F(driver_tls_test, StarttlsUpgradesAndVerifiesAgainstTheTestCa) {
  const auto port = start_server();
  const auto r = run_one(make_job(port, starttls_then({})));
  EXPECT_EQ(events(), (strings{"start", "S:220 ready", "S:220 go", "tls:ok", "S:250 EHLO x",
                               "S:221 bye", "closed"}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  const runner::tls_facts& f = probe_->tls[0];
  EXPECT_TRUE(f.attempted);
  EXPECT_TRUE(f.established);
  EXPECT_FALSE(f.implicit);
  EXPECT_EQ(f.version, "TLSv1.3");
  EXPECT_FALSE(f.cipher.empty());
  EXPECT_TRUE(f.verified);
  EXPECT_EQ(f.verify_error, "ok");
  EXPECT_TRUE(f.failure.empty());
  EXPECT_EQ(f.subject, std::string("CN=") + tls_host + ",O=mailtls");
  EXPECT_EQ(f.issuer, "CN=mailtls private CA,O=mailtls");
  EXPECT_EQ(f.dns_names, strings{tls_host});
  EXPECT_EQ(f.key_type, "EC");
  EXPECT_EQ(f.key_bits, 256);
  EXPECT_GT(f.not_after, 0);
  EXPECT_EQ(r.v.result, runner::outcome::pass);
  EXPECT_EQ(r.tls.version, "TLSv1.3");
}

TEST_F(driver_tls_test, PlaintextBeforeTheHandshakeGoesToTlsNotToTheSession) {
  const auto port = start_server();
  // start_tls without reading the "220 go" reply first: the driver has not read it (no read-ahead),
  // so it reaches the TLS engine as what it is, protocol text, and the handshake fails.
  const auto r = run_one(make_job(
      port, {{read()}, {send("STARTTLS\r\n"), runner::start_tls{}}, {runner::close_connection{}}}));
  EXPECT_EQ(events(), (strings{"start", "S:220 ready", "tls:fail"}));
  EXPECT_LT(r.duration_ms, 5000u);
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_FALSE(probe_->tls[0].established);
  EXPECT_FALSE(probe_->tls[0].failure.empty());
}

TEST_F(driver_tls_test, WrongNameFailsVerification) {
  const auto port = start_server();
  runner::start_tls t;
  t.sni = "wrong.example";
  // After the failure the server closes: a read hears "closed" (records are not plaintext).
  run_one(make_job(port, {{read()}, {send("STARTTLS\r\n"), read()}, {t}, {read(3000)}}));
  EXPECT_EQ(events(), (strings{"start", "S:220 ready", "S:220 go", "tls:fail", "closed"}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  const runner::tls_facts& f = probe_->tls[0];
  EXPECT_TRUE(f.attempted);
  EXPECT_FALSE(f.established);
  EXPECT_FALSE(f.verified);
  EXPECT_EQ(f.verify_error, "hostname mismatch");
  EXPECT_NE(f.failure.find("certificate verify failed"), std::string::npos) << f.failure;
}

TEST_F(driver_tls_test, InsecureRunEstablishesButDoesNotClaimVerified) {
  const auto port = start_server();
  auto j = make_job(port, starttls_then({}));
  j.tls.verify = false;
  j.tls.server_name = "wrong.example";
  run_one(std::move(j));
  EXPECT_EQ(events(), (strings{"start", "S:220 ready", "S:220 go", "tls:ok", "S:250 EHLO x",
                               "S:221 bye", "closed"}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_TRUE(probe_->tls[0].established);
  EXPECT_FALSE(probe_->tls[0].verified);
  EXPECT_EQ(probe_->tls[0].verify_error, "hostname mismatch");
}

TEST_F(driver_tls_test, ActionVerifyOverridesTheRunDefault) {
  const auto port = start_server();
  runner::start_tls t;
  t.verify = false;
  t.sni = "wrong.example";
  run_one(make_job(port, starttls_then(t)));  // the job says verify = true
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_TRUE(probe_->tls[0].established);
  EXPECT_FALSE(probe_->tls[0].verified);
}

TEST_F(driver_tls_test, UntrustedCaFailsVerification) {
  const auto port = start_server();
  auto j = make_job(port, {{read()}, {send("STARTTLS\r\n"), read()}, {runner::start_tls{}}});
  j.tls.ca_file.clear();  // the system store does not know the test CA
  run_one(std::move(j));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_FALSE(probe_->tls[0].established);
  EXPECT_NE(probe_->tls[0].failure.find("certificate verify failed"), std::string::npos);
  EXPECT_EQ(probe_->tls[0].subject,
            std::string("CN=") + tls_host + ",O=mailtls");  // the leaf is still known
}

TEST_F(driver_tls_test, ImplicitTlsAtConnect) {
  const auto port = start_server(net::transport::implicit_tls);
  runner::start_tls t;
  t.implicit = true;
  const auto r = run_one(make_job(port, {{t}, {read()}, {send("QUIT\r\n"), read()}, {read()}}));
  EXPECT_EQ(events(), (strings{"start", "tls:ok", "S:220 ready", "S:221 bye", "closed"}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_TRUE(probe_->tls[0].implicit);
  EXPECT_TRUE(probe_->tls[0].verified);
  EXPECT_EQ(r.v.result, runner::outcome::pass);
}

TEST_F(driver_tls_test, CloseUnderTlsSendsCloseNotifyAndEnds) {
  const auto port = start_server(net::transport::implicit_tls);
  runner::start_tls t;
  t.implicit = true;
  const auto r = run_one(make_job(port, {{t}, {read()}, {runner::close_connection{}}}));
  EXPECT_EQ(events(), (strings{"start", "tls:ok", "S:220 ready"}));
  EXPECT_EQ(r.v.result, runner::outcome::pass);
  EXPECT_LT(r.duration_ms, 5000u);
}

TEST_F(driver_tls_test, DriverFillsTheFactsWhenTheSessionKeptNone) {
  const auto port = start_server();
  const auto r = run_one(make_job(port, starttls_then({}), /*keep_tls_facts=*/false));
  EXPECT_TRUE(r.tls.attempted);
  EXPECT_TRUE(r.tls.established);
  EXPECT_EQ(r.tls.version, "TLSv1.3");
  EXPECT_EQ(r.tls.dns_names, strings{tls_host});
}

TEST_F(driver_tls_test, MaxVersionLimitsTheHandshake) {
  const auto port = start_server();
  runner::start_tls t;
  t.max = runner::tls_version_limit::tls1_2;
  run_one(make_job(port, starttls_then(t)));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_TRUE(probe_->tls[0].established) << probe_->tls[0].failure;
  EXPECT_EQ(probe_->tls[0].version, "TLSv1.2");
}

TEST_F(driver_tls_test, ServerRefusingOldVersionsFailsTheHandshake) {
  const auto port = start_server();  // the server speaks TLS 1.2+ (RFC 8996)
  runner::start_tls t;
  t.max = runner::tls_version_limit::tls1_1;
  run_one(make_job(port, {{read()}, {send("STARTTLS\r\n"), read()}, {t}}));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_FALSE(probe_->tls[0].established);
  EXPECT_FALSE(probe_->tls[0].failure.empty());
  EXPECT_TRUE(probe_->tls[0].version.empty());
}

TEST_F(driver_tls_test, UnreadableCaFileFailsBeforeTheHandshake) {
  const auto port = start_server();
  auto j = make_job(port, {{read()}, {send("STARTTLS\r\n"), read()}, {runner::start_tls{}}});
  j.tls.ca_file = "/nonexistent/mailtls-ca.pem";
  run_one(std::move(j));
  ASSERT_EQ(probe_->tls.size(), 1u);
  EXPECT_FALSE(probe_->tls[0].established);
  EXPECT_EQ(probe_->tls[0].failure.rfind("cannot set up TLS: ", 0), 0u) << probe_->tls[0].failure;
}

TEST_F(driver_tls_test, SecondStartTlsIsRefused) {
  const auto port = start_server(net::transport::implicit_tls);
  runner::start_tls t;
  t.implicit = true;
  run_one(make_job(port, {{t}, {read()}, {runner::start_tls{}}, {send("QUIT\r\n"), read()}}));
  EXPECT_EQ(events(), (strings{"start", "tls:ok", "S:220 ready", "tls:fail", "S:221 bye"}));
  ASSERT_EQ(probe_->tls.size(), 2u);
  EXPECT_EQ(probe_->tls[1].failure, "TLS is already active on this connection");
}

TEST_F(driver_tls_test, ManyConcurrentTlsSessions) {
  const auto port = start_server();
  std::vector<job> jobs;
  for (int i = 0; i < 40; ++i)
    jobs.push_back(make_job(port, starttls_then({})));
  run_options o;
  o.jobs = 40;
  const auto results = run(jobs, o);
  ASSERT_EQ(results.size(), 40u);
  for (const auto& rec : results) {
    EXPECT_EQ(rec.result.v.result, runner::outcome::pass) << rec.result.v.reason;
    EXPECT_TRUE(rec.result.tls.verified);
  }
  EXPECT_EQ(probe_->max_alive, 40);
  EXPECT_EQ(std::count(probe_->events.begin(), probe_->events.end(), "S:250 EHLO x"), 40);
}

}  // namespace
}  // namespace mailtls::client::test
