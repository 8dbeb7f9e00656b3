#include "codec/line_reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/split_feed.hpp"

namespace mailtls::codec {
namespace {

std::string describe(const line_reader& r) {
  const auto& l = r.line();
  std::string s = "line[" + std::string(l.text) + "]@" + std::to_string(l.offset);
  if (l.ending == line_ending::lf) s += " lf";
  if (l.bare_cr) s += " bare_cr";
  if (l.nul) s += " nul";
  return s;
}

auto maker(line_limits lim = {}) {
  return [lim] { return line_reader(lim); };
}

TEST(line_reader, splits_crlf_lines_at_every_byte) {
  const auto t =
      test::expect_split_invariant("EHLO a\r\nMAIL FROM:<x@y>\r\n\r\nQUIT\r\n", maker(), describe);
  EXPECT_EQ(t, (std::vector<std::string>{"line[EHLO a]@0", "line[MAIL FROM:<x@y>]@8", "line[]@25",
                                         "line[QUIT]@27"}));
}

TEST(line_reader, incomplete_line_needs_more) {
  const auto t = test::expect_split_invariant("NOOP\r\nQU", maker(), describe);
  EXPECT_EQ(t, (std::vector<std::string>{"line[NOOP]@0", "need_more"}));
}

TEST(line_reader, bare_lf_is_an_error_with_offset_by_default) {
  const auto t = test::expect_split_invariant("NOOP\r\nRSET\nQUIT\r\n", maker(), describe,
                                              {.continue_after_error = true});
  EXPECT_EQ(t, (std::vector<std::string>{"line[NOOP]@0",
                                         "error line ended by a bare LF (CRLF required) @10",
                                         "line[QUIT]@11"}));
}

TEST(line_reader, bare_lf_is_a_flag_when_allowed) {
  const auto t =
      test::expect_split_invariant("RSET\nQUIT\r\n", maker({.allow_bare_lf = true}), describe);
  EXPECT_EQ(t, (std::vector<std::string>{"line[RSET]@0 lf", "line[QUIT]@5"}));
}

TEST(line_reader, bare_cr_and_nul_are_reported) {
  const std::string in("a\rb\r\nc\0d\r\n", 10);
  const auto strict =
      test::expect_split_invariant(in, maker(), describe, {.continue_after_error = true});
  EXPECT_EQ(strict, (std::vector<std::string>{"error bare CR inside a line @1",
                                              "error NUL byte inside a line @6"}));
  const auto lenient =
      test::expect_split_invariant(in, maker({.allow_bare_cr = true, .allow_nul = true}), describe);
  ASSERT_EQ(lenient.size(), 2u);
  EXPECT_EQ(lenient[0], "line[a\rb]@0 bare_cr");
  EXPECT_EQ(lenient[1], std::string("line[c\0d]@5 nul", 15));
}

TEST(line_reader, special_bytes_found_at_every_position_of_a_long_line) {
  // The scanner skips eight bytes at a time; put the special byte at every offset of a word.
  for (std::size_t at = 0; at < 40; ++at) {
    for (char special : {'\r', '\0'}) {
      std::string in(40, 'x');
      in[at] = special;
      in += "\r\n";
      line_reader r;
      const auto res = r.parse(in);
      ASSERT_TRUE(res.is_error()) << at;
      EXPECT_EQ(res.error, special == '\r' ? line_errc::bare_cr : line_errc::nul_byte);
      EXPECT_EQ(res.offset, at);
      EXPECT_EQ(res.consumed, in.size());
    }
    std::string lf(40, 'x');
    lf[at] = '\n';
    line_reader r({.allow_bare_lf = true});
    const auto res = r.parse(lf);
    ASSERT_TRUE(res.is_complete()) << at;
    EXPECT_EQ(res.consumed, at + 1);
    EXPECT_EQ(r.line().text.size(), at);
  }
}

TEST(line_reader, cr_before_crlf_is_a_bare_cr) {
  line_reader r({.allow_bare_cr = true});
  ASSERT_TRUE(r.parse("x\r\r\n").is_complete());
  EXPECT_EQ(r.line().text, "x\r");
  EXPECT_TRUE(r.line().bare_cr);
  EXPECT_EQ(r.line().ending, line_ending::crlf);
}

TEST(line_reader, max_length_counts_the_crlf) {
  // RFC 5321 §4.5.3.1.4: 512 octets including CRLF.
  line_reader r({.max_length = 6});
  auto ok = r.parse("ABCD\r\n");
  EXPECT_TRUE(ok.is_complete());
  auto bad = r.parse("ABCDE\r\n");
  ASSERT_TRUE(bad.is_error());
  EXPECT_EQ(bad.error, line_errc::line_too_long);
  EXPECT_EQ(bad.offset, 12u);  // 6 bytes of the first line + the limit
  EXPECT_EQ(bad.consumed, 7u);
}

TEST(line_reader, over_long_line_is_discarded_then_reading_resumes) {
  const std::string in = std::string(40, 'A') + "\r\nNOOP\r\n";
  const auto t = test::expect_split_invariant(in, maker({.max_length = 10}), describe,
                                              {.continue_after_error = true});
  EXPECT_EQ(t, (std::vector<std::string>{"error line too long @10", "line[NOOP]@42"}));
}

TEST(line_reader, buffered_is_bounded_by_the_limit) {
  line_reader r({.max_length = 16});
  for (int i = 0; i < 15; ++i) {
    ASSERT_TRUE(r.parse("A").is_need_more());
    EXPECT_LE(r.buffered(), 16u);
  }
  EXPECT_TRUE(r.parse("A").is_error());
  EXPECT_EQ(r.buffered(), 0u);
  EXPECT_TRUE(r.discarding());
  EXPECT_TRUE(r.parse(std::string(10000, 'B')).is_need_more());
  EXPECT_EQ(r.buffered(), 0u);
  ASSERT_TRUE(r.parse("\r\nok\r\n").is_complete());
  EXPECT_TRUE(r.parse("ok\r\n").is_complete());
  EXPECT_EQ(r.line().text, "ok");
}

TEST(line_reader, rest_after_a_line_is_not_consumed) {
  // RFC 3207 §4.2: bytes after STARTTLS\r\n must stay visible to the caller.
  line_reader r;
  const auto res = r.parse("STARTTLS\r\nRSET\r\n");
  ASSERT_TRUE(res.is_complete());
  EXPECT_EQ(res.consumed, 10u);
  EXPECT_EQ(r.line().text, "STARTTLS");
}

}  // namespace
}  // namespace mailtls::codec
