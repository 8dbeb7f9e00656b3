#include "codec/imap/value.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mailtls::codec::imap {
namespace {

std::string wire(const value& v) {
  std::string s;
  serialize(v, s);
  return s;
}

TEST(imap_value, serializes_each_kind) {
  EXPECT_EQ(wire(value::make_atom("\\Seen")), "\\Seen");
  EXPECT_EQ(wire(value::make_number(4294967295u)), "4294967295");
  EXPECT_EQ(wire(value::make_quoted("a \"b\" \\c")), "\"a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(wire(value::make_literal("hi\r\n")), "{4}\r\nhi\r\n");
  EXPECT_EQ(wire(value::make_literal("x", true)), "{1+}\r\nx");
  EXPECT_EQ(wire(value::make_literal("x", false, true)), "~{1}\r\nx");
  EXPECT_EQ(wire(value::make_nil()), "NIL");
  EXPECT_EQ(wire(value::make_list({value::make_atom("A"), value::make_list()})), "(A ())");
}

TEST(imap_value, section_and_partial) {
  value v = value::make_atom("BODY.PEEK");
  v.has_section = true;
  v.section = {value::make_atom("HEADER.FIELDS"),
               value::make_list({value::make_atom("SUBJECT"), value::make_atom("FROM")})};
  v.partial = partial_range{0, 1024};
  EXPECT_EQ(wire(v), "BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]<0.1024>");
  value b = value::make_atom("BODY");
  b.has_section = true;
  b.partial = partial_range{7, std::nullopt};
  EXPECT_EQ(wire(b), "BODY[]<7>");
  EXPECT_FALSE(b.is_plain_atom());
  EXPECT_FALSE(b.is_astring());
}

TEST(imap_value, make_string_picks_quoted_or_literal) {
  EXPECT_EQ(value::make_string("plain").kind, value_kind::quoted);
  EXPECT_EQ(value::make_string("two\r\nlines").kind, value_kind::literal);
  EXPECT_EQ(value::make_string(std::string("a\0b", 3)).kind, value_kind::literal);
  EXPECT_EQ(value::make_string(std::string(1001, 'x')).kind, value_kind::literal);
}

TEST(imap_value, predicates) {
  EXPECT_TRUE(value::make_atom("\\Seen").is_flag());
  EXPECT_TRUE(value::make_atom("\\*").is_flag());
  EXPECT_TRUE(value::make_atom("$Junk").is_flag());
  EXPECT_FALSE(value::make_atom("\\").is_flag());
  EXPECT_FALSE(value::make_atom("a*").is_flag());
  EXPECT_FALSE(value::make_quoted("\\Seen").is_flag());
  EXPECT_TRUE(value::make_nil().is_astring());
  EXPECT_TRUE(value::make_nil().is_nstring());
  EXPECT_FALSE(value::make_atom("\\Seen").is_astring());
  EXPECT_FALSE(value::make_list().is_astring());
  EXPECT_TRUE(value::make_atom("fetch").atom_is("FETCH"));
  EXPECT_FALSE(value::make_quoted("fetch").atom_is("FETCH"));
}

TEST(imap_value, iequals_is_ascii_only) {
  EXPECT_TRUE(iequals("StartTLS", "STARTTLS"));
  EXPECT_FALSE(iequals("STARTTLS", "STARTTL"));
  EXPECT_FALSE(iequals("\xE9", "\xC9"));
  EXPECT_EQ(std::string(to_string(value_kind::literal)), "literal");
}

TEST(imap_value, equality_covers_literal_form) {
  EXPECT_NE(value::make_literal("x"), value::make_literal("x", true));
  EXPECT_NE(value::make_literal("x"), value::make_quoted("x"));
  EXPECT_EQ(value::make_list({value::make_number(3)}), value::make_list({value::make_number(3)}));
}

}  // namespace
}  // namespace mailtls::codec::imap

namespace mailtls::codec::imap {
namespace {

TEST(imap_value, astring_excludes_list_wildcards) {
  // RFC 9051 §9: ASTRING-CHAR = ATOM-CHAR / resp-specials; "%" and "*" are list-wildcards only.
  EXPECT_TRUE(value::make_atom("INBOX]x").is_astring());
  EXPECT_FALSE(value::make_atom("INBOX*").is_astring());
  EXPECT_FALSE(value::make_atom("%").is_astring());
}

}  // namespace
}  // namespace mailtls::codec::imap
