#include "session/action.hpp"

#include <gtest/gtest.h>

namespace mailtls::session {
namespace {

TEST(action, prints_one_line_per_action_with_escaped_bytes) {
  const actions list{send{"220 mx ESMTP\r\n"},        start_tls{}, read{300000}, pause{2000},
                     log{log_level::warn, "bad\x01"}, close{}};
  EXPECT_EQ(to_string(list),
            "send \"220 mx ESMTP\\r\\n\"\n"
            "start_tls\n"
            "read 300000ms\n"
            "pause 2000ms\n"
            "log warn \"bad\\x01\"\n"
            "close");
}

TEST(action, escapes_quotes_backslashes_and_del) {
  EXPECT_EQ(to_string(action{send{"a\"b\\c\x7f\t"}}), "send \"a\\\"b\\\\c\\x7F\\t\"");
}

TEST(action, compares_by_value) {
  EXPECT_EQ(action{read{5}}, action{read{5}});
  EXPECT_NE(action{read{5}}, action{read{6}});
  EXPECT_NE(action{send{"x"}}, (action{log{log_level::info, "x"}}));
}

}  // namespace
}  // namespace mailtls::session
