// append_multi_line (RFC 1939 §3 byte-stuffing, §7 TOP) and the maildrop's marks and UPDATE.
#include "session/pop3/maildrop.hpp"

#include <gtest/gtest.h>

#include "codec/pop3/response.hpp"
#include "codec/pop3/response_parser.hpp"
#include "session/memory_backend.hpp"

namespace mailtls::server::pop3 {
namespace {

std::string render(std::string_view content, std::optional<std::uint32_t> lines = std::nullopt) {
  std::string out;
  append_multi_line(content, lines, out);
  return out;
}

TEST(pop3_multi_line, byte_stuffing_and_termination) {
  EXPECT_EQ(render(""), ".\r\n");
  EXPECT_EQ(render("a\r\n"), "a\r\n.\r\n");
  EXPECT_EQ(render(".\r\n"), "..\r\n.\r\n");
  EXPECT_EQ(render("..x\r\n.\r\n"), "...x\r\n..\r\n.\r\n");
  EXPECT_EQ(render("no newline"), "no newline\r\n.\r\n");
  EXPECT_EQ(render("bare\nlf\n"), "bare\r\nlf\r\n.\r\n");
  EXPECT_EQ(render("mid\rcr\r\n"), "mid\rcr\r\n.\r\n");
  EXPECT_EQ(render("\r\n\r\n"), "\r\n\r\n.\r\n");
}

TEST(pop3_multi_line, top_counts_body_lines_after_the_first_empty_line) {
  const std::string_view m = "A: 1\r\nB: 2\r\n\r\nl1\r\n\r\n.l3\r\nl4\r\n";
  EXPECT_EQ(render(m, 0), "A: 1\r\nB: 2\r\n\r\n.\r\n");
  EXPECT_EQ(render(m, 1), "A: 1\r\nB: 2\r\n\r\nl1\r\n.\r\n");
  EXPECT_EQ(render(m, 3), "A: 1\r\nB: 2\r\n\r\nl1\r\n\r\n..l3\r\n.\r\n");
  EXPECT_EQ(render(m, 4), render(m));
  EXPECT_EQ(render(m, 4'000'000'000u), render(m));
  EXPECT_EQ(render("A: 1\r\nB: 2\r\n", 0), "A: 1\r\nB: 2\r\n.\r\n");
}

TEST(pop3_multi_line, a_client_parser_reads_back_the_content) {
  for (const std::string_view m : {std::string_view("x\r\n.\r\n..\r\n.y\r\n"),
                                   std::string_view(".\r\n"), std::string_view("a\r\n\r\nb\r\n")}) {
    std::string wire = "+OK\r\n";
    append_multi_line(m, std::nullopt, wire);
    codec::pop3::response_parser p;
    p.expect(codec::pop3::response_kind::multi_line);
    const auto r = p.parse(wire);
    ASSERT_TRUE(r.is_complete()) << m;
    EXPECT_EQ(r.consumed, wire.size());
    EXPECT_EQ(p.message().body, m);
  }
}

TEST(pop3_maildrop, marks_numbers_and_update) {
  memory_backend b;
  b.add_user("u@d.test", "pw");
  b.add_message("u@d.test", "one\r\n");
  b.add_message("u@d.test", "two!\r\n");
  b.add_message("u@d.test", "three\r\n", flag_seen);
  maildrop m(b.open_mailbox("u@d.test", "INBOX"));
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m.count(), 3u);
  EXPECT_EQ(m.octets(), 5u + 6u + 7u);
  EXPECT_EQ(m.find(0), nullptr);
  EXPECT_EQ(m.find(4), nullptr);
  ASSERT_NE(m.find(2), nullptr);
  EXPECT_EQ(m.find(2)->size, 6u);
  EXPECT_TRUE(m.mark_deleted(2));
  EXPECT_FALSE(m.mark_deleted(2));
  EXPECT_FALSE(m.mark_deleted(9));
  EXPECT_TRUE(m.is_deleted(2));
  EXPECT_FALSE(m.is_deleted(9));
  EXPECT_EQ(m.find(2), nullptr);
  EXPECT_EQ(m.count(), 2u);
  EXPECT_EQ(m.octets(), 12u);
  std::string out;
  EXPECT_EQ(m.append_message(2, std::nullopt, out),
            std::make_error_code(std::errc::invalid_argument));
  EXPECT_FALSE(m.append_message(3, std::nullopt, out));
  EXPECT_EQ(out, "three\r\n.\r\n");
  m.unmark_all();
  EXPECT_EQ(m.count(), 3u);
  EXPECT_TRUE(m.mark_deleted(1));
  EXPECT_TRUE(m.mark_deleted(3));
  std::size_t left = 0;
  EXPECT_FALSE(m.update(left));
  EXPECT_EQ(left, 1u);
  const auto* inbox = b.find_folder("u@d.test", "INBOX");
  ASSERT_EQ(inbox->messages.size(), 1u);
  EXPECT_EQ(inbox->messages[0].content, "two!\r\n");
}

TEST(pop3_maildrop, update_without_marks_keeps_imap_deleted_messages) {
  memory_backend b;
  b.add_user("u@d.test", "pw");
  b.add_message("u@d.test", "a\r\n", flag_deleted);  // \Deleted set over IMAP, not expunged
  maildrop m(b.open_mailbox("u@d.test", "INBOX"));
  std::size_t left = 0;
  EXPECT_FALSE(m.update(left));
  EXPECT_EQ(left, 1u);
}

}  // namespace
}  // namespace mailtls::server::pop3
