#include "codec/pop3/command_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/pop3/errc.hpp"
#include "support/split_feed.hpp"

namespace mailtls::codec::pop3 {
namespace {

using strings = std::vector<std::string>;

std::string describe_command(const command& c) {
  std::string s = c.kind == command_kind::sasl_response ? "SASL" : std::string(keyword(c.kind));
  if (!c.argument.empty()) s += "[" + c.argument + "]";
  if (!c.digest.empty()) s += " digest=" + c.digest;
  if (c.initial_response) s += " ir=" + *c.initial_response;
  if (c.msg) s += " msg=" + std::to_string(*c.msg);
  if (c.kind == command_kind::top) s += " lines=" + std::to_string(c.lines);
  if (c.cancel) s += " cancel";
  return s;
}

std::string describe(const command_parser& p) {
  return describe_command(p.message());
}

auto maker(command_limits lim = {}, bool sasl = false) {
  return [lim, sasl] {
    command_parser p(lim);
    if (sasl) p.expect_sasl_response();
    return p;
  };
}

strings run(std::string_view in, command_limits lim = {}) {
  return test::expect_split_invariant(in, maker(lim), describe, {.continue_after_error = true});
}

TEST(command_parser, parses_every_command) {
  const auto t =
      run("USER alice\r\nPASS secret\r\nAPOP mrose c4c9334bac560ecc979e58001b3e22fb\r\nSTAT\r\n"
          "LIST\r\nLIST 2\r\nRETR 1\r\nDELE 17\r\nNOOP\r\nRSET\r\nQUIT\r\nTOP 1 0\r\nTOP 3 10\r\n"
          "UIDL\r\nUIDL 3\r\nCAPA\r\nSTLS\r\nAUTH\r\nAUTH PLAIN\r\n"
          "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nAUTH PLAIN =\r\n");
  EXPECT_EQ(t, (strings{"USER[alice]",
                        "PASS[secret]",
                        "APOP[mrose] digest=c4c9334bac560ecc979e58001b3e22fb",
                        "STAT",
                        "LIST",
                        "LIST msg=2",
                        "RETR msg=1",
                        "DELE msg=17",
                        "NOOP",
                        "RSET",
                        "QUIT",
                        "TOP msg=1 lines=0",
                        "TOP msg=3 lines=10",
                        "UIDL",
                        "UIDL msg=3",
                        "CAPA",
                        "STLS",
                        "AUTH",
                        "AUTH[PLAIN]",
                        "AUTH[PLAIN] ir=AGFsaWNlAHNlY3JldA==",
                        "AUTH[PLAIN] ir=="}));
}

TEST(command_parser, keywords_are_case_insensitive) {
  // RFC 1939 §3; injection probes send "stls" in lower case.
  EXPECT_EQ(run("stls\r\nStAt\r\nretr 5\r\nuser Bob\r\n"),
            (strings{"STLS", "STAT", "RETR msg=5", "USER[Bob]"}));
  command_parser p;
  ASSERT_TRUE(p.parse("stls\r\n").is_complete());
  EXPECT_EQ(p.line().text, "stls");  // the raw line shows the case sent
}

TEST(command_parser, bare_auth_is_marked_as_listing_mechanisms) {
  command_parser p;
  ASSERT_TRUE(p.parse("AUTH\r\n").is_complete());
  EXPECT_TRUE(p.message().lists_mechanisms());
  EXPECT_TRUE(p.message().expects_multi_line());
  ASSERT_TRUE(p.parse("AUTH LOGIN\r\n").is_complete());
  EXPECT_FALSE(p.message().lists_mechanisms());
  EXPECT_FALSE(p.message().expects_multi_line());
}

TEST(command_parser, pass_takes_the_rest_of_the_line) {
  // RFC 1939 §7: the password may contain spaces.
  EXPECT_EQ(run("PASS my secret  pass \r\n"), (strings{"PASS[my secret  pass ]"}));
}

TEST(command_parser, argument_to_a_command_without_one_is_refused) {
  EXPECT_EQ(run("STLS x\r\nSTLS \r\nNOOP 1\r\nQUIT now\r\nCAPA\r\n"),
            (strings{"error command takes no argument @5", "error command takes no argument @13",
                     "error command takes no argument @20", "error command takes no argument @28",
                     "CAPA"}));
}

TEST(command_parser, unknown_and_empty_lines) {
  EXPECT_EQ(run("HELO x\r\nSTATS\r\n\r\nST\r\n STAT\r\nNOOP\r\n"),
            (strings{"error unknown command @0", "error unknown command @8",
                     "error empty command line @15", "error unknown command @17",
                     "error unknown command @21", "NOOP"}));
}

TEST(command_parser, missing_arguments) {
  EXPECT_EQ(run("RETR\r\nTOP 1\r\nUSER\r\nPASS\r\nAPOP bob\r\nDELE\r\n"),
            (strings{"error missing argument @4", "error missing argument @11",
                     "error missing argument @17", "error missing argument @23",
                     "error missing argument @33", "error missing argument @39"}));
}

TEST(command_parser, too_many_and_empty_arguments) {
  EXPECT_EQ(run("RETR 1 2\r\nUSER a b\r\nUSER  bob\r\nUSER bob \r\nPASS \r\nAUTH PLAIN x y\r\n"),
            (strings{"error too many arguments @7", "error too many arguments @17",
                     "error empty argument (double or trailing space) @25",
                     "error empty argument (double or trailing space) @40",
                     "error empty argument (double or trailing space) @47",
                     "error too many arguments @62"}));
}

TEST(command_parser, argument_length_limit_is_40) {
  const std::string ok = "USER " + std::string(40, 'a') + "\r\n";
  const std::string bad = "USER " + std::string(41, 'a') + "\r\n";
  EXPECT_EQ(run(ok + bad), (strings{"USER[" + std::string(40, 'a') + "]",
                                    "error argument too long @" + std::to_string(47 + 45)}));
  const std::string pass = "PASS " + std::string(41, 'p') + "\r\n";
  EXPECT_EQ(run(pass), (strings{"error argument too long @45"}));
}

TEST(command_parser, control_characters_in_arguments) {
  EXPECT_EQ(run("USER a\x01"
                "b\r\nPASS x\x7fy\r\n"),
            (strings{"error control character in argument @6",
                     "error control character in argument @16"}));
}

TEST(command_parser, message_numbers) {
  EXPECT_EQ(run("RETR 0\r\nRETR -1\r\nRETR +1\r\nRETR 1a\r\nRETR 01\r\nRETR 2147483648\r\n"
                "RETR 99999999999999999999\r\nRETR 2147483647\r\nTOP 1 00\r\nTOP 1 -3\r\n"),
            (strings{"error message number 0 @5", "error signed number @13",
                     "error signed number @22", "error invalid number @32",
                     "error number with a leading zero @40", "error number out of range @49",
                     "error number out of range @66", "RETR msg=2147483647",
                     "error number with a leading zero @111", "error signed number @121"}));
}

TEST(command_parser, apop_digest_must_be_32_lowercase_hex) {
  EXPECT_EQ(run("APOP bob C4c9334bac560ecc979e58001b3e22fb\r\n"
                "APOP bob c4c9334b\r\n"
                "APOP bob c4c9334bac560ecc979e58001b3e22fb0\r\n"),
            (strings{"error APOP digest is not 32 lower-case hex digits @9",
                     "error APOP digest is not 32 lower-case hex digits @60",
                     "error APOP digest is not 32 lower-case hex digits @103"}));
}

TEST(command_parser, auth_mechanism_and_initial_response) {
  const std::string long_mech = "AUTH " + std::string(21, 'A') + "\r\n";
  EXPECT_EQ(run("AUTH PL@IN\r\nAUTH PLAIN abc\r\nAUTH PLAIN a*cd\r\n" + long_mech),
            (strings{"error invalid SASL mechanism name @7", "error invalid base64 @26",
                     "error invalid base64 @40", "error invalid SASL mechanism name @70"}));
}

TEST(command_parser, command_lines_are_limited_to_255_octets) {
  // RFC 2449 §4: 255 octets including CRLF.
  const std::string fits = "PASS " + std::string(35, 'x') + "\r\n";
  const std::string too_long = "LIST " + std::string(300, '1') + "\r\n";
  EXPECT_EQ(run(too_long + "NOOP\r\n"), (strings{"error line too long @255", "NOOP"}));
  const std::string authx = "AUTHX" + std::string(300, 'A') + "\r\n";
  EXPECT_EQ(run(authx + "NOOP\r\n"), (strings{"error line too long @255", "NOOP"}));
  EXPECT_EQ(run(fits).size(), 1u);
}

TEST(command_parser, auth_lines_may_be_longer) {
  // RFC 5034 §4: the initial response is limited only by the (configurable) AUTH line limit.
  const std::string ir(1200, 'A');
  const auto t = run("auth PLAIN " + ir + "\r\nNOOP\r\n");
  EXPECT_EQ(t, (strings{"AUTH[PLAIN] ir=" + ir, "NOOP"}));
  const std::string huge = "AUTH PLAIN " + std::string(3000, 'A') + "\r\n";
  command_parser p;
  const auto r = p.parse(huge);
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error, line_errc::line_too_long);
  EXPECT_EQ(r.offset, 2048u);
  command_parser small({.max_auth_line = 300});
  const auto r2 = small.parse(huge);
  ASSERT_TRUE(r2.is_error());
  EXPECT_EQ(r2.offset, 300u);
}

TEST(command_parser, sasl_response_mode_applies_to_one_line) {
  auto sasl = [](std::string_view in) {
    return test::expect_split_invariant(in, maker({}, true), describe,
                                        {.continue_after_error = true});
  };
  EXPECT_EQ(sasl("dGVzdA==\r\nQUIT\r\n"), (strings{"SASL[dGVzdA==]", "QUIT"}));
  EXPECT_EQ(sasl("*\r\n"), (strings{"SASL cancel"}));
  EXPECT_EQ(sasl("\r\n"), (strings{"SASL"}));
  EXPECT_EQ(sasl("abc\r\nQUIT\r\n"), (strings{"error invalid base64 @3", "QUIT"}));
  EXPECT_EQ(sasl("ab=c\r\n"), (strings{"error invalid base64 @2"}));
  const std::string big(1600, 'A');
  EXPECT_EQ(sasl(big + "\r\n"), (strings{"SASL[" + big + "]"}));
}

TEST(command_parser, sasl_response_mode_is_visible_and_resets) {
  command_parser p;
  p.expect_sasl_response();
  EXPECT_TRUE(p.expecting_sasl_response());
  const auto bad = p.parse("QUIT now\r\n");  // a command is not a SASL response
  ASSERT_TRUE(bad.is_error());
  EXPECT_EQ(bad.error, pop3_errc::invalid_base64);
  EXPECT_EQ(bad.offset, 4u);
  EXPECT_FALSE(p.expecting_sasl_response());
  ASSERT_TRUE(p.parse("QUIT\r\n").is_complete());
  EXPECT_EQ(p.message().kind, command_kind::quit);
}

TEST(command_parser, bare_lf_is_an_error_or_visible) {
  EXPECT_EQ(run("NOOP\nQUIT\r\n"),
            (strings{"error line ended by a bare LF (CRLF required) @4", "QUIT"}));
  EXPECT_EQ(run("NOOP\nQUIT\r\n", {.allow_bare_lf = true}), (strings{"NOOP", "QUIT"}));
  command_parser p({.allow_bare_lf = true});
  ASSERT_TRUE(p.parse("STLS\n").is_complete());
  EXPECT_EQ(p.line().ending, line_ending::lf);
}

TEST(command_parser, bytes_after_stls_stay_unconsumed) {
  // RFC 2595 §4 / STARTTLS injection: what follows STLS belongs to nobody; the caller sees it.
  command_parser p;
  const auto r = p.parse("STLS\r\nUSER evil\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(r.consumed, 6u);
  EXPECT_EQ(p.message().kind, command_kind::stls);
  EXPECT_EQ(p.stream_offset(), 6u);
}

TEST(command_parser, long_line_without_end_is_bounded) {
  command_parser p;
  const auto r = p.parse(std::string(10000, 'X'));
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error, line_errc::line_too_long);
  EXPECT_EQ(r.offset, 255u);
  EXPECT_TRUE(p.parse(std::string(100000, 'X')).is_need_more());
  ASSERT_TRUE(p.parse("\r\nNOOP\r\n").is_complete());
  const auto r2 = p.parse("NOOP\r\n");
  ASSERT_TRUE(r2.is_complete());
  EXPECT_EQ(p.message().kind, command_kind::noop);
  EXPECT_EQ(p.stream_offset(), 110014u);
}

TEST(command_parser, round_trip) {
  const char* const lines[] = {
      "USER alice\r\n",
      "PASS a b c\r\n",
      "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n",
      "LIST\r\n",
      "LIST 2\r\n",
      "TOP 1 0\r\n",
      "UIDL 4\r\n",
      "AUTH\r\n",
      "AUTH PLAIN =\r\n",
      "AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9ZnlrbytkMmxiYkZnT05Sdjlxa3hkYXdM\r\n",
      "stls\r\n"};
  for (const char* line : lines) {
    command_parser p;
    ASSERT_TRUE(p.parse(line).is_complete()) << line;
    const command first = p.message();
    std::string out;
    serialize(first, out);
    command_parser q;
    ASSERT_TRUE(q.parse(out).is_complete()) << out;
    EXPECT_EQ(q.message(), first) << out;
  }
}

TEST(command_parser, errors_carry_pop3_category) {
  command_parser p;
  const auto r = p.parse("RETR 0\r\n");
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error, pop3_errc::zero_message_number);
  EXPECT_STREQ(r.error.category().name(), "mailtls.pop3");
  EXPECT_EQ(r.consumed, 8u);
}

}  // namespace
}  // namespace mailtls::codec::pop3
