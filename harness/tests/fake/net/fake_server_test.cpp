// The fake server on loopback: a scripted client (a thread with a blocking socket and the TLS
// engine in client mode) against the interpreter, the certificate kit and the Asio driver.
#include "fake/net/fake_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>

#include "fake/interpreter.hpp"
#include "scenario/parser.hpp"
#include "tls/cert_kit.hpp"
#include "tls/engine.hpp"

namespace mailtls::fake::net {
namespace {

std::string file(std::string_view body) {
  return "id: t\ntitle: t\nservices: submission\nrefs: RFC 3207\nkeywords: client\n"
         "severity: high\nrole: server\n" +
         std::string(body);
}

// A blocking loopback client with a receive timeout.
class test_client {
 public:
  explicit test_client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~test_client() { ::close(fd_); }
  bool ok() const { return ok_; }

  void send_raw(std::string_view b) {
    if (!b.empty()) (void)::send(fd_, b.data(), b.size(), MSG_NOSIGNAL);
  }
  // One recv; "" on EOF or timeout.
  std::string recv_raw() {
    char buf[16384];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }
  // Plaintext or TLS, whichever is up.
  void send(std::string_view text) {
    if (!engine_) return send_raw(text);
    engine_->write_plaintext(text);
    flush();
  }
  // Reads until `want` appears (bounded by 20 reads).
  std::string read_until(std::string_view want) {
    std::string got;
    for (int i = 0; i < 20 && got.find(want) == std::string::npos; ++i) {
      const auto raw = recv_raw();
      if (raw.empty()) break;
      if (!engine_) {
        got += raw;
        continue;
      }
      engine_->feed_ciphertext(raw);
      engine_->read_plaintext(got);
      flush();
    }
    return got;
  }
  // Client handshake trusting `ca_pem`, for the name 127.0.0.1. True when established.
  bool handshake(const std::string& ca_pem) {
    tls::client_config c;
    c.ca_pem = ca_pem;
    c.server_name = "127.0.0.1";
    auto ctx = tls::context::make_client(c);
    if (!ctx) return false;
    engine_.emplace(*ctx);
    for (int i = 0; i < 50; ++i) {
      flush();
      if (engine_->handshake_done()) return true;
      if (engine_->failed()) return false;
      const auto raw = recv_raw();
      if (raw.empty()) return false;
      engine_->feed_ciphertext(raw);
    }
    return false;
  }
  void close() { ::shutdown(fd_, SHUT_RDWR); }

 private:
  void flush() {
    std::string out;
    engine_->take_ciphertext(out);
    send_raw(out);
  }
  int fd_ = -1;
  bool ok_ = false;
  std::optional<tls::engine> engine_;
};

struct harness {
  explicit harness(std::string_view body) : sc(parse(body)) {
    server_options o;
    o.accept_timeout_ms = 5'000;
    std::string error;
    server = fake_server::open(o, error);
    EXPECT_TRUE(server) << error;
    auto k = tls::cert_kit::make("127.0.0.1");
    EXPECT_TRUE(k);
    kit.emplace(std::move(*k));
    run_config c;
    c.target = runner::service::submission;
    c.limits.step_timeout_ms = 3'000;
    c.variables =
        runner::standard_variables("127.0.0.1", server->port(), "mail.test", "alice", "s3cret");
    c.secret_variables = runner::secret_variable_names();
    interp = std::make_unique<interpreter>(sc, c);
  }
  static scenario::scenario parse(std::string_view body) {
    auto r = scenario::parse(file(body), "t.scn");
    EXPECT_TRUE(r.ok()) << r.error->to_string();
    return std::move(r.value);
  }
  runner::scenario_result serve() {
    return server->serve_one(*interp, [&](const start_tls& a) {
      return kit->server_context(static_cast<tls::presented_cert>(a.cert), tls::tls_version::tls1_2,
                                 tls::tls_version::tls1_3);
    });
  }

