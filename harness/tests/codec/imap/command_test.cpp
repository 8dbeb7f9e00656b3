#include "codec/imap/command.hpp"

#include <gtest/gtest.h>

#include <string>

#include "imap_test_util.hpp"

namespace mailtls::codec::imap {
namespace {

TEST(imap_command, kinds_from_names) {
  EXPECT_EQ(command_kind_from_name("starttls"), command_kind::starttls);
  EXPECT_EQ(command_kind_from_name("Uid"), command_kind::unknown);
  EXPECT_EQ(command_kind_from_name("XLIST"), command_kind::unknown);
  EXPECT_STREQ(to_string(command_kind::delete_), "DELETE");
  EXPECT_STREQ(to_string(command_kind::unknown), "UNKNOWN");
}

TEST(imap_command, make_and_serialize) {
  const command c = command::make("A1", "UID STORE",
                                  {value::make_atom("1:*"), value::make_atom("+FLAGS"),
                                   value::make_list({value::make_atom("\\Seen")})});
  EXPECT_TRUE(c.uid);
  EXPECT_EQ(c.kind, command_kind::store);
  std::string wire;
  serialize(c, wire);
  EXPECT_EQ(wire, "A1 UID STORE 1:* +FLAGS (\\Seen)\r\n");
  test::expect_command_round_trip(c, imap_limits::commands());
}

TEST(imap_command, literals_keep_their_form_on_the_wire) {
  const command c = command::make(
      "a", "LOGIN", {value::make_literal("al\r\nice"), value::make_literal("pw", true)});
  std::string wire;
  serialize(c, wire);
  EXPECT_EQ(wire, "a LOGIN {7}\r\nal\r\nice {2+}\r\npw\r\n");
  test::expect_command_round_trip(c, imap_limits::commands());
}

TEST(imap_command, continuation_lines) {
  std::string wire;
  serialize(client_continuation{continuation_kind::sasl_response, "AGE="}, wire);
  serialize(client_continuation{continuation_kind::sasl_cancel, ""}, wire);
  serialize(client_continuation{continuation_kind::done, ""}, wire);
  EXPECT_EQ(wire, "AGE=\r\n*\r\nDONE\r\n");
}

TEST(imap_command, base64_check) {
  EXPECT_EQ(find_invalid_base64(""), std::string_view::npos);
  EXPECT_EQ(find_invalid_base64("QQ=="), std::string_view::npos);
  EXPECT_EQ(find_invalid_base64("QUI="), std::string_view::npos);
  EXPECT_EQ(find_invalid_base64("QUJD+/90"), std::string_view::npos);
  EXPECT_EQ(find_invalid_base64("QUJ"), 3u);
  EXPECT_EQ(find_invalid_base64("Q==="), 1u);
  EXPECT_EQ(find_invalid_base64("QQ=A"), 3u);
  EXPECT_EQ(find_invalid_base64("QQ==QQ=="), 4u);
  EXPECT_EQ(find_invalid_base64("QUJD="), 4u);
  EXPECT_EQ(find_invalid_base64("QU-D"), 2u);
}

}  // namespace
}  // namespace mailtls::codec::imap
