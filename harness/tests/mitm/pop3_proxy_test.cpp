// The proxy session on POP3 conversations (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034
// AUTH); every script is also fed cut at every byte and one byte at a time.
#include <gtest/gtest.h>

#include "proxy_script.hpp"

namespace mailtls::mitm {
namespace {

using namespace test;
using strings = std::vector<std::string>;

constexpr auto pop3 = runner::protocol::pop3;
const std::string greeting = "+OK POP3 ready\r\n";
const std::string capa = "+OK capabilities\r\nUSER\r\nSTLS\r\nSASL PLAIN\r\n.\r\n";
const std::string tls_hello = std::string("\x16\x03\x01\x00\x03", 5) + "abc";

TEST(Pop3Proxy, NoneRelaysAfterStls) {
  const run_result r = run_split_invariant(config(pop3, attack::none),
                                           {s(greeting), c("CAPA\r\n"), s(capa), c("STLS\r\n"),
                                            s("+OK begin TLS\r\n"), c(tls_hello), client_eof()});
  EXPECT_EQ(r.log,
            (strings{"C: +OK POP3 ready\\r\\n", "S: CAPA\\r\\n", "C: " + escape_for_log(capa),
                     "S: STLS\\r\\n", "C: +OK begin TLS\\r\\n", "relay_opaque",
                     "S: " + escape_for_log(tls_hello), "close_server", "close_client"}));
  EXPECT_EQ(r.findings, (strings{"starttls-offered", "starttls-sent STLS", "tls-started",
                                 "client-closed after STLS"}));
  EXPECT_EQ(r.verdict.outcome, verdict::pass);
}

TEST(Pop3Proxy, StripRemovesStlsAndUserPassFails) {
  const run_result r = run_split_invariant(
      config(pop3, attack::strip_starttls),
      {s(greeting), c("CAPA\r\n"), s(capa), c("USER bob\r\n"), s("+OK\r\n"),
       c("PASS s3cret word\r\n"), s("+OK logged in\r\n"), c("LIST\r\n"),
       s("+OK 1 messages\r\n1 120\r\n.\r\n"), c("QUIT\r\n"), s("+OK bye\r\n"), server_eof()});
  EXPECT_EQ(r.log[2], "C: +OK capabilities\\r\\nUSER\\r\\nSASL PLAIN\\r\\n.\\r\\n");
  EXPECT_EQ(r.findings,
            (strings{"attack-applied removed STARTTLS from the capabilities",
                     "cleartext-credentials USER bob", "cleartext-credentials PASS <redacted>",
                     "client-quit QUIT", "server-closed"}));
  EXPECT_EQ(r.verdict, (verdict_result{verdict::fail,
                                       "sent in cleartext: USER bob after removed STARTTLS from "
                                       "the capabilities"}));
  for (const auto& f : r.findings)
    EXPECT_EQ(f.find("s3cret"), std::string::npos);
}

TEST(Pop3Proxy, RejectAnswersErrAndAuthPlainIsRedacted) {
  const run_result r =
      run_split_invariant(config(pop3, attack::reject_starttls),
                          {s(greeting), c("STLS\r\n"), c("AUTH PLAIN\r\n"), s("+ \r\n"),
                           c("AGJvYgBzM2NyZXQ=\r\n"), s("+OK welcome\r\n"), client_eof()});
  EXPECT_EQ(r.log, (strings{"C: +OK POP3 ready\\r\\n-ERR TLS not available\\r\\n",
                            "S: AUTH PLAIN\\r\\n", "C: + \\r\\n", "S: AGJvYgBzM2NyZXQ=\\r\\n",
                            "C: +OK welcome\\r\\n", "close_server", "close_client"}));
  EXPECT_EQ(
      r.findings,
      (strings{"starttls-sent STLS", "attack-applied answered STLS with -ERR TLS not available",
               "cleartext-credentials AUTH PLAIN", "cleartext-credentials <SASL response redacted>",
               "client-closed after <SASL response redacted>"}));
  EXPECT_EQ(r.verdict.outcome, verdict::fail);
}

TEST(Pop3Proxy, InjectGluesForgedCapa) {
  const run_result r =
      run_split_invariant(config(pop3, attack::inject_response),
                          {s(greeting), c("STLS\r\n"), s("+OK go\r\n"), c(tls_hello)});
  EXPECT_EQ(r.writes_to_client.back(), "+OK go\r\n+OK\r\nPLAIN\r\n.\r\n");
  EXPECT_EQ(r.log[3], "relay_opaque");
  EXPECT_EQ(r.findings[1], "attack-applied glued forged replies to the STARTTLS answer");
  // POP3 tamper is the same as inject-response (docs/mitm.md).
  const run_result t = run(config(pop3, attack::tamper),
                           {s(greeting), c("STLS\r\n"), s("+OK go\r\n"), c(tls_hello)});
  EXPECT_EQ(t.log, r.log);
}

TEST(Pop3Proxy, DowngradeAnswersErrAndSeesApop) {
  const run_result r = run_split_invariant(
      config(pop3, attack::downgrade),
      {s(greeting), c("STLS\r\n"), s("+OK go\r\n"),
       c(tls_hello + "APOP bob c4c9334bac560ecc979e58001b3e22fb\r\n"), client_eof()});
  EXPECT_EQ(r.log, (strings{"C: +OK POP3 ready\\r\\n", "S: STLS\\r\\n",
                            "C: +OK go\\r\\n-ERR TLS not available\\r\\n", "close_server",
                            "close_client"}));
  EXPECT_EQ(r.findings,
            (strings{"starttls-sent STLS",
                     "attack-applied answered the TLS handshake with -ERR TLS not available",
                     "cleartext-credentials APOP bob <redacted>",
                     "client-closed after APOP bob "
                     "<redacted>"}));
  EXPECT_EQ(r.verdict.outcome, verdict::fail);
}

TEST(Pop3Proxy, MultiLineBodiesAreNotReadAsStatusLines) {
  // A RETR body line "+OK STLS" and a "-ERR" line must not be taken for responses.
  const run_result r =
      run_split_invariant(config(pop3, attack::strip_starttls),
                          {s(greeting), c("RETR 1\r\nCAPA\r\n"),
                           s("+OK 20 octets\r\n+OK STLS\r\n-ERR\r\n.\r\n"), s(capa), client_eof()});
  EXPECT_EQ(r.log[2],
            "C: +OK 20 octets\\r\\n+OK STLS\\r\\n-ERR\\r\\n.\\r\\n+OK "
            "capabilities\\r\\nUSER\\r\\nSASL PLAIN\\r\\n.\\r\\n");
  EXPECT_EQ(r.verdict.outcome, verdict::pass);
}

}  // namespace
}  // namespace mailtls::mitm
