#include "codec/sasl/errc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mailtls::codec::sasl {
namespace {

TEST(sasl_errc, every_code_has_a_name_and_a_message) {
  std::set<std::string> names;
  std::set<std::string> messages;
  const int last = static_cast<int>(sasl_errc::premature_success);
  for (int v = 1; v <= last; ++v) {
    const auto e = static_cast<sasl_errc>(v);
    const std::error_code ec = e;
    EXPECT_STRNE(to_name(e), "unknown") << v;
    EXPECT_NE(ec.message(), "unknown SASL error") << v;
    EXPECT_EQ(error_name(ec), to_name(e));
    names.insert(to_name(e));
    messages.insert(ec.message());
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(last));  // all distinct
  EXPECT_EQ(messages.size(), static_cast<std::size_t>(last));
}

TEST(sasl_errc, category_and_comparison) {
  const std::error_code ec = sasl_errc::cancelled;
  EXPECT_STREQ(ec.category().name(), "mailtls.sasl");
  EXPECT_EQ(ec, sasl_errc::cancelled);
  EXPECT_NE(ec, sasl_errc::bad_base64);
  EXPECT_EQ(ec.message(), "authentication cancelled by the client");
  EXPECT_EQ(error_name({}), "");
  EXPECT_EQ(error_name(std::make_error_code(std::errc::invalid_argument)), "Invalid argument");
}

}  // namespace
}  // namespace mailtls::codec::sasl
