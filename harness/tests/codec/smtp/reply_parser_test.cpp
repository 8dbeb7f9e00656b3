#include "codec/smtp/reply_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/split_feed.hpp"

namespace mailtls::codec::smtp {
namespace {

using strings = std::vector<std::string>;

std::string describe(const reply_parser& p) {
  const reply& r = p.get();
  std::string s = std::to_string(r.code);
  for (const auto& l : r.lines)
    s += "|" + l;
  if (r.bare_lf) s += " [bare_lf]";
  if (r.bare_cr) s += " [bare_cr]";
  if (r.nul) s += " [nul]";
  return s;
}

auto maker(limits lim = {}) {
  return [lim] { return reply_parser(lim); };
}

const test::feed_options go_on{.continue_after_error = true};

TEST(reply_parser, single_and_multi_line_at_every_split) {
  const auto t = test::expect_split_invariant(
      "220 mx.example ESMTP ready\r\n"
      "250-mx.example greets you\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 STARTTLS\r\n"
      "354\r\n"
      "250 2.0.0 Ok: queued\r\n",
      maker(), describe);
  EXPECT_EQ(t, (strings{"220|mx.example ESMTP ready",
                        "250|mx.example greets you|PIPELINING|SIZE 1000|STARTTLS", "354|",
                        "250|2.0.0 Ok: queued"}));
}

TEST(reply_parser, rest_is_not_consumed) {
  reply_parser p;
  const auto r = p.parse("220 ready\r\n250 ok\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(r.consumed, 11u);
  const auto r2 = p.parse("250-a\r\n250 b\r\n5");
  ASSERT_TRUE(r2.is_complete());
  EXPECT_EQ(r2.consumed, 14u);
  EXPECT_EQ(p.get().lines, (strings{"a", "b"}));
}

TEST(reply_parser, incomplete_reply_needs_more) {
  const auto t = test::expect_split_invariant("250-first\r\n250-sec", maker(), describe);
  EXPECT_EQ(t, (strings{"need_more"}));
}

TEST(reply_parser, errors_with_offsets) {
  const auto t = test::expect_split_invariant(
      "199 x\r\n260 x\r\n25x y\r\n25\r\n250_x\r\n250-a\r\n251 b\r\n221 bye\r\n", maker(), describe,
      go_on);
  EXPECT_EQ(
      t, (strings{"error bad reply code @0", "error bad reply code @8", "error bad reply code @16",
                  "error bad reply code @23", "error bad reply separator @28",
                  "error reply code mismatch @39", "221|bye"}));
}

TEST(reply_parser, too_many_lines) {
  limits lim;
  lim.max_reply_lines = 3;
  const auto t = test::expect_split_invariant(
      "250-a\r\n250-b\r\n250 c\r\n250-a\r\n250-b\r\n250-c\r\n250 d\r\n220 x\r\n", maker(lim),
      describe, go_on);
  EXPECT_EQ(t, (strings{"250|a|b|c", "error too many reply lines @42", "220|x"}));
}

TEST(reply_parser, line_limit_bounds_a_hostile_server) {
  limits lim;
  lim.max_reply_line = 16;
  const std::string in = "250 " + std::string(100, 'x') + "\r\n250 ok\r\n";
  const auto t = test::expect_split_invariant(in, maker(lim), describe, go_on);
  EXPECT_EQ(t, (strings{"error line too long @16", "250|ok"}));
  reply_parser p(lim);
  EXPECT_TRUE(p.parse(std::string(100000, 'x')).is_error());
}

TEST(reply_parser, bare_lf_is_seen_when_lenient) {
  const auto strict = test::expect_split_invariant("250-a\n250 b\r\n", maker(), describe, go_on);
  EXPECT_EQ(strict, (strings{"error line ended by a bare LF (CRLF required) @5", "250|b"}));
  limits lim;
  lim.allow_bare_lf = true;
  lim.allow_bare_cr = true;
  lim.allow_nul = true;
  const auto t = test::expect_split_invariant(
      std::string_view("250-a\n250 b\r\n220 c\rd\0\r\n", 23), maker(lim), describe);
  EXPECT_EQ(t, (strings{"250|a|b [bare_lf]", std::string("220|c\rd\0 [bare_cr] [nul]", 24)}));
}

TEST(reply_parser, round_trip) {
  const char* const inputs[] = {"250-mx\r\n250-\r\n250 x y\r\n", "354\r\n", "221 \r\n",
                                "550-5.7.1 no\r\n550 5.7.1 really\r\n"};
  for (const char* in : inputs) {
    reply_parser p;
    ASSERT_TRUE(p.parse(in).is_complete()) << in;
    const reply first = p.get();
    std::string out;
    serialize(first, out);
    reply_parser q;
    ASSERT_TRUE(q.parse(out).is_complete()) << out;
    EXPECT_EQ(q.get(), first) << out;
  }
}

}  // namespace
}  // namespace mailtls::codec::smtp
