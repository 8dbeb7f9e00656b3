#include "codec/smtp/bdat_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/split_feed.hpp"

namespace mailtls::codec::smtp {
namespace {

using strings = std::vector<std::string>;

std::string describe(const bdat_reader& r) {
  return "[" + std::string(r.content()) + "] size=" + std::to_string(r.message_size()) +
         (r.message_complete() ? " done" : "") + (r.oversize() ? " oversize" : "");
}

TEST(bdat_reader, exact_chunk_at_every_split) {
  const auto t = test::expect_split_invariant(
      "Subject: x\r\n\r\n.\r\n",
      [] {
        bdat_reader r;
        r.begin_chunk(17, true);
        return r;
      },
      describe);
  EXPECT_EQ(t, (strings{"[Subject: x\r\n\r\n.\r\n] size=17 done"}));
}

TEST(bdat_reader, rest_is_not_consumed_and_chunks_accumulate) {
  bdat_reader r;
  r.begin_chunk(3, false);
  auto res = r.parse("abcBDAT");
  ASSERT_TRUE(res.is_complete());
  EXPECT_EQ(res.consumed, 3u);
  EXPECT_FALSE(r.message_complete());
  r.begin_chunk(2, true);
  EXPECT_TRUE(r.parse("d").is_need_more());
  EXPECT_EQ(r.remaining(), 1u);
  res = r.parse("eQUIT");
  ASSERT_TRUE(res.is_complete());
  EXPECT_EQ(res.consumed, 1u);
  EXPECT_TRUE(r.message_complete());
  EXPECT_EQ(r.content(), "abcde");
  EXPECT_EQ(r.stream_offset(), 5u);
  r.begin_chunk(1, true);  // a new message
  ASSERT_TRUE(r.parse("z").is_complete());
  EXPECT_EQ(r.content(), "z");
}

TEST(bdat_reader, huge_announced_size_allocates_nothing) {
  limits lim;
  lim.max_message_size = 8;
  bdat_reader r(lim);
  r.begin_chunk(999999999999ull, true);
  EXPECT_EQ(r.content().size(), 0u);
  EXPECT_TRUE(r.parse(std::string(100, 'x')).is_need_more());
  EXPECT_EQ(r.content(), "xxxxxxxx");
  EXPECT_EQ(r.message_size(), 100u);
  EXPECT_TRUE(r.oversize());
  EXPECT_EQ(r.remaining(), 999999999899ull);
}

TEST(bdat_reader, zero_size_and_unarmed) {
  bdat_reader r;
  EXPECT_TRUE(r.parse("x").is_complete());
  EXPECT_EQ(r.parse("x").consumed, 0u);
  r.begin_chunk(0, true);
  EXPECT_TRUE(r.message_complete());
  EXPECT_EQ(r.parse("QUIT").consumed, 0u);
}

TEST(bdat_reader, caller_sink) {
  std::string sink;
  bdat_reader r({}, &sink);
  r.begin_chunk(2, true);
  ASSERT_TRUE(r.parse("ok").is_complete());
  EXPECT_EQ(sink, "ok");
}

}  // namespace
}  // namespace mailtls::codec::smtp
