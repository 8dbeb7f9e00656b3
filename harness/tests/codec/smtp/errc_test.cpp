#include "codec/smtp/errc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mailtls::codec::smtp {
namespace {

TEST(smtp_errc, category_and_distinct_messages) {
  const std::error_code ec = smtp_errc::bad_path;
  EXPECT_STREQ(ec.category().name(), "mailtls.smtp");
  EXPECT_EQ(ec.message(), "bad path");
  std::set<std::string> seen;
  const int first = static_cast<int>(smtp_errc::empty_line);
  const int last = static_cast<int>(smtp_errc::not_ehlo_reply);
  for (int v = first; v <= last; ++v) {
    const std::string m = std::error_code(static_cast<smtp_errc>(v)).message();
    EXPECT_NE(m, "unknown smtp error") << v;
    EXPECT_TRUE(seen.insert(m).second) << "duplicate message " << m;
  }
  EXPECT_EQ(seen.size(), 28u);
}

}  // namespace
}  // namespace mailtls::codec::smtp
