#include "codec/imap/sequence_set.hpp"

#include <gtest/gtest.h>

#include <string>

#include "codec/imap/errc.hpp"

namespace mailtls::codec::imap {
namespace {

std::string wire(const sequence_set& s) {
  std::string out;
  serialize(s, out);
  return out;
}

TEST(imap_sequence_set, parses_ranges_numbers_and_star) {
  const auto r = parse_sequence_set("1:5,7,*,9:*");
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.set.ranges.size(), 4u);
  EXPECT_EQ(r.set.ranges[0], (seq_range{{1, false}, {5, false}}));
  EXPECT_EQ(r.set.ranges[1], (seq_range{{7, false}, {7, false}}));
  EXPECT_EQ(r.set.ranges[2], (seq_range{{0, true}, {0, true}}));
  EXPECT_EQ(r.set.ranges[3], (seq_range{{9, false}, {0, true}}));
  EXPECT_EQ(wire(r.set), "1:5,7,*,9:*");
  EXPECT_EQ(parse_sequence_set(wire(r.set)).set, r.set);
}

TEST(imap_sequence_set, saved_result) {
  // RFC 5182 §2.1
  const auto r = parse_sequence_set("$");
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(r.set.saved);
  EXPECT_EQ(wire(r.set), "$");
  const auto bad = parse_sequence_set("$,1");
  EXPECT_EQ(bad.error, imap_errc::sequence_set_syntax);
  EXPECT_EQ(bad.position, 1u);
}

TEST(imap_sequence_set, specific_errors_with_positions) {
  struct c {
    const char* in;
    imap_errc e;
    std::size_t pos;
  };
  for (const auto& t :
       {c{"", imap_errc::sequence_set_empty, 0}, c{"0", imap_errc::sequence_number_zero, 0},
        c{"1:0", imap_errc::sequence_number_zero, 2},
        c{"4294967296", imap_errc::sequence_number_too_large, 0},
        c{"3,99999999999999999999999", imap_errc::sequence_number_too_large, 2},
        c{"1::2", imap_errc::sequence_set_syntax, 2}, c{"1,", imap_errc::sequence_set_syntax, 2},
        c{",1", imap_errc::sequence_set_syntax, 0}, c{"01", imap_errc::sequence_set_syntax, 0},
        c{"1-3", imap_errc::sequence_set_syntax, 1}, c{"a", imap_errc::sequence_set_syntax, 0}}) {
    const auto r = parse_sequence_set(t.in);
    EXPECT_EQ(r.error, t.e) << t.in;
    EXPECT_EQ(r.position, t.pos) << t.in;
  }
  EXPECT_FALSE(parse_sequence_set("4294967295").error);
}

TEST(imap_sequence_set, contains_resolves_star_and_reversed_ranges) {
  const auto s = parse_sequence_set("5:2,10:*").set;
  EXPECT_TRUE(s.contains(3, 20));
  EXPECT_FALSE(s.contains(7, 20));
  EXPECT_TRUE(s.contains(15, 20));
  EXPECT_FALSE(s.contains(21, 20));
  EXPECT_FALSE(parse_sequence_set("$").set.contains(1, 5));
}

}  // namespace
}  // namespace mailtls::codec::imap
