// AUTHORIZATION state (RFC 1939 §4, §7; RFC 2449 CAPA; RFC 5034 AUTH) on 110 and 995.
#include <gtest/gtest.h>

#include "driver.hpp"

namespace mailtls::server::pop3::test {
namespace {

constexpr std::string_view capa_110_cleartext =
    R"(send "+OK Capability list follows\r\nSTLS\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nIMPLEMENTATION mailtls\r\n.\r\n"
read 600000ms)";
constexpr std::string_view capa_tls =
    R"(send "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION mailtls\r\n.\r\n"
read 600000ms)";
constexpr std::string_view plaintext_refused =
    R"(send "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n"
read 600000ms)";
constexpr std::string_view logged_in_alice =
    R"(log info "login user=alice@example.org mechanism=USER tls=yes"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
read 600000ms)";
constexpr std::string_view auth_failed = R"(pause 1000ms
send "-ERR [AUTH] Authentication failed\r\n"
read 600000ms)";

TEST(pop3_authorization, fixture_messages_have_the_sizes_the_transcripts_use) {
  EXPECT_EQ(message_1.size(), 62u);
  EXPECT_EQ(message_2.size(), 37u);
}

TEST(pop3_authorization, greeting_on_110_is_cleartext) {
  driver d;
  EXPECT_EQ(d.connect(), R"(log info "connect from 192.0.2.7:40110 listener=pop3 tls=no"
send "+OK mailtls POP3 ready\r\n"
read 600000ms)");
  EXPECT_FALSE(d.session->tls_active());
  EXPECT_FALSE(d.session->authenticated());
  EXPECT_FALSE(d.session->closed());
}

TEST(pop3_authorization, greeting_on_995_is_inside_tls) {
  driver d(listener(listener_kind::pop3s));
  EXPECT_EQ(d.connect(true), R"(log info "connect from 192.0.2.7:40110 listener=pop3s tls=yes"
send "+OK mailtls POP3 ready\r\n"
read 600000ms)");
  EXPECT_TRUE(d.session->tls_active());
}

TEST(pop3_authorization, apop_timestamp_in_the_greeting_when_offered) {
  config c = listener(listener_kind::pop3s);
  c.offer_apop = true;
  driver d(c);
  d.backend.set_now(1'700'000'123);
  EXPECT_EQ(d.connect(true), R"(log info "connect from 192.0.2.7:40110 listener=pop3s tls=yes"
send "+OK mailtls POP3 ready <1700000123.40110@pop.example.org>\r\n"
read 600000ms)");
  // The backend only checks passwords: APOP cannot be verified and is refused.
  EXPECT_EQ(d.bytes("APOP alice@example.org c4c9334bac560ecc979e58001b3e22fb\r\n"),
            R"(send "-ERR APOP not supported\r\n"
read 600000ms)");
  EXPECT_FALSE(d.session->authenticated());
}

TEST(pop3_authorization, capa_on_110_before_tls_offers_stls_and_no_login) {
  driver d;
  d.connect();
  EXPECT_EQ(d.bytes("CAPA\r\n"), capa_110_cleartext);
}

TEST(pop3_authorization, capa_after_stls_offers_login_and_no_stls) {
  driver d;
  d.connect();
  EXPECT_EQ(d.bytes("STLS\r\n"), R"(send "+OK Begin TLS negotiation\r\n"
start_tls)");
  EXPECT_EQ(d.tls_up(), R"(log info "TLS established TLSv1.3 TLS_AES_256_GCM_SHA384"
read 600000ms)");
  EXPECT_TRUE(d.session->tls_active());
  EXPECT_EQ(d.bytes("CAPA\r\n"), capa_tls);
}

TEST(pop3_authorization, capa_on_995) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  EXPECT_EQ(d.bytes("capa\r\n"), capa_tls);
}

TEST(pop3_authorization, every_login_command_is_refused_before_tls_on_110) {
  driver d;
  d.connect();
  EXPECT_EQ(d.bytes("USER alice@example.org\r\n"), plaintext_refused);
  EXPECT_EQ(d.bytes("PASS secret\r\n"), plaintext_refused);
  EXPECT_EQ(d.bytes("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldA==\r\n"), plaintext_refused);
  EXPECT_EQ(d.bytes("AUTH LOGIN\r\n"), plaintext_refused);
  EXPECT_EQ(d.bytes("AUTH\r\n"), plaintext_refused);
  EXPECT_EQ(d.bytes("APOP alice@example.org c4c9334bac560ecc979e58001b3e22fb\r\n"),
            plaintext_refused);
  EXPECT_FALSE(d.session->authenticated());
  EXPECT_EQ(d.backend.authentications(), 0u);
  EXPECT_EQ(d.session->bad_commands(), 0u);  // refusals by policy are not bad commands
}

