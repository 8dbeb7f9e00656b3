// The real mailtls-server, on ephemeral loopback ports, against real clients from Debian packages:
// swaks delivers on 25 and submits on 587 (STARTTLS) and 465 (implicit TLS); curl reads the mail
// back over POP3/IMAP with --ssl-reqd (STARTTLS) and over POP3S/IMAPS, verifying the server's
// certificate against the CA the server generated; openssl s_client upgrades each STARTTLS port.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "server_process.hpp"

namespace mailtls::test {
namespace {

constexpr const char* user = "alice@mailtls.test";
constexpr const char* password = "correct horse battery";

class clients : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // An accounts file with one user, made by the server's own add-user command.
    const auto dir =
        std::filesystem::temp_directory_path() / ("mailtls-acc-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    accounts_ = new std::filesystem::path(dir / "postfix-accounts.cf");
    const auto pw_file = dir / "pw";
    std::ofstream(pw_file) << password << "\n";
    const auto added = run_command(
        MAILTLS_SERVER_BINARY,
        {"add-user", "--accounts", accounts_->string(), "--password-file", pw_file.string(), user});
    ASSERT_EQ(added.exit_code, 0) << added.output;
    server_ = new server_process({"--accounts", accounts_->string(), "--hostname", "localhost"});
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) {
      EXPECT_EQ(server_->stop(), 0) << server_->log();
      delete server_;
      server_ = nullptr;
    }
    if (accounts_ != nullptr) {
      std::filesystem::remove_all(accounts_->parent_path());
      delete accounts_;
    }
  }

  static std::string port(const char* service) { return std::to_string(server_->port(service)); }
  static std::string ca() { return server_->ca_file().string(); }

