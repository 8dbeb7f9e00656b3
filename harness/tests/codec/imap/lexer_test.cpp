#include "codec/imap/lexer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mailtls::codec::imap {
namespace {

struct lexed {
  bool ok;
  std::vector<value> values;
  imap_errc error;
  std::uint64_t offset;
};

lexed lex(std::string_view msg, imap_limits lim = {}) {
  lexer lx(msg, 100, lim);
  lexed r{};
  r.ok = lx.read_args(r.values);
  r.error = lx.error();
  r.offset = lx.error_offset();
  return r;
}

TEST(imap_lexer, character_classes) {
  // RFC 9051 §9 atom-specials.
  for (unsigned char c : std::string_view("(){ %*\"\\]\x7f\x01"))
    EXPECT_FALSE(is_atom_char(c)) << int(c);
  for (unsigned char c : std::string_view("aZ09.-+[<>:,$~!#&'/;=?@^_`|"))
    EXPECT_TRUE(is_atom_char(c)) << c;
  EXPECT_TRUE(is_astring_char(']'));
  EXPECT_FALSE(is_tag_char('+'));
  EXPECT_TRUE(is_tag_char(']'));
  EXPECT_FALSE(is_atom_char(0x80));
}

TEST(imap_lexer, utf8_sequences) {
  auto len = [](std::string_view s) {
    return utf8_sequence_length(reinterpret_cast<const unsigned char*>(s.data()), s.size());
  };
  EXPECT_EQ(len("\xC3\xA9"), 2u);
  EXPECT_EQ(len("\xE2\x82\xAC"), 3u);
  EXPECT_EQ(len("\xF0\x9F\x98\x80"), 4u);
  EXPECT_EQ(len("\xC0\xAF"), 0u);          // overlong
  EXPECT_EQ(len("\xED\xA0\x80"), 0u);      // surrogate
  EXPECT_EQ(len("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(len("\xE2\x82"), 0u);          // truncated
  EXPECT_EQ(len("\x80"), 0u);
}

TEST(imap_lexer, value_kinds) {
  const auto r =
      lex(" abc 42 \"q\\\\\" {2}\r\nxy NIL nil (a (b)) \\Seen \\* 99999999999999999999\r\n");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.values.size(), 10u);
  EXPECT_EQ(r.values[0].kind, value_kind::atom);
  EXPECT_EQ(r.values[1].kind, value_kind::number);
  EXPECT_EQ(r.values[1].number, 42u);
  EXPECT_EQ(r.values[2].text, "q\\");
  EXPECT_EQ(r.values[3].kind, value_kind::literal);
  EXPECT_EQ(r.values[3].text, "xy");
  EXPECT_EQ(r.values[4].kind, value_kind::nil);
  EXPECT_EQ(r.values[5].text, "nil");
  EXPECT_EQ(r.values[6].items[1].items[0].text, "b");
  EXPECT_EQ(r.values[7].text, "\\Seen");
  EXPECT_EQ(r.values[8].text, "\\*");
  EXPECT_EQ(r.values[9].kind, value_kind::atom);  // beyond 64 bits: kept as an atom
}

TEST(imap_lexer, brackets_in_atoms) {
  const auto r = lex(" [Gmail]/Sent a]b BODY[1.MIME] x[y]\r\n");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.values.size(), 4u);
  EXPECT_EQ(r.values[0].text, "[Gmail]/Sent");
  EXPECT_FALSE(r.values[0].has_section);
  EXPECT_EQ(r.values[1].text, "a]b");
  EXPECT_TRUE(r.values[2].has_section);
  EXPECT_EQ(r.values[2].section[0].text, "1.MIME");
  EXPECT_EQ(r.values[3].text, "x");
}

TEST(imap_lexer, invalid_utf8_can_be_allowed) {
  EXPECT_EQ(lex(" \"\xFF\"\r\n").error, imap_errc::invalid_utf8);
  imap_limits lim;
  lim.allow_invalid_utf8 = true;
  const auto r = lex(" \"\xFF\"\r\n", lim);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.values[0].text, "\xFF");
}

TEST(imap_lexer, errors_are_absolute_offsets) {
  EXPECT_EQ(lex(" )\r\n").error, imap_errc::unexpected_close_paren);
  EXPECT_EQ(lex(" )\r\n").offset, 101u);
  EXPECT_EQ(lex(" \"a\rb\"\r\n").error, imap_errc::invalid_quoted_char);
  EXPECT_EQ(lex(" \"a\rb\"\r\n").offset, 103u);
  EXPECT_EQ(lex(std::string(" \"a\0\"\r\n", 7)).error, imap_errc::invalid_quoted_char);
  EXPECT_EQ(lex(" a\x01\r\n").error, imap_errc::expected_space);
  EXPECT_EQ(lex(" \x01\r\n").error, imap_errc::unexpected_character);
  EXPECT_EQ(lex(" (a  b)\r\n").error, imap_errc::unexpected_space);
  EXPECT_EQ(lex(" (a )\r\n").offset, 103u);
  EXPECT_EQ(lex(" B[1 ]\r\n").error, imap_errc::invalid_section);
  EXPECT_EQ(lex(" B[]<>\r\n").error, imap_errc::invalid_partial);
  EXPECT_EQ(lex(" {3}\r\nab").error, imap_errc::invalid_literal);
  EXPECT_EQ(lex(" \"a\\").error, imap_errc::unterminated_quoted);
}

}  // namespace
}  // namespace mailtls::codec::imap