  scenario::scenario sc;
  std::unique_ptr<fake_server> server;
  std::optional<tls::cert_kit> kit;
  std::unique_ptr<interpreter> interp;
};

constexpr std::string_view stripping =
    "S: 220 mail.test ESMTP\nC: EHLO *\nS: 250-mail.test\nS: 250 AUTH PLAIN\nexpect abort\n";

TEST(fake_server, stripping_client_that_quits_passes) {
  harness h(stripping);
  std::string seen;
  std::thread client([&] {
    test_client c(h.server->port());
    seen += c.read_until("\r\n");
    c.send("EHLO client\r\n");
    seen += c.read_until("250 AUTH PLAIN\r\n");
    c.send("QUIT\r\n");
    seen += c.read_until("221");
  });
  const auto r = h.serve();
  client.join();
  EXPECT_EQ(r.v.result, runner::outcome::pass) << r.v.reason;
  EXPECT_EQ(seen, "220 mail.test ESMTP\r\n250-mail.test\r\n250 AUTH PLAIN\r\n221 2.0.0 Bye\r\n");
}

TEST(fake_server, cleartext_credentials_fail) {
  harness h(stripping);
  std::thread client([&] {
    test_client c(h.server->port());
    c.read_until("\r\n");
    c.send("EHLO client\r\n");
    c.read_until("250 AUTH PLAIN\r\n");
    c.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n");
    c.read_until("never");
  });
  const auto r = h.serve();
  client.join();
  EXPECT_EQ(r.v.result, runner::outcome::fail);
  EXPECT_EQ(r.v.reason, "client sent credentials in cleartext: AUTH PLAIN <redacted>");
}

TEST(fake_server, client_rejects_an_expired_certificate) {
  harness h(
      "S: 220 mail.test ESMTP\nC: EHLO *\nS: 250 STARTTLS\nC: STARTTLS\nS: 220 go\n"
      "starttls cert expired\nexpect tls fail\n");
  bool established = true;
  std::thread client([&] {
    test_client c(h.server->port());
    c.read_until("\r\n");
    c.send("EHLO client\r\n");
    c.read_until("250 STARTTLS\r\n");
    c.send("STARTTLS\r\n");
    c.read_until("220 go\r\n");
    established = c.handshake(h.kit->ca().certificate_pem);
    c.close();
  });
  const auto r = h.serve();
  client.join();
  EXPECT_FALSE(established);
  EXPECT_EQ(r.v.result, runner::outcome::pass) << r.v.reason;
  ASSERT_EQ(r.v.notes.size(), 1u);
  EXPECT_EQ(r.v.notes[0],
            "the client rejected the TLS handshake: the client sent the TLS alert 'certificate "
            "expired'");
  EXPECT_FALSE(r.tls.established);
}

TEST(fake_server, baseline_login_over_tls_passes) {
  harness h(
      "S: 220 mail.test ESMTP\nC: EHLO *\nS: 250 STARTTLS\nC: STARTTLS\nS: 220 go\nstarttls\n"
      "C: EHLO *\nS: 250 AUTH PLAIN\nC: AUTH PLAIN *\nS: 235 ok\nC: QUIT\nS: 221 bye\n"
      "expect close\n");
  std::string after;
  std::thread client([&] {
    test_client c(h.server->port());
    c.read_until("\r\n");
    c.send("EHLO client\r\n");
    c.read_until("250 STARTTLS\r\n");
    c.send("STARTTLS\r\n");
    c.read_until("220 go\r\n");
    if (!c.handshake(h.kit->ca().certificate_pem)) return;
    c.send("EHLO client\r\n");
    after += c.read_until("250 AUTH PLAIN\r\n");
    c.send("AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n");
    after += c.read_until("235 ok\r\n");
    c.send("QUIT\r\n");
    after += c.read_until("221 bye\r\n");
    c.close();
  });
  const auto r = h.serve();
  client.join();
  EXPECT_EQ(after, "250 AUTH PLAIN\r\n235 ok\r\n221 bye\r\n");
  EXPECT_EQ(r.v.result, runner::outcome::pass) << r.v.reason;
  EXPECT_TRUE(r.tls.established);
  EXPECT_EQ(r.tls.version.substr(0, 5), "TLSv1");
  for (const auto& e : r.transcript)
    EXPECT_EQ(e.text.find("AGFsaWNl"), std::string::npos) << e.text;
}

TEST(fake_server, no_client_is_an_error) {
  harness h(stripping);
  int polls = 0;
  const auto r = h.server->serve_one(
      *h.interp, [](const start_tls&) { return tls::result<tls::context>{}; },
      [&] { return ++polls > 3; });
  EXPECT_EQ(r.v.result, runner::outcome::error);
  EXPECT_EQ(r.v.reason, "the client exited without connecting");
  EXPECT_FALSE(h.interp->finished());
}

}  // namespace
}  // namespace mailtls::fake::net
