#include "codec/smtp/command_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/split_feed.hpp"

namespace mailtls::codec::smtp {
namespace {

using strings = std::vector<std::string>;

std::string describe(const command_parser& p) {
  std::string s;
  serialize(p.get(), s);
  s.resize(s.size() - 2);  // CRLF
  if (p.get().address.has_utf8) s += " [utf8]";
  s += " @" + std::to_string(p.line().offset);
  return s;
}

auto maker(limits lim = {}) {
  return [lim] { return command_parser(lim); };
}

const test::feed_options go_on{.continue_after_error = true};

strings run(std::string_view in, limits lim = {}) {
  return test::expect_split_invariant(in, maker(lim), describe, go_on);
}

// Parses one line; returns "ok" or "<error message> @<offset>".
std::string one(std::string_view line) {
  command_parser p;
  const auto r = p.parse(line);
  if (r.is_complete()) return "ok";
  if (r.is_error()) return r.error.message() + " @" + std::to_string(r.offset);
  return "need_more";
}

TEST(command_parser, session_at_every_split) {
  const auto t =
      run("EHLO client.example.org\r\n"
          "MAIL FROM:<alice@example.org> SIZE=5120 BODY=8BITMIME\r\n"
          "RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.net\r\n"
          "DATA\r\n"
          "RSET\r\n"
          "QUIT\r\n");
  EXPECT_EQ(t, (strings{
                   "EHLO client.example.org @0",
                   "MAIL FROM:<alice@example.org> SIZE=5120 BODY=8BITMIME @25",
                   "RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE "
                   "ORCPT=rfc822;bob@example.net @80",
                   "DATA @159",
                   "RSET @165",
                   "QUIT @171",
               }));
}

TEST(command_parser, verbs_are_case_insensitive) {
  // RFC 5321 §2.4; injection probes send "starttls".
  const auto t = run("starttls\r\nehlo X.Y\r\nmail from:<a@b> size=1 body=7bit smtputf8\r\n");
  EXPECT_EQ(
      t, (strings{"STARTTLS @0", "EHLO X.Y @10", "MAIL FROM:<a@b> SIZE=1 BODY=7BIT SMTPUTF8 @20"}));
}

TEST(command_parser, typed_fields) {
  command_parser p;
  ASSERT_TRUE(p.parse("MAIL FROM:<a@b.c> BODY=BINARYMIME SIZE=18446744073709551615 REQUIRETLS "
                      "ret=HDRS ENVID=x+2B\r\n")
                  .is_complete());
  const command& c = p.get();
  EXPECT_EQ(c.v, verb::mail);
  EXPECT_EQ(c.address.local_part, "a");
  EXPECT_EQ(c.address.domain, "b.c");
  EXPECT_EQ(c.params.size, 18446744073709551615ull);
  EXPECT_EQ(c.params.body, body_type::binary_mime);
  EXPECT_TRUE(c.params.requiretls);
  EXPECT_FALSE(c.params.smtputf8);
  ASSERT_EQ(c.params.other.size(), 2u);
  EXPECT_EQ(c.params.other[0], (esmtp_param{"RET", "HDRS"}));
  EXPECT_EQ(c.params.other[1], (esmtp_param{"ENVID", "x+2B"}));
}

TEST(command_parser, rest_after_starttls_is_not_consumed) {
  // RFC 3207 §4.2: the caller must see (and discard) what follows STARTTLS.
  command_parser p;
  const auto r = p.parse("STARTTLS\r\nRSET\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(r.consumed, 10u);
}

TEST(command_parser, paths) {
  command_parser p;
  ASSERT_TRUE(p.parse("MAIL FROM:<>\r\n").is_complete());
  EXPECT_TRUE(p.get().address.is_null());
  ASSERT_TRUE(p.parse("RCPT TO:<Postmaster>\r\n").is_complete());
  EXPECT_TRUE(p.get().address.is_postmaster());
  EXPECT_EQ(p.get().address.local_part, "Postmaster");
  ASSERT_TRUE(p.parse("RCPT TO:<@a.example,@b.example:user@c.example>\r\n").is_complete());
  EXPECT_EQ(p.get().address.source_route, (strings{"a.example", "b.example"}));
  EXPECT_EQ(p.get().address.local_part, "user");
  ASSERT_TRUE(p.parse("RCPT TO:<\"john \\\"q\\\" doe\"@[192.0.2.1]>\r\n").is_complete());
  EXPECT_EQ(p.get().address.local_part, "\"john \\\"q\\\" doe\"");
  EXPECT_EQ(p.get().address.domain, "[192.0.2.1]");
  ASSERT_TRUE(p.parse("RCPT TO:<x@[IPv6:2001:db8::1]>\r\n").is_complete());
  ASSERT_TRUE(p.parse("RCPT TO:<x@[IPv6:::ffff:192.0.2.1]>\r\n").is_complete());
  ASSERT_TRUE(p.parse("RCPT TO:<x@[tag:content]>\r\n").is_complete());
  ASSERT_TRUE(p.parse("RCPT TO:<j\xc3\xbcrgen@b\xc3\xbc\x63her.example> \r\n").is_complete());
  EXPECT_TRUE(p.get().address.has_utf8);
}

TEST(command_parser, other_commands) {
  const auto t =
      run("HELO [192.0.2.1]\r\nEHLO [IPv6:::1]\r\nBDAT 1000\r\nbdat 0 last\r\nNOOP\r\nNOOP hi "
          "there\r\nHELP\r\nHELP MAIL\r\nVRFY Smith\r\nEXPN list\r\nAUTH PLAIN\r\nauth plain "
          "=\r\nAUTH plain AGFsaWNlAHNlY3JldA==\r\nQUIT  \r\n");
  EXPECT_EQ(t, (strings{"HELO [192.0.2.1] @0", "EHLO [IPv6:::1] @18", "BDAT 1000 @35",
                        "BDAT 0 LAST @46", "NOOP @59", "NOOP hi there @65", "HELP @80",
                        "HELP MAIL @86", "VRFY Smith @97", "EXPN list @109", "AUTH PLAIN @120",
                        "AUTH PLAIN = @132", "AUTH PLAIN AGFsaWNlAHNlY3JldA== @146", "QUIT @179"}));
}

TEST(command_parser, auth_initial_response) {
  command_parser p;
  ASSERT_TRUE(p.parse("AUTH PLAIN =\r\n").is_complete());
  ASSERT_TRUE(p.get().initial_response.has_value());
  EXPECT_EQ(*p.get().initial_response, "");
  ASSERT_TRUE(p.parse("AUTH LOGIN\r\n").is_complete());
  EXPECT_FALSE(p.get().initial_response.has_value());
  EXPECT_EQ(p.get().mechanism, "LOGIN");
}

TEST(command_parser, errors_have_specific_codes_and_offsets) {
  EXPECT_EQ(one("\r\n"), "empty command line @0");
  EXPECT_EQ(one("FOO bar\r\n"), "unknown command @0");
  EXPECT_EQ(one("QUITX\r\n"), "unknown command @0");
  EXPECT_EQ(one("STARTTLS now\r\n"), "unexpected argument @9");
  EXPECT_EQ(one("DATA x\r\n"), "unexpected argument @5");
  EXPECT_EQ(one("EHLO\r\n"), "missing argument @4");
  EXPECT_EQ(one("EHLO a b\r\n"), "unexpected argument @6");
  EXPECT_EQ(one("EHLO a..b\r\n"), "bad domain @7");
  EXPECT_EQ(one("EHLO -a\r\n"), "bad domain @5");
  EXPECT_EQ(one("EHLO a-\r\n"), "bad domain @6");
  EXPECT_EQ(one("EHLO a_b\r\n"), "bad domain @6");
  EXPECT_EQ(one("EHLO [1.2.3.256]\r\n"), "bad address literal @5");
  EXPECT_EQ(one("EHLO [IPv6:1::2::3]\r\n"), "bad address literal @5");
  EXPECT_EQ(one("MAIL\r\n"), "missing argument @4");
  EXPECT_EQ(one("MAIL TO:<a@b>\r\n"), "MAIL without FROM: @5");
  EXPECT_EQ(one("RCPT FROM:<a@b>\r\n"), "RCPT without TO: @5");
  EXPECT_EQ(one("MAIL FROM:a@b\r\n"), "bad path @10");
  EXPECT_EQ(one("MAIL FROM: <a@b>\r\n"), "bad path @10");
  EXPECT_EQ(one("MAIL FROM:<a@b\r\n"), "bad path @14");
  EXPECT_EQ(one("MAIL FROM:<ab>\r\n"), "bad path @13");
  EXPECT_EQ(one("MAIL FROM:<Postmaster>\r\n"), "bad path @21");
  EXPECT_EQ(one("MAIL FROM:<a@b c>\r\n"), "bad path @14");
  EXPECT_EQ(one("MAIL FROM:<a@b_c>\r\n"), "bad domain @14");
  EXPECT_EQ(one("MAIL FROM:<a..b@c>\r\n"), "bad local part @13");
  EXPECT_EQ(one("MAIL FROM:<.a@c>\r\n"), "bad local part @11");
  EXPECT_EQ(one("MAIL FROM:<\"a@c>\r\n"), "bad local part @16");
  EXPECT_EQ(one("MAIL FROM:<@a;x@c>\r\n"), "bad path @13");
  EXPECT_EQ(one("MAIL FROM:<a@[1.2.3]>\r\n"), "bad address literal @13");
  EXPECT_EQ(one("RCPT TO:<>\r\n"), "null path not allowed @8");
  EXPECT_EQ(one("MAIL FROM:<a@b>x\r\n"), "bad parameter @15");
  EXPECT_EQ(one("MAIL FROM:<a@b>  SIZE=1\r\n"), "bad parameter @16");
  EXPECT_EQ(one("MAIL FROM:<a@b> -X=1\r\n"), "bad parameter @16");
  EXPECT_EQ(one("MAIL FROM:<a@b> X=a=b\r\n"), "bad parameter @19");
  EXPECT_EQ(one("MAIL FROM:<a@b> X=\r\n"), "bad parameter @18");
  EXPECT_EQ(one("MAIL FROM:<a@b> SIZE=1 size=2\r\n"), "duplicate parameter @23");
  EXPECT_EQ(one("MAIL FROM:<a@b> RET=FULL ret=HDRS\r\n"), "duplicate parameter @25");
  EXPECT_EQ(one("MAIL FROM:<a@b> SIZE\r\n"), "missing parameter value @20");
  EXPECT_EQ(one("MAIL FROM:<a@b> BODY\r\n"), "missing parameter value @20");
  EXPECT_EQ(one("MAIL FROM:<a@b> SMTPUTF8=yes\r\n"), "unexpected parameter value @24");
  EXPECT_EQ(one("MAIL FROM:<a@b> REQUIRETLS=1\r\n"), "unexpected parameter value @26");
  EXPECT_EQ(one("MAIL FROM:<a@b> SIZE=12x\r\n"), "bad size @21");
  EXPECT_EQ(one("MAIL FROM:<a@b> SIZE=18446744073709551616\r\n"), "bad size @21");
  EXPECT_EQ(one("MAIL FROM:<a@b> BODY=9BIT\r\n"), "bad BODY value @21");
  EXPECT_EQ(one("BDAT\r\n"), "missing argument @4");
  EXPECT_EQ(one("BDAT x\r\n"), "bad size @5");
  EXPECT_EQ(one("BDAT 99999999999999999999999\r\n"), "bad size @5");
  EXPECT_EQ(one("BDAT 1 FIRST\r\n"), "unexpected argument @7");
  EXPECT_EQ(one("VRFY\r\n"), "missing argument @4");
  EXPECT_EQ(one("AUTH\r\n"), "missing argument @4");
  EXPECT_EQ(one("AUTH PL*IN\r\n"), "bad SASL mechanism @7");
  EXPECT_EQ(one("AUTH ABCDEFGHIJKLMNOPQRSTU\r\n"), "bad SASL mechanism @25");
  EXPECT_EQ(one("AUTH PLAIN a!==\r\n"), "bad initial response @12");
  EXPECT_EQ(one("AUTH PLAIN abc\r\n"), "bad initial response @14");
  EXPECT_EQ(one("AUTH PLAIN abcd efgh\r\n"), "unexpected argument @15");
}

TEST(command_parser, path_limits) {
  // RFC 5321 §4.5.3.1.1-3.
  const std::string local65(65, 'l');
  EXPECT_EQ(one("MAIL FROM:<" + local65 + "@b>\r\n"), "local part too long @75");
  EXPECT_EQ(one("MAIL FROM:<" + std::string(64, 'l') + "@b>\r\n"), "ok");
  std::string dom;
  while (dom.size() < 256)
    dom += "abcdefg.";
  dom.resize(256);
  dom.back() = 'x';
  EXPECT_EQ(one("MAIL FROM:<a@" + dom + ">\r\n"), "domain too long @268");
  // local 64 + "@" + domain 189 + "<>" = 256 fits, one more octet does not.
  const std::string d189 =
      std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(61, 'c');
  ASSERT_EQ(d189.size(), 189u);
  EXPECT_EQ(one("MAIL FROM:<" + std::string(64, 'l') + "@" + d189 + ">\r\n"), "ok");
  EXPECT_EQ(one("MAIL FROM:<" + std::string(64, 'l') + "@" + d189 + "d>\r\n"),
            "path too long @266");
}

TEST(command_parser, too_many_parameters) {
  limits lim;
  lim.max_parameters = 2;
  command_parser p(lim);
  const auto r = p.parse("MAIL FROM:<a@b> A=1 B=2 C=3\r\n");
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error, smtp_errc::too_many_parameters);
  EXPECT_EQ(r.offset, 24u);
}

TEST(command_parser, errors_consume_the_line_and_parsing_goes_on) {
  const auto t = run("BOGUS\r\nSTARTTLS x\r\nNOOP\r\nMAIL FROM:<a@@b>\r\nQUIT\r\n");
  EXPECT_EQ(t, (strings{"error unknown command @0", "error unexpected argument @16", "NOOP @19",
                        "error bad domain @38", "QUIT @43"}));
}

TEST(command_parser, line_limit_is_512_with_crlf) {
  // RFC 5321 §4.5.3.1.4.
  const std::string ok = "NOOP " + std::string(505, 'x') + "\r\n";
  ASSERT_EQ(ok.size(), 512u);
  const std::string bad = "NOOP " + std::string(506, 'x') + "\r\n";
  const auto t = run(ok + bad + "QUIT\r\n");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1], "error line too long @1024");
  EXPECT_EQ(t[2], "QUIT @1025");
}