TEST(pop3_authorization, user_pass_after_stls) {
  driver d;
  d.connect();
  d.bytes("STLS\r\n");
  d.tls_up();
  EXPECT_EQ(d.bytes("USER alice@example.org\r\n"), R"(send "+OK Password required\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("PASS secret\r\n"), logged_in_alice);
  EXPECT_TRUE(d.session->authenticated());
  EXPECT_EQ(d.session->user(), "alice@example.org");
}

TEST(pop3_authorization, user_pass_on_995) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  EXPECT_EQ(d.bytes("USER alice@EXAMPLE.org\r\nPASS secret\r\n"),
            R"(send "+OK Password required\r\n"
log info "login user=alice@example.org mechanism=USER tls=yes"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
read 600000ms)");
  EXPECT_TRUE(d.session->authenticated());
}

TEST(pop3_authorization, password_may_contain_spaces) {
  driver d(listener(listener_kind::pop3s));
  d.backend.add_user("carol@example.org", "two words ");
  d.connect(true);
  d.bytes("USER carol@example.org\r\n");
  EXPECT_EQ(d.bytes("PASS two words \r\n"),
            R"(log info "login user=carol@example.org mechanism=USER tls=yes"
send "+OK Maildrop ready, 0 messages (0 octets)\r\n"
read 600000ms)");
}

TEST(pop3_authorization, wrong_password_pauses_then_fails_and_forgets_the_user) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  d.bytes("USER alice@example.org\r\n");
  EXPECT_EQ(d.bytes("PASS wrong\r\n"),
            std::string(R"(log warn "authentication failed user=alice@example.org mechanism=USER"
)") + std::string(auth_failed));
  EXPECT_FALSE(d.session->authenticated());
  EXPECT_EQ(d.bytes("PASS secret\r\n"), R"(send "-ERR No user name given, send USER first\r\n"
read 600000ms)");
  EXPECT_EQ(d.session->bad_commands(), 1u);
}

TEST(pop3_authorization, unknown_user_fails_like_a_wrong_password) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  d.bytes("USER mallory@example.org\r\n");
  EXPECT_EQ(d.bytes("PASS secret\r\n"),
            std::string(R"(log warn "authentication failed user=mallory@example.org mechanism=USER"
)") + std::string(auth_failed));
}

TEST(pop3_authorization, no_delay_when_configured_to_zero) {
  config c = listener(listener_kind::pop3s);
  c.limits.failed_auth_delay_ms = 0;
  driver d(c);
  d.connect(true);
  EXPECT_EQ(d.bytes("USER a@example.org\r\nPASS x\r\n"), R"(send "+OK Password required\r\n"
log warn "authentication failed user=a@example.org mechanism=USER"
send "-ERR [AUTH] Authentication failed\r\n"
read 600000ms)");
}

TEST(pop3_authorization, pass_without_user) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  EXPECT_EQ(d.bytes("PASS secret\r\n"), R"(send "-ERR No user name given, send USER first\r\n"
read 600000ms)");
  EXPECT_EQ(d.backend.authentications(), 0u);
}

TEST(pop3_authorization, cleartext_login_when_tls_is_not_required) {
  config c = listener(listener_kind::pop3);
  c.require_tls_for_auth = false;
  driver d(c);
  d.connect();
  EXPECT_EQ(
      d.bytes("CAPA\r\n"),
      R"(send "+OK Capability list follows\r\nSTLS\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION mailtls\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("USER alice@example.org\r\nPASS secret\r\n"),
            R"(send "+OK Password required\r\n"
log info "login user=alice@example.org mechanism=USER tls=no"
send "+OK Maildrop ready, 2 messages (99 octets)\r\n"
read 600000ms)");
  EXPECT_TRUE(d.session->authenticated());
  EXPECT_FALSE(d.session->tls_active());
}