  // Delivers one message with swaks on port 25 (cleartext, as an MX accepts it) and returns the
  // unique text in its body.
  static std::string deliver(const std::string& tag) {
    const std::string body = "mailtls integration " + tag;
    const auto r = run_command(
        "swaks", {"--server", "127.0.0.1", "--port", port("smtp"), "--from", "sender@example.net",
                  "--to", user, "--helo", "client.example.net", "--body", body, "--timeout", "10"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return body;
  }

  static inline server_process* server_ = nullptr;
  static inline std::filesystem::path* accounts_ = nullptr;
};

TEST_F(clients, swaks_delivers_in_cleartext_on_25_and_the_message_is_on_disk) {
  const auto body = deliver("port25");
  const auto new_dir = server_->state_dir() / "mail" / "mailtls.test" / "alice" / "new";
  bool found = false;
  for (const auto& e : std::filesystem::directory_iterator(new_dir)) {
    std::ifstream in(e.path());
    const std::string content((std::istreambuf_iterator<char>(in)), {});
    found = found || content.find(body) != std::string::npos;
  }
  EXPECT_TRUE(found) << server_->log();
}

TEST_F(clients, swaks_submits_on_587_after_starttls_with_auth) {
  const auto r =
      run_command("swaks", {"--server", "127.0.0.1", "--port", port("submission"), "-tls", "--auth",
                            "PLAIN", "--auth-user", user, "--auth-password", password, "--from",
                            user, "--to", user, "--timeout", "10"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(clients, submission_587_offers_no_auth_and_refuses_mail_before_tls) {
  // RFC 3207 §4 / RFC 4954 §4: no AUTH in the cleartext EHLO, so swaks cannot even try.
  const auto auth =
      run_command("swaks", {"--server", "127.0.0.1", "--port", port("submission"), "--auth",
                            "PLAIN", "--auth-user", user, "--auth-password", password, "--from",
                            user, "--to", user, "--timeout", "10"});
  EXPECT_NE(auth.exit_code, 0) << auth.output;
  EXPECT_NE(auth.output.find("did not advertise authentication"), std::string::npos) << auth.output;
  EXPECT_EQ(auth.output.find("AUTH"), std::string::npos) << auth.output;
  // And a transaction without TLS gets 530 5.7.0.
  const auto mail = run_command("swaks", {"--server", "127.0.0.1", "--port", port("submission"),
                                          "--from", user, "--to", user, "--timeout", "10"});
  EXPECT_NE(mail.exit_code, 0) << mail.output;
  EXPECT_NE(mail.output.find("530 5.7.0"), std::string::npos) << mail.output;
}

TEST_F(clients, swaks_submits_on_465_with_implicit_tls) {
  const auto r = run_command(
      "swaks", {"--server", "127.0.0.1", "--port", port("submissions"), "--tls-on-connect",
                "--auth", "LOGIN", "--auth-user", user, "--auth-password", password, "--from", user,
                "--to", user, "--timeout", "10"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(clients, curl_reads_mail_over_pop3_starttls_and_pop3s) {
  const auto body = deliver("pop3");
  for (const std::string& url :
       {"pop3://127.0.0.1:" + port("pop3") + "/1", "pop3s://127.0.0.1:" + port("pop3s") + "/1"}) {
    const auto r =
        run_command("curl", {"--silent", "--show-error", "--max-time", "10", "--ssl-reqd",
                             "--cacert", ca(), "--user", std::string(user) + ":" + password, url});
    EXPECT_EQ(r.exit_code, 0) << url << "\n" << r.output;
    EXPECT_NE(r.output.find("mailtls integration"), std::string::npos) << url << "\n" << r.output;
  }
}

TEST_F(clients, curl_reads_mail_over_imap_starttls_and_imaps) {
  deliver("imap");
  for (const std::string& url : {"imap://127.0.0.1:" + port("imap") + "/INBOX;UID=1",
                                 "imaps://127.0.0.1:" + port("imaps") + "/INBOX;UID=1"}) {
    const auto r =
        run_command("curl", {"--silent", "--show-error", "--max-time", "10", "--ssl-reqd",
                             "--cacert", ca(), "--user", std::string(user) + ":" + password, url});
    EXPECT_EQ(r.exit_code, 0) << url << "\n" << r.output;
    EXPECT_NE(r.output.find("mailtls integration"), std::string::npos) << url << "\n" << r.output;
  }
}

TEST_F(clients, curl_submits_over_smtp_with_ssl_reqd_and_smtps) {
  for (const std::string& url :
       {"smtp://127.0.0.1:" + port("submission"), "smtps://127.0.0.1:" + port("submissions")}) {
    const auto r =
        run_command("curl",
                    {"--silent", "--show-error", "--max-time", "10", "--ssl-reqd", "--cacert", ca(),
                     "--user", std::string(user) + ":" + password, "--mail-from", user,
                     "--mail-rcpt", user, "--upload-file", "-", url},
                    "Subject: curl\r\n\r\nsubmitted by curl\r\n");
    EXPECT_EQ(r.exit_code, 0) << url << "\n" << r.output;
  }
}

TEST_F(clients, openssl_s_client_upgrades_every_starttls_port_and_verifies_the_certificate) {
  for (const auto& [proto, service] : {std::pair{"smtp", "smtp"}, std::pair{"smtp", "submission"},
                                       std::pair{"pop3", "pop3"}, std::pair{"imap", "imap"}}) {
    const auto r = run_command(
        "openssl", {"s_client", "-starttls", proto, "-connect", "127.0.0.1:" + port(service),
                    "-CAfile", ca(), "-verify_return_error", "-brief"});
    EXPECT_EQ(r.exit_code, 0) << service << "\n" << r.output;
    EXPECT_NE(r.output.find("Verification: OK"), std::string::npos) << service << "\n" << r.output;
    EXPECT_NE(r.output.find("TLSv1.3"), std::string::npos) << service << "\n" << r.output;
  }
}

TEST_F(clients, tls_1_0_is_refused_on_an_implicit_port) {
  // RFC 8996: the server answers a TLS 1.0 ClientHello with a protocol_version alert (70).
  const auto r = run_command("openssl", {"s_client", "-tls1", "-cipher", "DEFAULT:@SECLEVEL=0",
                                         "-connect", "127.0.0.1:" + port("submissions"), "-brief"});
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("alert protocol version"), std::string::npos) << r.output;
  // Positive control: the same probe capped at TLS 1.2 gets through.
  const auto ok =
      run_command("openssl", {"s_client", "-tls1_2", "-connect", "127.0.0.1:" + port("submissions"),
                              "-CAfile", ca(), "-verify_return_error", "-brief"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("TLSv1.2"), std::string::npos) << ok.output;
}

// Nothing acknowledged is lost: every message swaks saw a 250 for is on disk after a SIGKILL.
TEST(durability, acknowledged_messages_survive_sigkill) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("mailtls-kill-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto accounts = dir / "postfix-accounts.cf";
  const auto pw_file = dir / "pw";
  std::ofstream(pw_file) << password << "\n";
  ASSERT_EQ(run_command(MAILTLS_SERVER_BINARY, {"add-user", "--accounts", accounts.string(),
                                                "--password-file", pw_file.string(), user})
                .exit_code,
            0);
  server_process server({"--accounts", accounts.string()});
  constexpr int messages = 5;
  for (int i = 0; i < messages; ++i) {
    const auto r = run_command(
        "swaks", {"--server", "127.0.0.1", "--port", std::to_string(server.port("smtp")), "--from",
                  "sender@example.net", "--to", user, "--body", "durable " + std::to_string(i),
                  "--timeout", "10"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_NE(r.output.find("250 2.0.0"), std::string::npos) << r.output;
  }
  const auto maildir = server.state_dir() / "mail" / "mailtls.test" / "alice";
  server.kill_hard();
  int found = 0;
  for (const auto& e : std::filesystem::directory_iterator(maildir / "new")) {
    std::ifstream in(e.path());
    const std::string content((std::istreambuf_iterator<char>(in)), {});
    found += content.find("durable ") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(found, messages);
  EXPECT_TRUE(std::filesystem::is_empty(maildir / "tmp"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mailtls::test
