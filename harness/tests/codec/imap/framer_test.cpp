#include "codec/imap/framer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "codec/imap/errc.hpp"
#include "imap_test_util.hpp"

namespace mailtls::codec::imap {
namespace {

using namespace std::string_literals;

using test::strings;

std::string describe(const message_framer& f) {
  return test::printable(f.message()) + "@" + std::to_string(f.message_offset());
}

auto maker(imap_limits lim = {}, bool client = true) {
  return [lim, client] { return message_framer(lim, client); };
}

strings frames(std::string_view in, imap_limits lim = {}, bool client = true) {
  return mailtls::test::expect_split_invariant(in, maker(lim, client), describe,
                                               {.continue_after_error = true});
}

TEST(imap_framer, finds_literal_announcements) {
  auto a = find_literal_announcement("a LOGIN {5}");
  EXPECT_TRUE(a.present);
  EXPECT_EQ(a.size, 5u);
  EXPECT_EQ(a.brace, 8u);
  EXPECT_FALSE(a.non_sync);
  a = find_literal_announcement("x ~{12+}");
  EXPECT_TRUE(a.present && a.binary && a.non_sync);
  EXPECT_EQ(a.size, 12u);
  a = find_literal_announcement("x {99999999999999999999999}");
  EXPECT_TRUE(a.present && a.too_large);
  EXPECT_FALSE(find_literal_announcement("x {}").present);
  EXPECT_FALSE(find_literal_announcement("x {+}").present);
  EXPECT_FALSE(find_literal_announcement("x 5}").present);
  EXPECT_FALSE(find_literal_announcement("x {5} ").present);
  EXPECT_FALSE(find_literal_announcement("}").present);
}

TEST(imap_framer, frames_lines_and_literals) {
  const auto t = frames("a NOOP\r\nb LOGIN {3}\r\nx\r\n y\r\nc X {0}\r\n\r\n");
  EXPECT_EQ(t, (strings{"a NOOP\\r\\n@0", "b LOGIN {3}\\r\\nx\\r\\n y\\r\\n@8",
                        "c X {0}\\r\\n\\r\\n@28"}));
}

TEST(imap_framer, literal_filter_and_single_line) {
  message_framer f({}, false);
  f.set_literal_filter([](std::string_view line) { return line.substr(0, 1) != "+"; });
  auto r = f.parse("+ go {3}\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(f.message(), "+ go {3}\r\n");
  f.set_single_line(true);
  r = f.parse("* X {3}\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(f.message(), "* X {3}\r\n");
}

TEST(imap_framer, server_side_skips_refused_literal) {
  imap_limits lim;
  lim.max_literal = 2;
  const auto t = frames("* 1 FETCH (BODY[] {4}\r\nabcd {1}\r\nz)\r\n* OK\r\n", lim, false);
  EXPECT_EQ(t, (strings{"error literal too large @18", "* OK\\r\\n@37"}));
}

TEST(imap_framer, line_error_inside_discard_is_not_reported_twice) {
  imap_limits lim;
  lim.max_literal = 2;
  const auto t = frames("a X {4+}\r\nabcd\nb NOOP\r\n", lim);
  EXPECT_EQ(t, (strings{"error literal too large @4", "b NOOP\\r\\n@15"}));
}

TEST(imap_framer, nul_in_literal_skips_the_rest) {
  const auto t = frames("a X {4+}\r\na\0cd {1+}\r\nz\r\nb Y\r\n"s);
  EXPECT_EQ(t, (strings{"error NUL in a non-binary literal @11", "b Y\\r\\n@24"}));
}

TEST(imap_framer, line_error_offsets_count_literal_bytes) {
  const auto t = frames("a X {3}\r\nabc\nb\r\n");
  EXPECT_EQ(t, (strings{"error line ended by a bare LF (CRLF required) @12", "b\\r\\n@13"}));
}

TEST(imap_framer, flags_report_leniencies) {
  imap_limits lim;
  lim.allow_bare_lf = true;
  lim.allow_bare_cr = true;
  message_framer f(lim, true);
  ASSERT_TRUE(f.parse("a\rb\n").is_complete());
  EXPECT_EQ(f.flags(), (line_flags{true, true, false}));
  ASSERT_TRUE(f.parse("c\r\n").is_complete());
  EXPECT_EQ(f.flags(), (line_flags{}));
}

TEST(imap_framer, stream_offset_and_reset) {
  message_framer f({}, true);
  ASSERT_TRUE(f.parse("a X {2}\r\nab\r\n").is_complete());
  EXPECT_EQ(f.stream_offset(), 13u);
  f.reset();
  EXPECT_EQ(f.stream_offset(), 0u);
  ASSERT_TRUE(f.parse("b\r\n").is_complete());
  EXPECT_EQ(f.message_offset(), 0u);
}

}  // namespace
}  // namespace mailtls::codec::imap