TEST(pop3_authorization, user_given_before_stls_is_forgotten) {
  config c = listener(listener_kind::pop3);
  c.require_tls_for_auth = false;
  driver d(c);
  d.connect();
  d.bytes("USER alice@example.org\r\n");
  d.bytes("STLS\r\n");
  d.tls_up();
  EXPECT_EQ(d.bytes("PASS secret\r\n"), R"(send "-ERR No user name given, send USER first\r\n"
read 600000ms)");
  EXPECT_FALSE(d.session->authenticated());
  EXPECT_EQ(d.backend.authentications(), 0u);
}

TEST(pop3_authorization, offer_user_false) {
  config c = listener(listener_kind::pop3s);
  c.offer_user = false;
  driver d(c);
  d.connect(true);
  EXPECT_EQ(
      d.bytes("CAPA\r\n"),
      R"(send "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION mailtls\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("USER alice@example.org\r\nPASS secret\r\n"),
            R"(send "-ERR USER/PASS not available, use AUTH\r\n"
send "-ERR No user name given, send USER first\r\n"
read 600000ms)");
  EXPECT_EQ(d.backend.authentications(), 0u);
}

TEST(pop3_authorization, offer_sasl_false) {
  config c = listener(listener_kind::pop3s);
  c.offer_sasl = false;
  driver d(c);
  d.connect(true);
  EXPECT_EQ(
      d.bytes("CAPA\r\n"),
      R"(send "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nIMPLEMENTATION mailtls\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHNlY3JldA==\r\nAUTH\r\n"),
            R"(send "-ERR SASL authentication not available\r\n"
send "-ERR SASL authentication not available\r\n"
read 600000ms)");
}

TEST(pop3_authorization, transaction_commands_before_login) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  EXPECT_EQ(d.bytes("STAT\r\nLIST\r\nRETR 1\r\nNOOP\r\n"),
            R"(send "-ERR Command not valid in AUTHORIZATION state\r\n"
send "-ERR Command not valid in AUTHORIZATION state\r\n"
send "-ERR Command not valid in AUTHORIZATION state\r\n"
send "-ERR Command not valid in AUTHORIZATION state\r\n"
read 600000ms)");
  EXPECT_EQ(d.session->bad_commands(), 4u);
}

TEST(pop3_authorization, quit_before_login_closes_without_update) {
  driver d;
  d.connect();
  EXPECT_EQ(d.bytes("QUIT\r\nNOOP\r\n"), R"(send "+OK mailtls POP3 server signing off\r\n"
close)");
  EXPECT_TRUE(d.session->closed());
  EXPECT_EQ(d.bytes("NOOP\r\n"), "");
  EXPECT_EQ(d.timeout(), "");
  EXPECT_EQ(d.shutdown(), "");
}

// A backend whose mailboxes cannot be opened (a lock held elsewhere, say).
class no_mailbox_backend final : public backend {
 public:
  explicit no_mailbox_backend(memory_backend& b) : b_(b) {}
  bool is_local_domain(std::string_view d) const override { return b_.is_local_domain(d); }
  bool has_user(std::string_view a) const override { return b_.has_user(a); }
  std::optional<std::string> authenticate(std::string_view u, std::string_view p) override {
    return b_.authenticate(u, p);
  }
  std::error_code deliver(const envelope& e, std::string_view m) override {
    return b_.deliver(e, m);
  }
  std::vector<std::string> list_mailboxes(std::string_view u) override {
    return b_.list_mailboxes(u);
  }
  std::unique_ptr<mailbox> open_mailbox(std::string_view, std::string_view) override {
    return nullptr;
  }
  std::int64_t now() const override { return b_.now(); }

 private:
  memory_backend& b_;
};

TEST(pop3_authorization, maildrop_that_cannot_be_opened_is_in_use) {
  memory_backend mem;
  mem.add_user("alice@example.org", "secret");
  no_mailbox_backend b(mem);
  pop3_session s(b, listener(listener_kind::pop3s));
  act::actions out;
  s.on_connect({.peer_address = "192.0.2.7", .peer_port = 40110, .implicit_tls = true}, out);
  out.clear();
  s.on_bytes("USER alice@example.org\r\nPASS secret\r\n", out);
  EXPECT_EQ(act::to_string(out), R"(send "+OK Password required\r\n"
log warn "maildrop of alice@example.org not available"
send "-ERR [IN-USE] Unable to open maildrop\r\n"
read 600000ms)");
  EXPECT_FALSE(s.authenticated());
}

}  // namespace
}  // namespace mailtls::server::pop3::test
