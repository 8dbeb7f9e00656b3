#include "codec/imap/response.hpp"

#include <gtest/gtest.h>

#include <string>

#include "imap_test_util.hpp"

namespace mailtls::codec::imap {
namespace {

std::string wire(const response& r) {
  std::string s;
  serialize(r, s);
  return s;
}

TEST(imap_response, builders_serialize) {
  EXPECT_EQ(wire(response::make_continuation("Ready")), "+ Ready\r\n");
  EXPECT_EQ(wire(response::make_tagged("a1", response_status::no, "no way")), "a1 NO no way\r\n");
  response_code code;
  code.name = "UIDNEXT";
  code.text = "44";
  code.args = {value::make_number(44)};
  EXPECT_EQ(wire(response::make_status(response_status::ok, "Predicted", code)),
            "* OK [UIDNEXT 44] Predicted\r\n");
  EXPECT_EQ(wire(response::make_status(response_status::bye, "")), "* BYE\r\n");
  EXPECT_EQ(wire(response::make_message_data(3, "EXISTS")), "* 3 EXISTS\r\n");
  const response f = response::make_message_data(
      7, "FETCH",
      {value::make_list({value::make_atom("UID"), value::make_number(9), value::make_atom("RFC822"),
                         value::make_literal("x\r\n")})});
  EXPECT_EQ(wire(f), "* 7 FETCH (UID 9 RFC822 {3}\r\nx\r\n)\r\n");
  EXPECT_EQ(f.data, data_kind::fetch);
  for (const auto& r : {response::make_continuation("Ready"),
                        response::make_tagged("a1", response_status::no, "no way"),
                        response::make_status(response_status::ok, "Predicted", code), f})
    test::expect_response_round_trip(r, imap_limits::responses());
}

TEST(imap_response, names) {
  EXPECT_STREQ(status_keyword(response_status::preauth), "PREAUTH");
  EXPECT_EQ(data_kind_from_keyword("esearch"), data_kind::esearch);
  EXPECT_EQ(data_kind_from_keyword("QUOTA"), data_kind::other);
  EXPECT_STREQ(to_string(data_kind::namespace_), "NAMESPACE");
}

TEST(imap_response, code_number) {
  response_code c;
  c.name = "UIDVALIDITY";
  EXPECT_FALSE(c.number().has_value());
  c.args = {value::make_number(7)};
  EXPECT_EQ(c.number(), 7u);
  EXPECT_TRUE(c.is("uidvalidity"));
}

}  // namespace
}  // namespace mailtls::codec::imap
