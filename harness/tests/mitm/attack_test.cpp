#include "mitm/attack.hpp"

#include <gtest/gtest.h>

#include "mitm/errc.hpp"
#include "mitm/proxy_session.hpp"

namespace mailtls::mitm {
namespace {

TEST(Attack, NamesRoundTrip) {
  ASSERT_EQ(all_attacks().size(), 6u);
  for (const attack a : all_attacks()) {
    EXPECT_EQ(attack_from_name(to_name(a)), a) << to_name(a);
  }
  EXPECT_EQ(to_name(attack::strip_starttls), "strip-starttls");
  EXPECT_EQ(to_name(attack::reject_starttls), "reject-starttls");
  EXPECT_EQ(to_name(attack::inject_response), "inject-response");
  EXPECT_EQ(attack_from_name("tamper"), attack::tamper);
  EXPECT_EQ(attack_from_name("Tamper"), std::nullopt);
  EXPECT_EQ(attack_from_name("strip_starttls"), std::nullopt);
  EXPECT_EQ(attack_from_name(""), std::nullopt);
}

TEST(Attack, ImplicitTlsTakesOnlyNoneAndDowngrade) {
  EXPECT_TRUE(applies_to_implicit_tls(attack::none));
  EXPECT_TRUE(applies_to_implicit_tls(attack::downgrade));
  EXPECT_FALSE(applies_to_implicit_tls(attack::strip_starttls));
  EXPECT_FALSE(applies_to_implicit_tls(attack::tamper));
  proxy_config cfg;
  cfg.implicit_tls = true;
  cfg.atk = attack::reject_starttls;
  const std::error_code ec = check_config(cfg);
  EXPECT_EQ(ec, make_error_code(mitm_errc::attack_needs_starttls));
  EXPECT_STREQ(ec.category().name(), "mailtls.mitm");
  cfg.atk = attack::downgrade;
  EXPECT_FALSE(check_config(cfg));
  cfg.implicit_tls = false;
  cfg.atk = attack::tamper;
  EXPECT_FALSE(check_config(cfg));
}

}  // namespace
}  // namespace mailtls::mitm
