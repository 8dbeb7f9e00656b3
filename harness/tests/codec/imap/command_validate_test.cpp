#include "codec/imap/command_validate.hpp"

#include <gtest/gtest.h>

#include "imap_test_util.hpp"

namespace mailtls::codec::imap {
namespace {

using test::commands;
using test::strings;

TEST(imap_command_validate, date_time) {
  EXPECT_TRUE(is_valid_date_time("17-Jul-1996 02:44:25 -0700"));
  EXPECT_TRUE(is_valid_date_time(" 7-jul-1996 02:44:25 +0000"));
  EXPECT_FALSE(is_valid_date_time("7-Jul-1996 02:44:25 -0700"));
  EXPECT_FALSE(is_valid_date_time("17-Jux-1996 02:44:25 -0700"));
  EXPECT_FALSE(is_valid_date_time("17-Jul-1996 02:44:25 0700 "));
  EXPECT_FALSE(is_valid_date_time("17-Jul-1996T02:44:25 -0700"));
}

TEST(imap_command_validate, direct_call_reports_offsets) {
  const command c = command::make("a", "RENAME", {value::make_atom("x")});
  command_error err;
  EXPECT_FALSE(validate_command(c, {9}, 10, err));
  EXPECT_EQ(err.code, imap_errc::missing_argument);
  EXPECT_EQ(err.offset, 10u);
  const command ok = command::make("a", "FOO", {value::make_list()});
  EXPECT_TRUE(validate_command(ok, {6}, 8, err));
}

TEST(imap_command_validate, per_command_rules) {
  const auto t = commands(
      "a SELECT\r\nb SELECT x y\r\nc STATUS x ()\r\nd STATUS x (MESSAGES (a))\r\n"
      "e ENABLE \"x\"\r\nf ID (\"a\")\r\ng FETCH 1\r\nh STORE 1 FLAGS\r\ni COPY 1\r\n"
      "j MOVE x y\r\nk LIST x\r\nl APPEND x (\\*) {1+}\r\nz\r\nm AUTHENTICATE \"PLAIN\"\r\n"
      "n APPEND x CATENATE (TEXT {1+}\r\nz)\r\n");
  EXPECT_EQ(
      t, (strings{"error missing argument @8", "error invalid argument @21",
                  "error invalid argument @35", "error invalid argument @50",
                  "error invalid argument @75", "error invalid argument @85",
                  "error missing argument @101", "error missing argument @118",
                  "error missing argument @128", "error invalid sequence set @137",
                  "error missing argument @150", "error invalid flag @163",
                  "error invalid argument @192", "APPEND n APPEND x CATENATE (TEXT {1+}\\r\\nz)"}));
}

}  // namespace
}  // namespace mailtls::codec::imap