TEST(command_parser, bare_lf_is_an_error_or_flagged) {
  const auto strict = run("NOOP\nQUIT\r\n");
  EXPECT_EQ(strict, (strings{"error line ended by a bare LF (CRLF required) @4", "QUIT @5"}));
  limits lim;
  lim.allow_bare_lf = true;
  command_parser p(lim);
  ASSERT_TRUE(p.parse("NOOP\n").is_complete());
  EXPECT_EQ(p.line().ending, line_ending::lf);
  EXPECT_EQ(run("NOOP\nQUIT\r\n", lim), (strings{"NOOP @0", "QUIT @5"}));
}

TEST(command_parser, round_trip) {
  const char* const inputs[] = {
      "ehlo mx.example\r\n",
      "HELO [IPv6:2001:db8::]\r\n",
      "mail FROM:<@r1,@r2:\"q s\"@[1.2.3.4]> smtputf8 requiretls size=0 x-y=z novalue\r\n",
      "RCPT TO:<postmaster> NOTIFY=NEVER\r\n",
      "BDAT 12 last\r\n",
      "noop  spaced  \r\n",
      "VRFY \"a b\"\r\n",
      "AUTH x-oauth2 =\r\n",
      "AUTH plain dGVzdA==\r\n",
  };
  for (const char* in : inputs) {
    command_parser p;
    ASSERT_TRUE(p.parse(in).is_complete()) << in;
    const command first = p.get();
    std::string out;
    serialize(first, out);
    command_parser q;
    ASSERT_TRUE(q.parse(out).is_complete()) << out;
    EXPECT_EQ(q.get(), first) << out;
    test::expect_split_invariant(in, maker(), describe);
  }
}

TEST(command_parser, offsets_count_from_construction) {
  command_parser p;
  ASSERT_TRUE(p.parse("NOOP\r\n").is_complete());
  const auto r = p.parse("EHLO\r\n");
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.offset, 10u);
  EXPECT_EQ(p.stream_offset(), 12u);
  p.reset();
  EXPECT_EQ(p.stream_offset(), 0u);
}

}  // namespace
}  // namespace mailtls::codec::smtp
