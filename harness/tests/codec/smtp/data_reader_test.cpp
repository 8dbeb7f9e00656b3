#include "codec/smtp/data_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/split_feed.hpp"

namespace mailtls::codec::smtp {
namespace {

using strings = std::vector<std::string>;

std::string describe(const data_reader& r) {
  const data_info& i = r.info();
  std::string s = "[" + std::string(r.content()) + "] size=" + std::to_string(i.size);
  if (i.oversize) s += " oversize";
  if (i.bare_lf) s += " lf=" + std::to_string(i.bare_lf) + "@" + std::to_string(i.first_bare_lf);
  if (i.bare_cr) s += " cr=" + std::to_string(i.bare_cr) + "@" + std::to_string(i.first_bare_cr);
  if (i.smuggling) {
    s += " smuggle=" + std::to_string(i.smuggling) + "@" + std::to_string(i.first_smuggling);
  }
  if (i.long_lines) {
    s += " long=" + std::to_string(i.long_lines) + "@" + std::to_string(i.first_long_line);
  }
  return s;
}

auto maker(limits lim = {}) {
  return [lim] { return data_reader(lim); };
}

strings run(std::string_view in, limits lim = {}) {
  return test::expect_split_invariant(in, maker(lim), describe);
}

TEST(data_reader, message_and_rest) {
  const auto t = run("Subject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n");
  EXPECT_EQ(t, (strings{"[Subject: x\r\n\r\nhi\r\n] size=18", "need_more"}));
  data_reader r;
  const auto res = r.parse("a\r\n.\r\nQUIT\r\n");
  ASSERT_TRUE(res.is_complete());
  EXPECT_EQ(res.consumed, 6u);
}

TEST(data_reader, empty_message_uses_the_data_crlf) {
  // RFC 5321 §4.1.1.4: the CRLF ending DATA is the first CRLF of <CRLF>.<CRLF>.
  EXPECT_EQ(run(".\r\n"), (strings{"[] size=0"}));
}

TEST(data_reader, dot_unstuffing) {
  // RFC 5321 §4.5.2: the first "." of a line is removed.
  EXPECT_EQ(run("..\r\n..x\r\n.y\r\na.b\r\n.\r\n"), (strings{"[.\r\n.x\r\ny\r\na.b\r\n] size=15"}));
}

TEST(data_reader, two_messages) {
  EXPECT_EQ(run("a\r\n.\r\nb\r\n.\r\n"), (strings{"[a\r\n] size=3", "[b\r\n] size=3"}));
}

TEST(data_reader, smuggling_variants_never_end_the_data) {
  // CVE-2023-51764/51765/51766: each look-alike is counted; the offset is the first one's dot.
  EXPECT_EQ(run("a\n.\nb\r\n.\r\n"), (strings{"[a\n.\nb\r\n] size=7 lf=2@1 smuggle=1@2"}));
  EXPECT_EQ(run("a\r.\r\nb\r\n.\r\n"), (strings{"[a\r.\r\nb\r\n] size=8 cr=1@1 smuggle=1@2"}));
  EXPECT_EQ(run("a\n.\r\nb\r\n.\r\n"), (strings{"[a\n.\r\nb\r\n] size=8 lf=1@1 smuggle=1@2"}));
  EXPECT_EQ(run("a\r\n.\nb\r\n.\r\n"), (strings{"[a\r\n\nb\r\n] size=7 lf=1@4 smuggle=1@3"}));
  EXPECT_EQ(run("a\r\n.\rb\r\n.\r\n"), (strings{"[a\r\n\rb\r\n] size=7 cr=1@4 smuggle=1@3"}));
  EXPECT_EQ(run("a\r.\rb\r\n.\r\n"), (strings{"[a\r.\rb\r\n] size=7 cr=2@1 smuggle=1@2"}));
  // ".\r\n" after a bare LF is no end either.
  EXPECT_EQ(run(".\n.\r\n"), (strings{"need_more"}));
  EXPECT_EQ(run(".\n.\r\n.\r\n"), (strings{"[\n.\r\n] size=4 lf=1@1 smuggle=2@0"}));
}

TEST(data_reader, bare_cr_lf_and_long_lines_are_flagged) {
  limits lim;
  lim.max_text_line = 10;
  EXPECT_EQ(run("short\r\n0123456789abc\r\nx\ry\nz\r\n.\r\n", lim),
            (strings{"[short\r\n0123456789abc\r\nx\ry\nz\r\n] size=29 lf=1@25 cr=1@23 long=1@7"}));
  // A line without its end yet is flagged once.
  EXPECT_EQ(run(std::string(30, 'a') + "\r\n.\r\n", lim),
            (strings{"[" + std::string(30, 'a') + "\r\n] size=32 long=1@0"}));
}

TEST(data_reader, oversize_keeps_scanning_to_the_end) {
  // RFC 1870 §6.3: the server replies 552 after the end of data.
  limits lim;
  lim.max_message_size = 4;
  EXPECT_EQ(run("abcdefgh\r\n.\r\nQUIT\r\n", lim),
            (strings{"[abcd] size=10 oversize", "need_more"}));
}

TEST(data_reader, large_message_bounded_storage) {
  limits lim;
  lim.max_message_size = 1000;
  data_reader r(lim);
  const std::string chunk(1 << 16, 'x');
  for (int i = 0; i < 32; ++i)
    ASSERT_TRUE(r.parse(chunk).is_need_more());
  ASSERT_TRUE(r.parse("\r\n.\r\n").is_complete());
  EXPECT_EQ(r.content().size(), 1000u);
  EXPECT_EQ(r.info().size, (32u << 16) + 2);
  EXPECT_TRUE(r.info().oversize);
  EXPECT_EQ(r.info().long_lines, 1u);
}

TEST(data_reader, caller_sink_is_appended_to) {
  std::string sink = "prefix:";
  data_reader r({}, &sink);
  ASSERT_TRUE(r.parse("..a\r\n.\r\n").is_complete());
  EXPECT_EQ(sink, "prefix:.a\r\n");
  EXPECT_EQ(r.content(), ".a\r\n");
}

TEST(data_reader, sink_cleared_by_the_caller_mid_message) {
  std::string sink = "old";
  data_reader r({}, &sink);
  ASSERT_TRUE(r.parse("abc").is_need_more());
  sink.clear();
  EXPECT_EQ(r.content(), "");
  ASSERT_TRUE(r.parse("d\r\n.\r\n").is_complete());
  EXPECT_EQ(sink, "d\r\n");
}

TEST(data_reader, dot_stuff_writer) {
  std::string out;
  dot_stuff(".a\r\nb\r\n.\r\n", out);
  EXPECT_EQ(out, "..a\r\nb\r\n..\r\n.\r\n");
  out.clear();
  dot_stuff("no newline", out);
  EXPECT_EQ(out, "no newline\r\n.\r\n");
  out.clear();
  dot_stuff("", out);
  EXPECT_EQ(out, ".\r\n");
  out.clear();
  dot_stuff("a\n.b\r.c\r\n", out);  // bare LF / CR do not start lines
  EXPECT_EQ(out, "a\n.b\r.c\r\n.\r\n");
}

TEST(data_reader, dot_stuff_round_trip) {
  const char* const inputs[] = {"",         ".",       "..\r\n",         "\r\n.\r\n",
                                "a\r\n.\n", "\r\n.\r", "x\r\r\n.\r\r\n", ".\r\n.\r\n.",
                                "\n.\n",    "a\r",     "\r\n\r\n"};
  for (std::string_view x : inputs) {
    std::string wire;
    dot_stuff(x, wire);
    data_reader r;
    const auto res = r.parse(wire);
    ASSERT_TRUE(res.is_complete()) << wire;
    EXPECT_EQ(res.consumed, wire.size());
    std::string expect(x);
    if (!x.empty() && !x.ends_with("\r\n")) expect += "\r\n";
    EXPECT_EQ(r.content(), expect) << wire;
    test::expect_split_invariant(wire, maker(), describe);
  }
}

}  // namespace
}  // namespace mailtls::codec::smtp
