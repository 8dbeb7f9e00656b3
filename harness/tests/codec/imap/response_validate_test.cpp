#include "codec/imap/response_validate.hpp"

#include <gtest/gtest.h>

#include "imap_test_util.hpp"

namespace mailtls::codec::imap {
namespace {

using test::responses;
using test::strings;

TEST(imap_response_validate, structured_codes) {
  EXPECT_TRUE(is_structured_code("uidnext"));
  EXPECT_TRUE(is_structured_code("PERMANENTFLAGS"));
  EXPECT_FALSE(is_structured_code("REFERRAL"));
  EXPECT_FALSE(is_structured_code("ALERT"));
}

TEST(imap_response_validate, direct_call) {
  response r = response::make_message_data(0, "EXPUNGE");
  response_error err;
  EXPECT_FALSE(validate_response_data(r, {}, 2, err));
  EXPECT_EQ(err.code, imap_errc::invalid_message_number);
  EXPECT_EQ(err.offset, 2u);
  r = response::make_message_data(0, "EXISTS");
  EXPECT_TRUE(validate_response_data(r, {}, 2, err));
}

TEST(imap_response_validate, list_and_search_variants) {
  const auto t = responses(
      "* LIST (\\Noselect) NIL \"\"\r\n* LIST (\\HasChildren) \".\" foo (\"CHILDINFO\" "
      "(\"SUBSCRIBED\"))\r\n"
      "* LIST (x) \"/\" a\r\n* LIST () \"\" a\r\n* LIST () \"/\" a b c\r\n* SEARCH 1 2 (MODSEQ "
      "917162500)\r\n"
      "* SEARCH 0\r\n* STATUS x (MESSAGES 1 UNSEEN)\r\n* ENABLED \\x\r\n* FLAGS (\\*)\r\n");
  EXPECT_EQ(t,
            (strings{"data:LIST * LIST (\\Noselect) NIL \"\"",
                     "data:LIST * LIST (\\HasChildren) \".\" foo (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                     "error invalid LIST data @94", "error invalid LIST data @115",
                     "error invalid LIST data @139", "data:SEARCH * SEARCH 1 2 (MODSEQ 917162500)",
                     "error invalid SEARCH data @184", "error invalid STATUS data @198",
                     "error invalid CAPABILITY data @229", "error invalid FLAGS data @241"}));
}

}  // namespace
}  // namespace mailtls::codec::imap
