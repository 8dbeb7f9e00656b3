// The proxy session on SMTP conversations, attack by attack; every script is also fed cut at every
// byte and one byte at a time (proxy_script.hpp).
#include <gtest/gtest.h>

#include "proxy_script.hpp"

namespace mailtls::mitm {
namespace {

using namespace test;
using strings = std::vector<std::string>;

constexpr auto smtp = runner::protocol::smtp;
const std::string greeting = "220 mx.example ESMTP\r\n";
const std::string ehlo_reply =
    "250-mx.example\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n";
const std::string tls_hello = std::string("\x16\x03\x01\x00\x04", 5) + "abcd";
const std::string tls_answer = std::string("\x16\x03\x03\x00\x02", 5) + "xy";

bool mentions(const strings& list, const std::string& needle) {
  for (const auto& s : list) {
    if (s.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(SmtpProxy, NonePassesThroughAndRelaysTls) {
  const run_result r = run_split_invariant(
      config(smtp, attack::none),
      {s(greeting), c("EHLO client.example\r\n"), s(ehlo_reply), c("STARTTLS\r\n"),
       s("220 2.0.0 go ahead\r\n"), c(tls_hello), s(tls_answer), client_eof()});
  EXPECT_EQ(r.log, (strings{"C: 220 mx.example ESMTP\\r\\n", "S: EHLO client.example\\r\\n",
                            "C: " + escape_for_log(ehlo_reply), "S: STARTTLS\\r\\n",
                            "C: 220 2.0.0 go ahead\\r\\n", "relay_opaque",
                            "S: " + escape_for_log(tls_hello), "C: " + escape_for_log(tls_answer),
                            "close_server", "close_client"}));
  EXPECT_EQ(r.findings, (strings{"starttls-offered", "starttls-sent STARTTLS", "tls-started",
                                 "client-closed after STARTTLS"}));
  EXPECT_EQ(r.verdict, (verdict_result{verdict::pass, "the client went on in TLS"}));
}

TEST(SmtpProxy, StripRemovesStarttlsKeepingContinuationMarkers) {
  const run_result r = run_split_invariant(
      config(smtp, attack::strip_starttls),
      {s(greeting), c("EHLO c\r\n"), s(ehlo_reply), c("QUIT\r\n"), s("221 bye\r\n"), server_eof()});
  EXPECT_EQ(r.log[2], "C: 250-mx.example\\r\\n250-PIPELINING\\r\\n250 AUTH PLAIN\\r\\n");
  EXPECT_EQ(r.findings, (strings{"attack-applied removed STARTTLS from the capabilities",
                                 "client-quit QUIT", "server-closed"}));
  // The client did not fall for it: it sent QUIT (msmtp, swaks), and the server's close after
  // the 221 arrived before the client's.
  EXPECT_EQ(r.verdict,
            (verdict_result{verdict::pass,
                            "the client ended the session (QUIT/LOGOUT) after the attack"}));
}

TEST(SmtpProxy, StripLastLineMakesThePreviousOneFinal) {
  const run_result r = run_split_invariant(
      config(smtp, attack::strip_starttls),
      {s(greeting), c("EHLO c\r\n"), s("250-mx\r\n250-SIZE 100\r\n250 starttls\r\n"), c("QUIT\r\n"),
       client_eof()});
  EXPECT_EQ(r.log[2], "C: 250-mx\\r\\n250 SIZE 100\\r\\n");
  EXPECT_EQ(r.verdict,
            (verdict_result{verdict::pass, "the client closed the connection after the attack"}));
  EXPECT_EQ(r.findings.back(), "client-closed after QUIT");
}

TEST(SmtpProxy, StripThenAuthPlainFailsWithTheSecretRedacted) {
  const std::string secret = "AGJvYgBzM2NyZXQ=";  // "\0bob\0s3cret"
  const run_result r = run_split_invariant(
      config(smtp, attack::strip_starttls),
      {s(greeting), c("EHLO c\r\n"), s(ehlo_reply), c("AUTH PLAIN " + secret + "\r\n"),
       s("235 2.7.0 ok\r\n"), c("MAIL FROM:<bob@example.org>\r\n"), s("250 ok\r\n"), c("QUIT\r\n"),
       s("221 bye\r\n"), server_eof()});
  EXPECT_EQ(r.findings, (strings{"attack-applied removed STARTTLS from the capabilities",
                                 "cleartext-credentials AUTH PLAIN <redacted>",
                                 "cleartext-mail MAIL FROM:<bob@example.org>", "client-quit QUIT",
                                 "server-closed"}));
  EXPECT_EQ(r.verdict, (verdict_result{verdict::fail,
                                       "sent in cleartext: AUTH PLAIN <redacted> after removed "
                                       "STARTTLS from the capabilities"}));
  EXPECT_FALSE(mentions(r.findings, secret));
  EXPECT_FALSE(mentions({r.verdict.reason}, secret));
  // The proxy is transparent for what it does not attack: the server got the command.
  EXPECT_TRUE(mentions(r.log, "S: AUTH PLAIN " + secret));
}

TEST(SmtpProxy, RejectAnswers454AndDoesNotForward) {
  const run_result r = run_split_invariant(
      config(smtp, attack::reject_starttls),
      {s(greeting), c("EHLO c\r\n"), s(ehlo_reply), c("STARTTLS\r\n"), c("AUTH LOGIN\r\n"),
       s("334 VXNlcm5hbWU6\r\n"), c("Ym9i\r\n"), s("334 UGFzc3dvcmQ6\r\n"), c("czNjcmV0\r\n"),
       s("235 ok\r\n"), client_eof()});
  EXPECT_EQ(r.log, (strings{"C: 220 mx.example ESMTP\\r\\n", "S: EHLO c\\r\\n",
                            "C: " + escape_for_log(ehlo_reply + "454 4.7.0 TLS not available\r\n"),
                            "S: AUTH LOGIN\\r\\n", "C: 334 VXNlcm5hbWU6\\r\\n", "S: Ym9i\\r\\n",
                            "C: 334 UGFzc3dvcmQ6\\r\\n", "S: czNjcmV0\\r\\n", "C: 235 ok\\r\\n",
                            "close_server", "close_client"}));
  EXPECT_EQ(
      r.findings,
      (strings{"starttls-offered", "starttls-sent STARTTLS",
               "attack-applied answered STARTTLS with 454 4.7.0 TLS not available",
               "cleartext-credentials AUTH LOGIN", "cleartext-credentials <SASL response redacted>",
               "cleartext-credentials <SASL response redacted>",
               "client-closed after <SASL response redacted>"}));
  EXPECT_EQ(r.verdict.outcome, verdict::fail);
}

TEST(SmtpProxy, InjectGluesForgedRepliesToTheStarttlsAnswerInOneWrite) {
  const proxy_config cfg = config(smtp, attack::inject_response);
  const std::vector<event> script = {s(greeting),       c("EHLO c\r\n"), s(ehlo_reply),
                                     c("STARTTLS\r\n"), s("220 go\r\n"), c(tls_hello)};
  const run_result r = run_split_invariant(cfg, script);
  EXPECT_EQ(r.log[4], "C: 220 go\\r\\n250-x\\r\\n250 AUTH PLAIN LOGIN\\r\\n");
  EXPECT_EQ(r.log[5], "relay_opaque");
  EXPECT_EQ(r.writes_to_client.back(), "220 go\r\n250-x\r\n250 AUTH PLAIN LOGIN\r\n");
  EXPECT_EQ(r.phase, proxy_phase::opaque);
  EXPECT_EQ(r.verdict.outcome, verdict::pass);
  // SMTP tamper is the same as inject-response (docs/mitm.md).
  const run_result t = run(config(smtp, attack::tamper), script);
  EXPECT_EQ(t.log, r.log);
}

TEST(SmtpProxy, DowngradeRefusesTheHandshakeAndCatchesTheFallback) {
  const run_result r = run_split_invariant(
      config(smtp, attack::downgrade),
      {s(greeting), c("EHLO c\r\n"), s(ehlo_reply), c("STARTTLS\r\n"), s("220 go\r\n"),
       c(tls_hello), c("EHLO c\r\nAUTH PLAIN AGJvYgBzM2NyZXQ=\r\n"), idle()});
  EXPECT_EQ(r.log, (strings{"C: 220 mx.example ESMTP\\r\\n", "S: EHLO c\\r\\n",
                            "C: " + escape_for_log(ehlo_reply), "S: STARTTLS\\r\\n",
                            "C: 220 go\\r\\n454 4.7.0 TLS not available\\r\\n", "close_server",
                            "close_client"}));
  EXPECT_EQ(r.findings,
            (strings{"starttls-offered", "starttls-sent STARTTLS",
                     "attack-applied answered the TLS handshake with 454 4.7.0 TLS not available",
                     "cleartext-credentials AUTH PLAIN <redacted>",
                     "timeout no more client bytes after the downgrade"}));
  EXPECT_EQ(r.verdict.outcome, verdict::fail);
}

TEST(SmtpProxy, DowngradeClientThatGivesUpPasses) {
  const run_result r =
      run_split_invariant(config(smtp, attack::downgrade),
                          {s(greeting), c("EHLO c\r\n"), s(ehlo_reply), c("STARTTLS\r\n"),
                           s("220 go\r\n"), c(tls_hello), client_eof()});
  EXPECT_EQ(r.verdict,
            (verdict_result{verdict::pass, "the client closed the connection after the attack"}));
  EXPECT_EQ(r.findings.back(), "client-closed after STARTTLS");
}

TEST(SmtpProxy, DataContentIsNotReadAsCommands) {
  const run_result r = run_split_invariant(
      config(smtp, attack::none),
      {s("220 mx\r\n"), c("EHLO c\r\n"), s("250 mx\r\n"),
       c("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\nSubject: x\r\n"),
       s("250 ok\r\n250 ok\r\n354 go\r\n"), c("\r\nAUTH PLAIN eA==\r\n.\r\nQUIT\r\n"),
       s("250 queued\r\n221 bye\r\n"), server_eof()});
  EXPECT_EQ(r.findings, (strings{"cleartext-mail MAIL FROM:<a@b.example>",
                                 "cleartext-mail RCPT TO:<c@d.example>", "cleartext-mail DATA",
                                 "client-quit QUIT", "server-closed"}));
  // Held while the client waited for 354, then forwarded in order.
  EXPECT_EQ(r.log[3], "S: MAIL FROM:<a@b.example>\\r\\nRCPT TO:<c@d.example>\\r\\nDATA\\r\\n");
  EXPECT_EQ(r.log[5], "S: Subject: x\\r\\n\\r\\nAUTH PLAIN eA==\\r\\n.\\r\\nQUIT\\r\\n");
  // No STARTTLS offered and nothing changed: the proxy cannot tell.
  EXPECT_EQ(r.verdict.outcome, verdict::error);
}

TEST(SmtpProxy, TimeoutAfterStripPasses) {
  const run_result r = run_split_invariant(config(smtp, attack::strip_starttls),
                                           {s(greeting), c("EHLO c\r\n"), s(ehlo_reply), idle()});
  EXPECT_EQ(r.verdict,
            (verdict_result{verdict::pass, "the client sent nothing more after the attack"}));
  EXPECT_EQ(r.findings.back(), "timeout idle for 1000ms");
  EXPECT_EQ(r.log.back(), "close_client");
}

TEST(SmtpProxy, OverlongLineIsForwardedAndReported) {
  const std::string line = std::string(70 * 1024, 'A') + "\r\n";
  const proxy_config cfg = config(smtp, attack::none);
  std::vector<std::size_t> cuts;
  for (std::size_t at = 1000; at < line.size(); at += 1000)
    cuts.push_back(at);
  const std::vector<event> script = {s(greeting),   c(line),          s("500 too long\r\n"),
                                     c("QUIT\r\n"), s("221 bye\r\n"), client_eof()};
  const run_result whole = run(cfg, script);
  const run_result pieces = run(cfg, script, {{}, cuts});
  EXPECT_TRUE(whole.log == pieces.log);  // (not printed: 70 KiB)
  EXPECT_EQ(whole.findings, pieces.findings);
  EXPECT_EQ(whole.findings.front(), "protocol-error client command: line too long");
  EXPECT_TRUE(whole.log[1] == "S: " + escape_for_log(line));  // transparent
  EXPECT_EQ(whole.log[3], "S: QUIT\\r\\n");
  EXPECT_LT(pieces.max_buffered, 80u * 1024);
}

TEST(SmtpProxy, HeldClientBytesAreBounded) {
  proxy_config cfg = config(smtp, attack::none);
  cfg.limits.max_buffer = 4096;
  const run_result r = run(cfg, {s(greeting), c("STARTTLS\r\n"), c(std::string(5000, 'x'))});
  EXPECT_EQ(r.findings.back(), "limit client buffer over 4096 bytes");
  EXPECT_EQ(r.log.back(), "close_client");
  EXPECT_EQ(r.phase, proxy_phase::done);
  EXPECT_LE(r.max_buffered, 4096u);
}

TEST(SmtpProxy, ImplicitTlsRelaysFromTheStart) {
  const run_result r = run_split_invariant(config(smtp, attack::none, true),
                                           {c(tls_hello), s(tls_answer), server_eof()});
  EXPECT_EQ(r.log, (strings{"relay_opaque", "S: " + escape_for_log(tls_hello),
                            "C: " + escape_for_log(tls_answer), "close_client"}));
  EXPECT_EQ(r.verdict.outcome, verdict::pass);
}

TEST(SmtpProxy, ImplicitTlsRefusesRewritingAttacks) {
  const run_result r = run(config(smtp, attack::strip_starttls, true), {c("EHLO c\r\n")});
  EXPECT_EQ(r.log, (strings{"close_server", "close_client"}));
  EXPECT_EQ(r.verdict.outcome, verdict::error);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].rfind("protocol-error this attack rewrites the cleartext phase", 0), 0u);
}

}  // namespace
}  // namespace mailtls::mitm
