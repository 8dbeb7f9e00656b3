#include "codec/pop3/errc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mailtls::codec::pop3 {
namespace {

TEST(errc, every_code_has_its_own_message) {
  std::set<std::string> seen;
  for (int i = static_cast<int>(pop3_errc::empty_line);
       i <= static_cast<int>(pop3_errc::too_many_lines); ++i) {
    const std::error_code ec = static_cast<pop3_errc>(i);
    EXPECT_STREQ(ec.category().name(), "mailtls.pop3");
    EXPECT_NE(ec.message(), "unknown pop3 error");
    EXPECT_TRUE(seen.insert(ec.message()).second) << ec.message();
  }
  EXPECT_EQ(seen.size(), 22u);
}

}  // namespace
}  // namespace mailtls::codec::pop3
