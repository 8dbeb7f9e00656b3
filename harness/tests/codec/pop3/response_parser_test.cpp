#include "codec/pop3/response_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/pop3/errc.hpp"
#include "support/split_feed.hpp"

namespace mailtls::codec::pop3 {
namespace {

using strings = std::vector<std::string>;

// A response_parser told, before each response, the next kind from a script (as a client that
// remembers its pipelined commands would).
struct scripted {
  response_parser p;
  std::vector<response_kind> script;
  std::size_t next = 0;
  bool started = false;

  parse_result parse(std::string_view bytes) {
    if (!started) {
      p.expect(script.empty() ? response_kind::single_line : script[next++ % script.size()]);
      started = true;
    }
    const parse_result r = p.parse(bytes);
    if (r.is_complete() || (r.is_error() && !p.in_body())) started = false;
    return r;
  }
};

std::string describe(const scripted& s) {
  const response& r = s.p.message();
  std::string out = r.is_ok() ? "OK" : r.is_err() ? "ERR" : "CONT";
  if (!r.code.empty()) {
    out += " [";
    for (std::size_t i = 0; i < r.code.size(); ++i)
      out += (i ? "/" : "") + r.code[i];
    out += "]";
  }
  out += " <" + r.text + ">";
  if (r.multi_line) out += " body{" + r.body + "}";
  const response_flags& f = r.flags;
  if (f.lowercase_status) out += " lowercase";
  if (f.bare_lf) out += " bare_lf";
  if (f.bare_cr) out += " bare_cr";
  if (f.nul) out += " nul";
  if (f.malformed_code) out += " malformed_code";
  if (f.truncated) out += " truncated";
  if (f.dropped_lines) out += " dropped=" + std::to_string(f.dropped_lines);
  return out;
}

strings run(std::string_view in, std::vector<response_kind> script, response_limits lim = {}) {
  return test::expect_split_invariant(in,
                                      [&] {
                                        return scripted{response_parser(lim), script};
                                      },
                                      describe, {.continue_after_error = true});
}

constexpr auto single = response_kind::single_line;
constexpr auto multi = response_kind::multi_line;
constexpr auto sasl = response_kind::sasl;

TEST(response_parser, single_line_responses) {
  EXPECT_EQ(run("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n+OK\r\n-ERR\r\n"
                "-ERR no such message\r\n",
                {single}),
            (strings{"OK <POP3 server ready <1896.697170952@dbc.mtview.ca.us>>", "OK <>", "ERR <>",
                     "ERR <no such message>"}));
}

TEST(response_parser, extended_response_codes) {
  // RFC 2449 §8, RFC 3206.
  EXPECT_EQ(run("-ERR [IN-USE] Do you have another POP session running?\r\n"
                "-ERR [SYS/TEMP] try later\r\n-ERR [AUTH]\r\n-ERR [LOGIN-DELAY] wait\r\n"
                "-ERR [SYS/PERM] \r\n-ERR [bad code\r\n-ERR [a//b] x\r\n-ERR [A]x\r\n",
                {single}),
            (strings{"ERR [IN-USE] <Do you have another POP session running?>",
                     "ERR [SYS/TEMP] <try later>", "ERR [AUTH] <>", "ERR [LOGIN-DELAY] <wait>",
                     "ERR [SYS/PERM] <>", "ERR <[bad code> malformed_code",
                     "ERR <[a//b] x> malformed_code", "ERR <[A]x> malformed_code"}));
  response_parser p;
  ASSERT_TRUE(p.parse("-ERR [SYS/TEMP] later\r\n").is_complete());
  EXPECT_TRUE(p.message().has_code({"SYS"}));
  EXPECT_TRUE(p.message().has_code({"sys", "temp"}));
  EXPECT_FALSE(p.message().has_code({"SYS", "PERM"}));
  EXPECT_FALSE(p.message().has_code({"IN-USE"}));
}

TEST(response_parser, multi_line_body_is_dot_unstuffed) {
  // RFC 1939 §3: terminated by ".", leading dots removed.
  const auto t =
      run("+OK 120 octets\r\nSubject: hi\r\n\r\n..hidden\r\n.x\r\n...\r\nend\r\n.\r\n+OK next\r\n",
          {multi, single});
  EXPECT_EQ(t, (strings{"OK <120 octets> body{Subject: hi\r\n\r\n.hidden\r\nx\r\n..\r\nend\r\n}",
                        "OK <next>"}));
}

TEST(response_parser, err_after_multi_line_command_is_single_line) {
  EXPECT_EQ(run("-ERR no such message\r\n+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n", {multi}),
            (strings{"ERR <no such message>", "OK <2 messages> body{1 120\r\n2 200\r\n}"}));
}

TEST(response_parser, empty_multi_line_body) {
  EXPECT_EQ(run("+OK\r\n.\r\n", {multi}), (strings{"OK <> body{}"}));
}

TEST(response_parser, sasl_continuations) {
  // RFC 5034 §4.
  EXPECT_EQ(run("+ \r\n+\r\n+ dGVzdA==\r\n+OK done\r\n-ERR [AUTH] no\r\n", {sasl}),
            (strings{"CONT <>", "CONT <>", "CONT <dGVzdA==>", "OK <done>", "ERR [AUTH] <no>"}));
  EXPECT_EQ(run("+ abc\r\n+ dGVzdA==\r\n", {sasl, single}),
            (strings{"error invalid base64 @5", "error unexpected SASL continuation @7"}));
}

TEST(response_parser, status_errors) {
  EXPECT_EQ(run("OK\r\n+ok fine\r\n-err\r\n+OKAY\r\n-ERRx\r\n\r\n+OK\r\n", {single}),
            (strings{"error response does not start with +OK or -ERR @0",
                     "error status indicator not upper case @4",
                     "error status indicator not upper case @14",
                     "error status indicator not followed by a space @23",
                     "error status indicator not followed by a space @31",
                     "error response does not start with +OK or -ERR @34", "OK <>"}));
  EXPECT_EQ(run("+ok fine\r\n", {single}, {.allow_lowercase_status = true}),
            (strings{"OK <fine> lowercase"}));
}

TEST(response_parser, bare_lf_is_visible_with_leniency) {
  // The harness must SEE a bare LF from a server, not die on it.
  EXPECT_EQ(run("+OK hi\n", {single}),
            (strings{"error line ended by a bare LF (CRLF required) @6"}));
  EXPECT_EQ(run("+OK hi\n", {single}, {.allow_bare_lf = true}), (strings{"OK <hi> bare_lf"}));
  EXPECT_EQ(run("+OK\r\na\nb\r\n.\n+OK\r\n", {multi, single}, {.allow_bare_lf = true}),
            (strings{"OK <> body{a\r\nb\r\n} bare_lf", "OK <>"}));
}

TEST(response_parser, framing_errors_in_body_drop_the_line) {
  EXPECT_EQ(run(std::string("+OK\r\na\nb\0c\r\nd\r\n.\r\n", 18), {multi}),
            (strings{"error line ended by a bare LF (CRLF required) @6",
                     "error NUL byte inside a line @8", "OK <> body{d\r\n} dropped=2"}));
}

TEST(response_parser, bare_lf_terminator_ends_the_body_with_an_error) {
  EXPECT_EQ(run("+OK\r\nabc\r\n.\n+OK after\r\n", {multi, single}),
            (strings{"error line ended by a bare LF (CRLF required) @11", "OK <after>"}));
}

TEST(response_parser, status_line_limit_512) {
  // RFC 2449 §4.
  const std::string ok = "+OK " + std::string(506, 'x') + "\r\n";
  const std::string bad = "+OK " + std::string(507, 'x') + "\r\n";
  const auto t = run(ok + bad + "+OK\r\n", {single});
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1], "error line too long @1024");
  EXPECT_EQ(t[2], "OK <>");
}

