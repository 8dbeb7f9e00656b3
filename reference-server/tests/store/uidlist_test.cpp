#include "store/uidlist.hpp"

#include <gtest/gtest.h>

namespace mailtls::server::store {
namespace {

TEST(uidlist, parses_and_round_trips) {
  const std::string text = "1700000000 7\n1 a.host\n3 b.host\n6 c.host\n";
  uidlist l;
  ASSERT_EQ(parse_uidlist(text, l), std::error_code{});
  EXPECT_EQ(l.uid_validity, 1700000000u);
  EXPECT_EQ(l.uid_next, 7u);
  EXPECT_EQ(l.entries, (std::vector<uidlist_entry>{{1, "a.host"}, {3, "b.host"}, {6, "c.host"}}));
  std::string out;
  serialize_uidlist(l, out);
  EXPECT_EQ(out, text);
  uidlist again;
  ASSERT_EQ(parse_uidlist(out, again), std::error_code{});
  EXPECT_EQ(again, l);
}

TEST(uidlist, empty_folder) {
  uidlist l;
  ASSERT_EQ(parse_uidlist("5 1\n", l), std::error_code{});
  EXPECT_EQ(l.uid_validity, 5u);
  EXPECT_EQ(l.uid_next, 1u);
  EXPECT_TRUE(l.entries.empty());
}

TEST(uidlist, rejects_every_defect) {
  for (const char* bad : {
           "",                 // no header
           "5 3",              // torn header
           "0 3\n",            // uidvalidity 0
           "5 0\n",            // uidnext 0
           "5 3 x\n",          // trailing junk
           "5 3\n1 a\n1 b\n",  // not ascending
           "5 3\n2 a\n1 b\n",  // descending
           "5 3\n3 a\n",       // uid >= uidnext
           "5 3\n0 a\n",       // uid 0
           "5 3\n1 a\n2 a\n",  // duplicate name
           "5 3\n1 \n",        // empty name
           "5 3\n1 a b\n",     // space in name
           "5 3\n1 a\n2 b",    // torn last line
           "x 3\n",            // not a number
           "99999999999 3\n",  // out of range
       }) {
    uidlist l;
    l.uid_validity = 42;
    EXPECT_EQ(parse_uidlist(bad, l), std::errc::invalid_argument) << bad;
    EXPECT_EQ(l.uid_validity, 42u) << bad;  // untouched
  }
}

}  // namespace
}  // namespace mailtls::server::store
