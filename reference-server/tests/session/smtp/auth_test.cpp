// AUTH PLAIN and LOGIN (RFC 4954, RFC 4616): challenges, cancel, failures with the delay,
// sequencing rules, and that no secret reaches a log line.
#include "harness.hpp"

namespace mailtls::server::smtp::test {
namespace {

constexpr const char* ok235 = "send \"235 2.7.0 Authentication successful\\r\\n\"";
constexpr const char* fail535 =
    "pause 1000ms\nsend \"535 5.7.8 Authentication credentials invalid\\r\\n\"";

std::unique_ptr<harness> ready() {
  auto h = std::make_unique<harness>(listener::submissions);
  h->connected();
  h->feed("EHLO client.example\r\n");
  return h;
}

TEST(auth, plain_with_initial_response) {
  auto h = ready();
  EXPECT_EQ(h->feed("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "log info \"AUTH PLAIN succeeded for alice@example.org\"\n" + std::string(ok235) +
                "\nread 300000ms");
  EXPECT_TRUE(h->s->authenticated());
}

TEST(auth, plain_with_empty_challenge_split_invariant) {
  const std::string t = expect_split_invariant(
      ready, "AUTH PLAIN\r\nAGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\nNOOP\r\n");
  EXPECT_EQ(t, "send \"334 \\r\\n\"\nlog info \"AUTH PLAIN succeeded for alice@example.org\"\n" +
                   std::string(ok235) + "\nsend \"250 2.0.0 Ok\\r\\n\"\n");
}

TEST(auth, login_two_challenges) {
  auto h = ready();
  EXPECT_EQ(h->feed("auth login\r\n"), "send \"334 VXNlcm5hbWU6\\r\\n\"\nread 300000ms");
  EXPECT_EQ(h->feed("YWxpY2VAZXhhbXBsZS5vcmc=\r\n"),
            "send \"334 UGFzc3dvcmQ6\\r\\n\"\nread 300000ms");
  EXPECT_FALSE(h->s->authenticated());
  EXPECT_EQ(h->feed("czNjcmV0\r\n"), "log info \"AUTH LOGIN succeeded for alice@example.org\"\n" +
                                         std::string(ok235) + "\nread 300000ms");
  EXPECT_TRUE(h->s->authenticated());
}

TEST(auth, login_with_initial_user_name) {
  auto h = ready();
  EXPECT_EQ(h->feed("AUTH LOGIN YWxpY2VAZXhhbXBsZS5vcmc=\r\n"),
            "send \"334 UGFzc3dvcmQ6\\r\\n\"\nread 300000ms");
  EXPECT_EQ(h->feed("czNjcmV0\r\n"), "log info \"AUTH LOGIN succeeded for alice@example.org\"\n" +
                                         std::string(ok235) + "\nread 300000ms");
}

TEST(auth, wrong_password_pauses_then_535_and_logs_no_secret) {
  auto h = ready();
  const std::string t = h->feed("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHdyb25n\r\n");
  EXPECT_EQ(t, "log info \"AUTH PLAIN failed for alice@example.org\"\n" + std::string(fail535) +
                   "\nread 300000ms");
  EXPECT_EQ(t.find("wrong"), std::string::npos);
  EXPECT_FALSE(h->s->authenticated());
  // A new attempt is allowed.
  h->feed("AUTH LOGIN\r\nYWxpY2VAZXhhbXBsZS5vcmc=\r\n");
  const std::string u = h->feed("d3Jvbmc=\r\n");
  EXPECT_EQ(u, "log info \"AUTH LOGIN failed for alice@example.org\"\n" + std::string(fail535) +
                   "\nread 300000ms");
  EXPECT_EQ(u.find("d3Jvbmc"), std::string::npos);
}

TEST(auth, success_log_has_no_password) {
  auto h = ready();
  const std::string t = h->feed("AUTH LOGIN\r\nYWxpY2VAZXhhbXBsZS5vcmc=\r\nczNjcmV0\r\n");
  EXPECT_EQ(t.find("s3cret"), std::string::npos);
  EXPECT_EQ(t.find("czNjcmV0"), std::string::npos);
}

TEST(auth, failed_auth_delay_is_configurable) {
  auto c = make_config(listener::submissions);
  c.failed_auth_delay_ms = 2500;
  harness h(c);
  h.connected();
  h.feed("EHLO c\r\n");
  EXPECT_EQ(h.feed("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHdyb25n\r\n"),
            "log info \"AUTH PLAIN failed for alice@example.org\"\npause 2500ms\n"
            "send \"535 5.7.8 Authentication credentials invalid\\r\\n\"\nread 300000ms");
}

TEST(auth, cancel_with_star) {
  auto h = ready();
  h->feed("AUTH LOGIN\r\n");
  EXPECT_EQ(h->feed("*\r\n"),
            "log info \"AUTH LOGIN aborted: cancelled\"\n"
            "send \"501 5.7.0 Authentication cancelled\\r\\n\"\nread 300000ms");
  EXPECT_FALSE(h->s->authenticated());
  EXPECT_EQ(h->feed("NOOP\r\n"), "send \"250 2.0.0 Ok\\r\\n\"\nread 300000ms");
}

TEST(auth, bad_base64) {
  auto h = ready();
  // On the command line: the parser rejects it.
  EXPECT_EQ(h->feed("AUTH PLAIN AGFs!!!\r\n"),
            "send \"501 5.5.2 Cannot decode response\\r\\n\"\nread 300000ms");
  // As a response line: the SASL session rejects it.
  h->feed("AUTH PLAIN\r\n");
  EXPECT_EQ(h->feed("Zh==\r\n"),
            "log info \"AUTH PLAIN aborted: bad_base64\"\n"
            "send \"501 5.5.2 Cannot decode response\\r\\n\"\nread 300000ms");
}

TEST(auth, malformed_plain_message_is_a_failure) {
  auto h = ready();
  // base64("alice") has no NUL separators.
  EXPECT_EQ(h->feed("AUTH PLAIN YWxpY2U=\r\n"),
            "log info \"AUTH PLAIN aborted: malformed_message\"\n" + std::string(fail535) +
                "\nread 300000ms");
  EXPECT_EQ(h->backend.authentications(), 0u);
}

TEST(auth, empty_initial_response_is_equals_sign) {
  auto h = ready();
  // RFC 4954 §4: "=" is an empty initial response; an empty PLAIN message is malformed.
  EXPECT_EQ(h->feed("AUTH PLAIN =\r\n"), "log info \"AUTH PLAIN aborted: malformed_message\"\n" +
                                             std::string(fail535) + "\nread 300000ms");
}

TEST(auth, authzid_must_be_the_same_user) {
  auto h = ready();
  // authzid == authcid: fine.
  EXPECT_EQ(h->feed("AUTH PLAIN YWxpY2VAZXhhbXBsZS5vcmcAYWxpY2VAZXhhbXBsZS5vcmcAczNjcmV0\r\n"),
            "log info \"AUTH PLAIN succeeded for alice@example.org\"\n" + std::string(ok235) +
                "\nread 300000ms");
  auto g = ready();
  // bob@ as authzid with alice's credentials: no proxy authorization.
  EXPECT_EQ(g->feed("AUTH PLAIN Ym9iQGV4YW1wbGUub3JnAGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "log info \"AUTH PLAIN failed for alice@example.org\"\n" + std::string(fail535) +
                "\nread 300000ms");
  EXPECT_FALSE(g->s->authenticated());
}

TEST(auth, unknown_mechanism) {
  auto h = ready();
  EXPECT_EQ(h->feed("AUTH CRAM-MD5\r\n"),
            "send \"504 5.5.4 Unrecognized authentication type\\r\\n\"\nread 300000ms");
  EXPECT_EQ(h->feed("AUTH\r\n"),
            "send \"501 5.5.4 Syntax: AUTH mechanism [initial-response]\\r\\n\"\n"
            "read 300000ms");
}

TEST(auth, sequencing_rules) {
  // Only after EHLO (RFC 4954 §4).
  harness h(listener::submissions);
  h.connected();
  EXPECT_EQ(h.feed("AUTH PLAIN\r\n"),
            "send \"503 5.5.1 Error: send EHLO first\\r\\n\"\nread 300000ms");
  h.feed("HELO c\r\n");
  EXPECT_EQ(h.feed("AUTH PLAIN\r\n"),
            "send \"503 5.5.1 Error: send EHLO first\\r\\n\"\nread 300000ms");
  // Not twice.
  h.logged_in();
  EXPECT_EQ(h.feed("AUTH PLAIN\r\n"),
            "send \"503 5.5.1 Error: already authenticated\\r\\n\"\nread 300000ms");
  // EHLO keeps the authentication.
  h.feed("EHLO c\r\n");
  EXPECT_TRUE(h.s->authenticated());
}

TEST(auth, not_during_a_transaction) {
  auto c = make_config(listener::submissions);
  c.require_auth_for_mail = false;
  harness h(c);
  h.connected();
  h.feed("EHLO c\r\nMAIL FROM:<a@remote.test>\r\n");
  EXPECT_EQ(h.feed("AUTH PLAIN\r\n"),
            "send \"503 5.5.1 Error: MAIL transaction in progress\\r\\n\"\nread 300000ms");
}

TEST(auth, not_offered_on_port_25) {
  harness h(listener::smtp);
  h.connected();
  h.feed("EHLO c\r\n");
  EXPECT_EQ(h.feed("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "send \"503 5.5.1 Error: authentication not enabled\\r\\n\"\nread 300000ms");
  h.secured();
  h.feed("EHLO c\r\n");
  EXPECT_EQ(h.feed("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "send \"503 5.5.1 Error: authentication not enabled\\r\\n\"\nread 300000ms");
  EXPECT_FALSE(h.s->authenticated());
}

TEST(auth, long_initial_response_is_allowed) {
  // RFC 4954 §4: AUTH lines up to 12288 octets, beyond config::max_line (512).
  auto h = ready();
  std::string blob(2000, 'A');  // decodes to NULs: a malformed PLAIN message, but it is read
  EXPECT_EQ(h->feed("AUTH PLAIN " + blob + "\r\n"),
            "log info \"AUTH PLAIN aborted: malformed_message\"\n" + std::string(fail535) +
                "\nread 300000ms");
}

TEST(auth, overlong_response_line) {
  auto h = ready();
  h->feed("AUTH PLAIN\r\n");
  const std::string big(13000, 'A');
  EXPECT_EQ(h->feed(big),
            "send \"500 5.5.6 Authentication Exchange line is too long\\r\\n\"\nread 300000ms");
  // The rest of the line is skipped, then commands again.
  EXPECT_EQ(h->feed("AAAA\r\nNOOP\r\n"), "send \"250 2.0.0 Ok\\r\\n\"\nread 300000ms");
  EXPECT_FALSE(h->s->authenticated());
}

TEST(auth, bare_lf_in_response_line) {
  auto h = ready();
  h->feed("AUTH PLAIN\r\n");
  EXPECT_EQ(h->feed("AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\nNOOP\r\n"),
            "send \"501 5.5.2 Invalid authentication response\\r\\n\"\n"
            "send \"250 2.0.0 Ok\\r\\n\"\nread 300000ms");
  EXPECT_FALSE(h->s->authenticated());
}

TEST(auth, timeout_during_exchange) {
  auto h = ready();
  h->feed("AUTH LOGIN\r\n");
  EXPECT_EQ(h->timeout(),
            "log info \"idle timeout\"\n"
            "send \"421 4.4.2 mx.example.org Error: timeout exceeded\\r\\n\"\nclose");
}

}  // namespace
}  // namespace mailtls::server::smtp::test