TEST(response_parser, body_limits) {
  EXPECT_EQ(run("+OK\r\n" + std::string(1001, 'a') + "\r\nok\r\n.\r\n", {multi}),
            (strings{"error line too long @1006", "OK <> body{ok\r\n} dropped=1"}));
  EXPECT_EQ(
      run("+OK\r\n12345\r\n67890\r\nabc\r\n.\r\n+OK\r\n", {multi, single}, {.max_body_size = 10}),
      (strings{"error multi-line body too large @15", "OK <> body{12345\r\n} truncated", "OK <>"}));
  EXPECT_EQ(run("+OK\r\na\r\nb\r\nc\r\n.\r\n", {multi}, {.max_body_lines = 2}),
            (strings{"error multi-line body has too many lines @11",
                     "OK <> body{a\r\nb\r\n} truncated"}));
}

TEST(response_parser, body_buffer_is_bounded) {
  response_parser p({.max_body_size = 1 << 16});
  p.expect(multi);
  ASSERT_TRUE(p.parse("+OK\r\n").is_need_more());
  const std::string chunk = std::string(998, 'z') + "\r\n";
  std::size_t errors = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto r = p.parse(chunk);
    if (r.is_error()) ++errors;
  }
  EXPECT_EQ(errors, 1u);
  EXPECT_LE(p.message().body.size(), std::size_t{1} << 16);
  ASSERT_TRUE(p.parse(".\r\n").is_complete());
  EXPECT_TRUE(p.message().flags.truncated);
}

TEST(response_parser, expectation_falls_back_to_single_line) {
  response_parser p;
  p.expect(multi);
  ASSERT_TRUE(p.parse("+OK\r\n.\r\n").is_complete());
  EXPECT_EQ(p.expected(), single);
  const auto r = p.parse("+OK\r\n.\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(r.consumed, 5u);
  EXPECT_FALSE(p.message().multi_line);
}

TEST(response_parser, stls_answer_leaves_following_bytes) {
  response_parser p;
  const auto r = p.parse("+OK begin TLS\r\n\x16\x03\x01");
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(r.consumed, 15u);
}

TEST(response_parser, round_trip) {
  const std::pair<const char*, response_kind> cases[] = {
      {"+OK [SYS/TEMP] x\r\n", single},
      {"-ERR [bad\r\n", single},
      {"+OK 2 messages\r\n1 120\r\n..dot\r\n\r\n.\r\n", multi},
      {"+ dGVzdA==\r\n", sasl},
      {"+OK\r\n.\r\n", multi},
      {"-ERR  two spaces\r\n", single}};
  for (const auto& [in, kind] : cases) {
    response_parser p;
    p.expect(kind);
    ASSERT_TRUE(p.parse(in).is_complete()) << in;
    const response first = p.message();
    std::string out;
    serialize(first, out);
    response_parser q;
    q.expect(kind);
    ASSERT_TRUE(q.parse(out).is_complete()) << out;
    EXPECT_EQ(q.message(), first) << out;
  }
}

TEST(response_parser, error_codes) {
  response_parser p;
  const auto r = p.parse("+ok\r\n");
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error, pop3_errc::lowercase_status);
  EXPECT_EQ(r.consumed, 5u);
  p.expect(sasl);
  const auto c = p.parse("+ a=b=\r\n");
  EXPECT_EQ(c.error, pop3_errc::invalid_base64);
  EXPECT_EQ(c.offset, 8u);
}

}  // namespace
}  // namespace mailtls::codec::pop3
