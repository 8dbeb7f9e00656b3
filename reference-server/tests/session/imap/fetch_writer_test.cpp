#include "session/imap/fetch_writer.hpp"

#include <gtest/gtest.h>

namespace mailtls::server::imap {
namespace {

TEST(fetch_writer, date_time_round_trip) {
  EXPECT_EQ(format_date_time(0), "01-Jan-1970 00:00:00 +0000");
  EXPECT_EQ(format_date_time(1'700'000'000), "14-Nov-2023 22:13:20 +0000");
  EXPECT_EQ(format_date_time(951782400), "29-Feb-2000 00:00:00 +0000");
  EXPECT_EQ(parse_date_time("14-Nov-2023 22:13:20 +0000"), 1'700'000'000);
  EXPECT_EQ(parse_date_time("14-nov-2023 23:13:20 +0100"), 1'700'000'000);
  EXPECT_EQ(parse_date_time(" 1-Jan-1970 00:00:00 -0130"), 5400);
  EXPECT_EQ(parse_date_time("14-Nov-2023 24:00:00 +0000"), std::nullopt);
  EXPECT_EQ(parse_date_time("14-Xyz-2023 22:13:20 +0000"), std::nullopt);
  EXPECT_EQ(parse_date_time("14-Nov-2023 22:13:20 +0060"), std::nullopt);
  EXPECT_EQ(parse_date_time("14-Nov-2023"), std::nullopt);
}

TEST(fetch_writer, flags) {
  std::string s;
  append_flag_list(flag_seen | flag_deleted | flag_answered, s);
  EXPECT_EQ(s, "(\\Answered \\Deleted \\Seen)");
  EXPECT_EQ(flag_bit("\\seen"), flag_seen);
  EXPECT_EQ(flag_bit("\\Recent"), 0);
  EXPECT_EQ(flag_bit("$Junk"), 0);
}

TEST(fetch_writer, header_and_text) {
  EXPECT_EQ(header_of("A: b\r\n\r\nbody\r\n"), "A: b\r\n\r\n");
  EXPECT_EQ(text_of("A: b\r\n\r\nbody\r\n"), "body\r\n");
  EXPECT_EQ(header_of("\r\nbody"), "\r\n");
  EXPECT_EQ(header_of("A: no body"), "A: no body");
  EXPECT_EQ(text_of("A: no body"), "");
}

TEST(fetch_writer, parses_items) {
  namespace cimap = mailtls::codec::imap;
  std::vector<fetch_item> items;
  EXPECT_EQ(parse_fetch_items(cimap::value::make_atom("FAST"), items), std::nullopt);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].kind, fetch_kind::flags);
  EXPECT_EQ(items[2].kind, fetch_kind::rfc822_size);
  EXPECT_EQ(parse_fetch_items(cimap::value::make_atom("BODYSTRUCTURE"), items),
            "Unsupported FETCH item BODYSTRUCTURE");
  EXPECT_EQ(parse_fetch_items(cimap::value::make_list(), items), "Empty FETCH item list");
  cimap::value body = cimap::value::make_atom("body.peek");
  body.has_section = true;
  body.section = {cimap::value::make_atom("text")};
  body.partial = cimap::partial_range{2, 5};
  ASSERT_EQ(parse_fetch_items(body, items), std::nullopt);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_TRUE(items[0].peek);
  EXPECT_EQ(items[0].part, body_part::text);
  EXPECT_EQ(items[0].name, "BODY[TEXT]<2>");
  std::string out;
  message_entry m;
  write_fetch_item(items[0], m, "H: v\r\n\r\n0123456789", out);
  EXPECT_EQ(out, "BODY[TEXT]<2> {5}\r\n23456");
}

}  // namespace
}  // namespace mailtls::server::imap
