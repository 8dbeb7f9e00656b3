// The IMAP session's connection policy: greetings, STARTTLS (RFC 9051 §6.2.1, RFC 2595, RFC 3207
// §4.2 by analogy), the login rules per listener, the bug modes, limits, framing and pipelining.
#include "session/imap/imap_session.hpp"

#include <gtest/gtest.h>

#include "imap_fixture.hpp"

namespace mailtls::server::imap::test {
namespace {

bug_set with(bug b) {
  bug_set s;
  s.add(b);
  return s;
}

// The transcript without the `read` actions (their number depends on how input was cut).
std::string without_reads(const act::actions& list) {
  std::string out;
  for (const auto& a : list) {
    if (std::holds_alternative<act::read>(a)) continue;
    out += act::to_string(a) + "\n";
  }
  return out;
}

using imap_session_test = imap_fixture;

TEST_F(imap_session_test, greeting_on_143_offers_starttls_and_logindisabled) {
  make(listener_kind::imap);
  EXPECT_EQ(connect(),
            R"(log info "connection from 192.0.2.1:40000 on imap"
send "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS LOGINDISABLED] mailtls ready\r\n"
read 1800000ms)");
  EXPECT_FALSE(s_->tls_active());
  EXPECT_FALSE(s_->authenticated());
  EXPECT_EQ(
      feed("c1 CAPABILITY\r\n"),
      R"(send "* CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS LOGINDISABLED\r\n"
send "c1 OK CAPABILITY completed\r\n"
read 1800000ms)");
}

TEST_F(imap_session_test, greeting_on_993_offers_auth_plain) {
  make(listener_kind::imaps);
  EXPECT_EQ(connect(true), R"T(log info "connection from 192.0.2.1:40000 on imaps (TLS)"
send "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN] mailtls ready\r\n"
read 1800000ms)T");
  EXPECT_TRUE(s_->tls_active());
  EXPECT_EQ(feed("a STARTTLS\r\n"), R"(send "a BAD TLS already active\r\n"
read 1800000ms)");
}

TEST_F(imap_session_test, starttls_then_capabilities_change) {
  make(listener_kind::imap);
  connect();
  EXPECT_EQ(feed("a STARTTLS\r\n"), R"(send "a OK Begin TLS negotiation now\r\n"
start_tls)");
  EXPECT_EQ(tls(), R"(log info "TLS established: TLSv1.3 TLS_AES_128_GCM_SHA256"
read 1800000ms)");
  EXPECT_TRUE(s_->tls_active());
  EXPECT_EQ(sends("b CAPABILITY\r\n"),
            "* CAPABILITY " + caps_tls + "\r\nb OK CAPABILITY completed\r\n");
  // RFC 2595 §3.1: no second STARTTLS.
  EXPECT_EQ(sends("c STARTTLS\r\n"), "c BAD TLS already active\r\n");
  EXPECT_EQ(sends("d LOGIN alice@example.org s3cret\r\n"),
            "d OK [CAPABILITY " + caps_login + "] Logged in\r\n");
  EXPECT_TRUE(s_->authenticated());
}

TEST_F(imap_session_test, starttls_discards_pipelined_plaintext) {
  make(listener_kind::imap);
  connect();
  EXPECT_EQ(feed("a STARTTLS\r\nb LOGIN alice@example.org s3cret\r\n"),
            R"(send "a OK Begin TLS negotiation now\r\n"
start_tls
log warn "discarded 34 bytes pipelined after STARTTLS")");
  EXPECT_EQ(tls(), R"(log info "TLS established: TLSv1.3 TLS_AES_128_GCM_SHA256"
read 1800000ms)");
  EXPECT_FALSE(s_->authenticated());
  EXPECT_EQ(backend_.authentications(), 0u);
}

TEST_F(imap_session_test, starttls_discards_a_partial_pipelined_command) {
  make(listener_kind::imap);
  connect();
  EXPECT_EQ(feed("a STARTTLS\r\nb NOOP"), R"(send "a OK Begin TLS negotiation now\r\n"
start_tls
log warn "discarded 6 bytes pipelined after STARTTLS")");
  tls();
  // The half command is gone: "\r\n" alone is a fresh (empty, invalid) command.
  EXPECT_EQ(sends("c NOOP\r\n"), "c OK NOOP completed\r\n");
}

TEST_F(imap_session_test, bug_starttls_injection_answers_plaintext_inside_tls) {
  make(listener_kind::imap, with(bug::imap_starttls_injection));
  connect();
  EXPECT_EQ(feed("a STARTTLS\r\nb CAPABILITY\r\n"),
            R"T(send "a OK Begin TLS negotiation now\r\n"
start_tls
log warn "kept 14 bytes pipelined after STARTTLS (imap-starttls-injection)")T");
  EXPECT_EQ(tls(), R"(log info "TLS established: TLSv1.3 TLS_AES_128_GCM_SHA256"
send "* CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN\r\n"
send "b OK CAPABILITY completed\r\n"
read 1800000ms)");
}

TEST_F(imap_session_test, starttls_with_argument_is_bad_unless_bug) {
  make(listener_kind::imap);
  connect();
  EXPECT_EQ(feed("a STARTTLS now\r\n"), R"(send "a BAD STARTTLS takes no arguments\r\n"
read 1800000ms)");
  EXPECT_FALSE(s_->tls_active());
  make(listener_kind::imap, with(bug::starttls_argument_accepted));
  connect();
  EXPECT_EQ(feed("a STARTTLS now\r\n"), R"(send "a OK Begin TLS negotiation now\r\n"
start_tls)");
}

TEST_F(imap_session_test, bug_second_starttls_accepted) {
  make(listener_kind::imap, with(bug::second_starttls_accepted));
  connect();
  feed("a STARTTLS\r\n");
  tls();
  EXPECT_EQ(feed("b STARTTLS\r\n"), R"(send "b OK Begin TLS negotiation now\r\n"
start_tls)");
}

TEST_F(imap_session_test, bug_starttls_readvertised) {
  make(listener_kind::imap, with(bug::starttls_readvertised));
  connect();
  feed("a STARTTLS\r\n");
  tls();
  EXPECT_EQ(sends("b CAPABILITY\r\n"),
            "* CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS "
            "AUTH=PLAIN\r\nb OK CAPABILITY completed\r\n");
}

TEST_F(imap_session_test, login_before_tls_is_refused_with_privacyrequired) {
  make(listener_kind::imap);
  connect();
  EXPECT_EQ(feed("a LOGIN alice@example.org s3cret\r\n"),
            R"(log info "LOGIN refused before TLS"
send "a NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n"
read 1800000ms)");
  EXPECT_EQ(sends("b AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "b NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) "
            "connections.\r\n");
  EXPECT_FALSE(s_->authenticated());
  EXPECT_EQ(backend_.authentications(), 0u);
  // Nothing else is available before login.
  EXPECT_EQ(sends("c SELECT INBOX\r\n"), "c BAD Not authenticated\r\n");
}

TEST_F(imap_session_test, bug_login_before_tls) {
  make(listener_kind::imap, with(bug::imap_login_before_tls));
  connect();
  EXPECT_EQ(sends("a LOGIN alice@example.org s3cret\r\n"),
            "a OK [CAPABILITY " + caps_login + "] Logged in\r\n");
  EXPECT_TRUE(s_->authenticated());
  EXPECT_FALSE(s_->tls_active());
  EXPECT_EQ(sends("b STARTTLS\r\n"), "b BAD STARTTLS is only valid before authentication\r\n");
}

TEST_F(imap_session_test, bug_no_logindisabled_still_refuses_login) {
  make(listener_kind::imap, with(bug::imap_no_logindisabled));
  const std::string t = connect();
  EXPECT_NE(t.find("IDLE STARTTLS] mailtls ready (bugs injected: see log)"), std::string::npos)
      << t;
  EXPECT_NE(t.find(R"(log warn "injected bugs: imap-no-logindisabled")"), std::string::npos);
  EXPECT_EQ(sends("a LOGIN alice@example.org s3cret\r\n"),
            "a NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) "
            "connections.\r\n");
}

TEST_F(imap_session_test, bug_preauth_greets_with_preauth) {
  make(listener_kind::imap, with(bug::imap_preauth));
  const std::string t = connect();
  EXPECT_NE(t.find(R"(send "* PREAUTH [CAPABILITY )"), std::string::npos) << t;
  EXPECT_TRUE(s_->authenticated());
  // No account: no mailbox either.
  EXPECT_EQ(sends("a SELECT INBOX\r\n"), "a NO [NONEXISTENT] Mailbox does not exist\r\n");
}

TEST_F(imap_session_test, no_preauth_without_bug) {
  make(listener_kind::imap);
  EXPECT_EQ(connect().find("PREAUTH"), std::string::npos);
}

TEST_F(imap_session_test, cleartext_login_when_policy_allows_it) {
  make(listener_kind::imap, {}, /*require_tls=*/false);
  EXPECT_NE(connect().find("IDLE STARTTLS AUTH=PLAIN] mailtls ready"), std::string::npos);
  EXPECT_EQ(sends("a LOGIN alice@example.org s3cret\r\n"),
            "a OK [CAPABILITY " + caps_login + "] Logged in\r\n");
  EXPECT_EQ(sends("b STARTTLS\r\n"), "b BAD STARTTLS is only valid before authentication\r\n");
}

TEST_F(imap_session_test, login_success_logs_user_not_password) {
  make(listener_kind::imaps);
  connect(true);
  const std::string t = feed("a LOGIN alice@example.org s3cret\r\n");
  EXPECT_EQ(t, R"(log info "logged in as alice@example.org"
send "a OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE] Logged in\r\n"
read 1800000ms)");
  EXPECT_EQ(s_->user(), "alice@example.org");
  EXPECT_EQ(sends("b LOGIN alice@example.org s3cret\r\n"), "b BAD Already authenticated\r\n");
}

TEST_F(imap_session_test, login_failure_pauses_then_says_no) {
  make(listener_kind::imaps);
  connect(true);
  const std::string t = feed("a LOGIN alice@example.org wrongpw\r\n");
  EXPECT_EQ(t, R"(log info "authentication failed for user alice@example.org"
pause 1000ms
send "a NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
read 1800000ms)");
  EXPECT_EQ(t.find("wrongpw"), std::string::npos);
  EXPECT_FALSE(s_->authenticated());
}

TEST_F(imap_session_test, login_with_synchronizing_literal_gets_continuation) {
  make(listener_kind::imaps);
  connect(true);
  EXPECT_EQ(feed("a LOGIN alice@example.org {6}\r\n"), R"(send "+ Ready for literal data\r\n"
read 1800000ms)");
  EXPECT_EQ(sends("s3cret\r\n"), "a OK [CAPABILITY " + caps_login + "] Logged in\r\n");
}

TEST_F(imap_session_test, non_synchronizing_literal_needs_no_continuation) {
  make(listener_kind::imaps);
  connect(true);
  EXPECT_EQ(sends("a LOGIN alice@example.org {6+}\r\n"), "");
  EXPECT_EQ(sends("s3cret\r\n"), "a OK [CAPABILITY " + caps_login + "] Logged in\r\n");
}

TEST_F(imap_session_test, authenticate_plain_with_initial_response) {
  make(listener_kind::imaps);
  connect(true);
  // "\0alice@example.org\0s3cret"
  const std::string t = feed("a AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n");
  EXPECT_EQ(t, R"(log info "logged in as alice@example.org"
send "a OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE] Logged in\r\n"
read 1800000ms)");
  EXPECT_TRUE(s_->authenticated());
}

TEST_F(imap_session_test, authenticate_plain_with_challenge) {
  make(listener_kind::imaps);
  connect(true);
  EXPECT_EQ(sends("a AUTHENTICATE PLAIN\r\n"), "+ \r\n");
  EXPECT_EQ(sends("AGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "a OK [CAPABILITY " + caps_login + "] Logged in\r\n");
}

TEST_F(imap_session_test, authenticate_failures) {
  make(listener_kind::imaps);
  connect(true);
  EXPECT_EQ(sends("a AUTHENTICATE PLAIN\r\n"), "+ \r\n");
  EXPECT_EQ(sends("*\r\n"), "a BAD Authentication cancelled\r\n");
  EXPECT_EQ(sends("b AUTHENTICATE PLAIN\r\n"), "+ \r\n");
  EXPECT_EQ(sends("not base64!\r\n"), "b BAD Invalid AUTHENTICATE response\r\n");
  EXPECT_EQ(sends("c AUTHENTICATE CRAM-MD5\r\n"), "c NO Unsupported authentication mechanism\r\n");
  // "\0alice@example.org\0bad"
  EXPECT_EQ(feed("d AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUub3JnAGJhZA==\r\n"),
            R"(log info "authentication failed for user alice@example.org"
pause 1000ms
send "d NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
read 1800000ms)");
  // "bob\0alice@example.org\0s3cret": another authorization identity.
  EXPECT_EQ(sends("e AUTHENTICATE PLAIN Ym9iAGFsaWNlQGV4YW1wbGUub3JnAHMzY3JldA==\r\n"),
            "e NO [AUTHORIZATIONFAILED] Authorization failed.\r\n");
  EXPECT_EQ(sends("f NOOP\r\n"), "f OK NOOP completed\r\n");
  EXPECT_FALSE(s_->authenticated());
}

TEST_F(imap_session_test, errors_answer_bad_with_the_tag) {
  make(listener_kind::imaps);
  connect(true);
  EXPECT_EQ(sends("a FROB\r\n"), "a BAD Unknown command\r\n");
  EXPECT_EQ(sends("b LOGIN onlyone\r\n"), "b BAD Syntax error: missing argument\r\n");
  EXPECT_EQ(sends("c LOGIN \"unterminated\r\n"),
            "c BAD Syntax error: unterminated quoted string\r\n");
  EXPECT_EQ(sends("\r\n"), "* BAD Syntax error: invalid tag\r\n");
  EXPECT_EQ(sends("d NOOP\n"), "d BAD Syntax error: line ended by a bare LF (CRLF required)\r\n");
  EXPECT_EQ(s_->bad_commands(), 5u);
  EXPECT_EQ(sends("e NOOP\r\n"), "e OK NOOP completed\r\n");
}

TEST_F(imap_session_test, over_long_line_and_literal) {
  imap_config c = imap_config::for_listener(listener_kind::imaps);
  c.limits.parser.max_line = 64;
  c.limits.max_message_size = 100;
  make_with(c);
  connect(true);
  EXPECT_EQ(sends("a NOOP " + std::string(100, 'x') + "\r\n"), "a BAD Line too long\r\n");
  EXPECT_EQ(sends("b NOOP\r\n"), "b OK NOOP completed\r\n");
  // A synchronizing literal over the limit: BAD before any data, no continuation.
  EXPECT_EQ(sends("c APPEND INBOX {101}\r\n"), "c BAD [TOOBIG] Literal too large\r\n");
  // A non-synchronizing one: the data comes anyway and is skipped.
  EXPECT_EQ(sends("d APPEND INBOX {101+}\r\n" + std::string(101, 'y') + "\r\ne NOOP\r\n"),
            "d BAD [TOOBIG] Literal too large\r\ne OK NOOP completed\r\n");
}

TEST_F(imap_session_test, too_many_bad_commands_closes) {
  make(listener_kind::imaps);
  connect(true);
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(sends("x BOGUS\r\n"), "x BAD Unknown command\r\n");
  EXPECT_EQ(feed("x BOGUS\r\ny NOOP\r\n"), R"T(send "x BAD Unknown command\r\n"
log info "too many invalid commands (10)"
send "* BYE Too many invalid commands\r\n"
close)T");
  EXPECT_TRUE(s_->closed());
  EXPECT_EQ(feed("z NOOP\r\n"), "");
}

TEST_F(imap_session_test, idle_timeout_and_shutdown_say_bye) {
  make(listener_kind::imaps);
  connect(true);
  act::actions out;
  s_->on_timeout(out);
  EXPECT_EQ(act::to_string(out), R"(log info "idle timeout"
send "* BYE Autologout; idle for too long\r\n"
close)");
  make(listener_kind::imaps);
  connect(true);
  out.clear();
  s_->on_shutdown(out);
  EXPECT_EQ(act::to_string(out), R"(send "* BYE Server shutting down\r\n"
close)");
  EXPECT_TRUE(s_->closed());
}

TEST_F(imap_session_test, tls_failure_closes) {
  make(listener_kind::imap);
  connect();
  feed("a STARTTLS\r\n");
  act::actions out;
  s_->on_tls_failed("handshake failure", out);
  EXPECT_EQ(act::to_string(out), R"(log warn "TLS handshake failed: handshake failure"
close)");
}

TEST_F(imap_session_test, logout) {
  make(listener_kind::imaps);
  connect(true);
  EXPECT_EQ(feed("z LOGOUT\r\nq NOOP\r\n"), R"(send "* BYE mx.example.org logging out\r\n"
send "z OK LOGOUT completed\r\n"
close)");
  EXPECT_TRUE(s_->closed());
}

TEST_F(imap_session_test, id_enable_namespace) {
  login_993();
  EXPECT_EQ(sends("a ID NIL\r\n"), "* ID (\"name\" \"mailtls\")\r\na OK ID completed\r\n");
  EXPECT_EQ(sends("b ENABLE IMAP4rev2 CONDSTORE\r\n"),
            "* ENABLED IMAP4rev2\r\nb OK ENABLE completed\r\n");
  EXPECT_EQ(sends("c NAMESPACE\r\n"),
            "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\nc OK NAMESPACE completed\r\n");
  EXPECT_EQ(sends("d CREATE Foo\r\n"), "d NO [CANNOT] Mailbox management is not supported\r\n");
  EXPECT_EQ(sends("e FETCH 1 FLAGS\r\n"), "e BAD No mailbox selected\r\n");
}

TEST_F(imap_session_test, pipelined_commands_in_one_chunk) {
  make(listener_kind::imaps);
  connect(true);
  EXPECT_EQ(sends("a NOOP\r\nb LOGIN alice@example.org s3cret\r\nc SELECT inbox\r\nd LOGOUT\r\n"),
            "a OK NOOP completed\r\nb OK [CAPABILITY " + caps_login +
                "] Logged in\r\n* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                "* 0 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] UIDs valid\r\n"
                "* OK [UIDNEXT 1] Predicted next UID\r\n"
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)] Limited\r\n"
                "c OK [READ-WRITE] SELECT completed\r\n* BYE mx.example.org logging out\r\n"
                "d OK LOGOUT completed\r\n");
}

// Any cut of the input gives the same transcript (apart from the `read` after each chunk).
TEST_F(imap_session_test, split_input_gives_the_same_transcript) {
  backend_.add_message("alice@example.org", msg1);
  const std::string input =
      "a CAPABILITY\r\nb LOGIN alice@example.org {6+}\r\ns3cret\r\nc SELECT INBOX\r\n"
      "d FETCH 1 (UID BODY[])\r\ne IDLE\r\ndone\r\nf BOGUS\r\ng STORE 1 +FLAGS (\\Deleted)\r\n"
      "h EXPUNGE\r\ni AUTHENTICATE PLAIN\r\nj LOGOUT\r\n";
  auto run = [&](std::size_t chunk) {
    backend_ = memory_backend{};
    SetUp();
    backend_.add_message("alice@example.org", msg1);
    make(listener_kind::imaps);
    act::actions out;
    s_->on_connect({"192.0.2.1", 40000, true}, out);
    for (std::size_t i = 0; i < input.size(); i += chunk)
      s_->on_bytes(std::string_view(input).substr(i, chunk), out);
    return without_reads(out);
  };
  const std::string whole = run(input.size());
  EXPECT_NE(whole.find("j OK LOGOUT completed"), std::string::npos) << whole;
  EXPECT_NE(whole.find("i BAD Already authenticated"), std::string::npos) << whole;
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 13u})
    EXPECT_EQ(run(chunk), whole) << "chunk " << chunk;
}

TEST_F(imap_session_test, split_starttls_discard_per_byte) {
  // Fed byte by byte, STARTTLS is complete at its LF: nothing else arrived, nothing is discarded.
  make(listener_kind::imap);
  connect();
  const std::string input = "a STARTTLS\r\n";
  std::string t;
  for (char c : input)
    t += feed(std::string_view(&c, 1)) + "|";
  std::string expected;
  for (int i = 0; i < 11; ++i)
    expected += "read 1800000ms|";
  expected += "send \"a OK Begin TLS negotiation now\\r\\n\"\nstart_tls|";
  EXPECT_EQ(t, expected);
}

}  // namespace
}  // namespace mailtls::server::imap::test
