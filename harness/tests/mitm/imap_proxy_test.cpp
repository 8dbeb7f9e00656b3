// The proxy session on IMAP conversations (RFC 9051: STARTTLS §6.2.1, AUTHENTICATE §6.2.2, LOGIN
// §6.2.3, APPEND with literals §6.3.12, RFC 7888); every script is also fed cut at every byte and
// one byte at a time.
#include <gtest/gtest.h>

#include "proxy_script.hpp"

namespace mailtls::mitm {
namespace {

using namespace test;
using strings = std::vector<std::string>;

constexpr auto imap = runner::protocol::imap;
const std::string greeting = "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n";
const std::string tls_hello = std::string("\x16\x03\x01\x00\x03", 5) + "abc";

TEST(ImapProxy, NoneRelaysAfterTaggedOk) {
  const run_result r = run_split_invariant(
      config(imap, attack::none), {s(greeting), c("a1 STARTTLS\r\n"), s("a1 OK begin TLS now\r\n"),
                                   c(tls_hello), server_eof()});
  EXPECT_EQ(r.log, (strings{"C: " + escape_for_log(greeting), "S: a1 STARTTLS\\r\\n",
                            "C: a1 OK begin TLS now\\r\\n", "relay_opaque",
                            "S: " + escape_for_log(tls_hello), "close_client"}));
  EXPECT_EQ(r.findings, (strings{"starttls-offered", "starttls-sent a1 STARTTLS", "tls-started",
                                 "server-closed"}));
  EXPECT_EQ(r.verdict.outcome, verdict::pass);
}

TEST(ImapProxy, StripGreetingCodeAndCapabilityDataThenLoginFails) {
  const run_result r = run_split_invariant(
      config(imap, attack::strip_starttls),
      {s(greeting), c("a1 CAPABILITY\r\n"),
       s("* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\na1 OK done\r\n"),
       c("a2 LOGIN bob \"s3cret\"\r\n"), s("a2 OK [CAPABILITY IMAP4rev1 IDLE] hi\r\n"),
       c("a3 LOGOUT\r\n"), s("* BYE\r\na3 OK\r\n"), server_eof()});
  EXPECT_EQ(r.log[0], "C: * OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready\\r\\n");
  EXPECT_EQ(r.log[2], "C: * CAPABILITY IMAP4rev1 AUTH=PLAIN\\r\\na1 OK done\\r\\n");
  EXPECT_EQ(r.findings, (strings{"attack-applied removed STARTTLS from the capabilities",
                                 "attack-applied removed STARTTLS from the capabilities",
                                 "cleartext-credentials a2 LOGIN bob <redacted>",
                                 "client-quit a3 LOGOUT", "server-closed"}));
  EXPECT_EQ(r.verdict.outcome, verdict::fail);
  EXPECT_EQ(r.verdict.reason,
            "sent in cleartext: a2 LOGIN bob <redacted> after removed STARTTLS from the "
            "capabilities");
}

TEST(ImapProxy, StripOnlyTokenOfCode) {
  const run_result r = run_split_invariant(
      config(imap, attack::strip_starttls),
      {s("* OK [CAPABILITY STARTTLS] hi\r\n"), c("a LOGOUT\r\n"), client_eof()});
  EXPECT_EQ(r.log[0], "C: * OK [CAPABILITY ] hi\\r\\n");
}

TEST(ImapProxy, RejectAnswersBadWithTheTag) {
  const run_result r = run_split_invariant(
      config(imap, attack::reject_starttls),
      {s(greeting), c("x7 STARTTLS\r\n"), c("x8 AUTHENTICATE PLAIN\r\n"), s("+ \r\n"),
       c("AGJvYgBzM2NyZXQ=\r\n"), s("x8 OK done\r\n"), client_eof()});
  EXPECT_EQ(r.log,
            (strings{"C: " + escape_for_log(greeting + "x7 BAD STARTTLS not available\r\n"),
                     "S: x8 AUTHENTICATE PLAIN\\r\\n", "C: + \\r\\n", "S: AGJvYgBzM2NyZXQ=\\r\\n",
                     "C: x8 OK done\\r\\n", "close_server", "close_client"}));
  EXPECT_EQ(r.findings, (strings{"starttls-offered", "starttls-sent x7 STARTTLS",
                                 "attack-applied answered x7 STARTTLS with x7 BAD STARTTLS not "
                                 "available",
                                 "cleartext-credentials x8 AUTHENTICATE PLAIN",
                                 "cleartext-credentials <SASL response redacted>",
                                 "client-closed after <SASL response redacted>"}));
  EXPECT_EQ(r.verdict.outcome, verdict::fail);
}

TEST(ImapProxy, InjectAppendsForgedCapability) {
  const run_result r =
      run_split_invariant(config(imap, attack::inject_response),
                          {s(greeting), c("a1 STARTTLS\r\n"), s("a1 OK go\r\n"), c(tls_hello)});
  EXPECT_EQ(r.writes_to_client.back(), "a1 OK go\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
  EXPECT_EQ(r.log[3], "relay_opaque");
}

TEST(ImapProxy, TamperPutsAlertAndUntaggedDataBeforeTheCompletion) {
  const run_result r =
      run_split_invariant(config(imap, attack::tamper),
                          {s(greeting), c("a1 STARTTLS\r\n"), s("a1 OK go\r\n"), c(tls_hello)});
  EXPECT_EQ(r.writes_to_client.back(),
            "* OK [ALERT] Mailbox moved: log in again\r\n* 54321 EXISTS\r\n* 1 EXPUNGE\r\na1 OK "
            "go\r\n");
  EXPECT_EQ(r.findings[2], "attack-applied added responses to the STARTTLS answer");
  EXPECT_EQ(r.phase, proxy_phase::opaque);
}

TEST(ImapProxy, DowngradeAnswersByeAndClientThatStopsPasses) {
  const run_result r = run_split_invariant(
      config(imap, attack::downgrade),
      {s(greeting), c("a1 STARTTLS\r\n"), s("a1 OK go\r\n"), c(tls_hello), idle()});
  EXPECT_EQ(r.log[2], "C: a1 OK go\\r\\n* BYE TLS not available\\r\\n");
  EXPECT_EQ(r.log[3], "close_server");
  EXPECT_EQ(r.verdict,
            (verdict_result{verdict::pass, "the client sent nothing more after the attack"}));
}

TEST(ImapProxy, ImplicitDowngradeAnswersTheFirstBytes) {
  const run_result r = run_split_invariant(config(imap, attack::downgrade, true),
                                           {c(tls_hello), c("a LOGIN bob pw\r\n"), client_eof()});
  EXPECT_EQ(r.log, (strings{"C: * BYE TLS not available\\r\\n", "close_server", "close_client"}));
  EXPECT_EQ(r.findings,
            (strings{"attack-applied answered the TLS handshake with * BYE TLS not available",
                     "cleartext-credentials a LOGIN bob <redacted>",
                     "client-closed after a LOGIN bob <redacted>"}));
  EXPECT_EQ(r.verdict.outcome, verdict::fail);
}

TEST(ImapProxy, AppendWithSynchronizingLiteralIsForwardedBeforeItsData) {
  const run_result r = run_split_invariant(
      config(imap, attack::none), {s("* OK hi\r\n"), c("a1 APPEND INBOX {12}\r\n"), s("+ go\r\n"),
                                   c("a1 LOGIN x\r\n\r\n"), s("a1 OK appended\r\n"), client_eof()});
  EXPECT_EQ(r.log, (strings{"C: * OK hi\\r\\n", "S: a1 APPEND INBOX {12}\\r\\n", "C: + go\\r\\n",
                            "S: a1 LOGIN x\\r\\n\\r\\n", "C: a1 OK appended\\r\\n", "close_server",
                            "close_client"}));
  // The literal's content is not a command.
  EXPECT_EQ(r.findings, (strings{"cleartext-mail a1 APPEND INBOX",
                                 "client-closed after a1 "
                                 "APPEND INBOX"}));
}

TEST(ImapProxy, IdleDoneIsNotACommand) {
  const run_result r =
      run_split_invariant(config(imap, attack::none),
                          {s("* OK hi\r\n"), c("a1 IDLE\r\n"), s("+ idling\r\n"), c("DONE\r\n"),
                           s("a1 OK\r\n"), c("a2 LOGOUT\r\n"), client_eof()});
  EXPECT_EQ(r.findings, (strings{"client-quit a2 LOGOUT", "client-closed after a2 LOGOUT"}));
  EXPECT_EQ(r.verdict.outcome, verdict::pass);
}

}  // namespace
}  // namespace mailtls::mitm
