#include "codec/imap/errc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mailtls::codec::imap {
namespace {

TEST(imap_errc, every_code_has_a_distinct_message) {
  std::set<std::string> seen;
  const int last = static_cast<int>(imap_errc::invalid_namespace_data);
  for (int i = 1; i <= last; ++i) {
    const std::error_code ec = static_cast<imap_errc>(i);
    EXPECT_STREQ(ec.category().name(), "mailtls.imap");
    EXPECT_NE(ec.message(), "unknown imap error") << i;
    EXPECT_TRUE(seen.insert(ec.message()).second) << ec.message();
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(last));
}

TEST(imap_errc, compares_with_the_enum) {
  const std::error_code ec = imap_errc::literal_too_large;
  EXPECT_EQ(ec, imap_errc::literal_too_large);
  EXPECT_NE(ec, imap_errc::invalid_literal);
}

}  // namespace
}  // namespace mailtls::codec::imap
