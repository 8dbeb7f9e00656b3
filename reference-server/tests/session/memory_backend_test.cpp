#include "session/memory_backend.hpp"

#include <gtest/gtest.h>

#include "session/bugs.hpp"

namespace mailtls::server {
namespace {

TEST(memory_backend, accounts_domains_and_authentication) {
  memory_backend b;
  b.add_domain("Example.ORG");
  b.add_user("alice@example.org", "s3cret");
  EXPECT_TRUE(b.is_local_domain("example.org"));
  EXPECT_TRUE(b.is_local_domain("EXAMPLE.org"));
  EXPECT_FALSE(b.is_local_domain("example.net"));
  EXPECT_TRUE(b.has_user("alice@EXAMPLE.org"));
  EXPECT_FALSE(b.has_user("ALICE@example.org"));  // local parts are case-sensitive
  EXPECT_EQ(b.authenticate("alice@example.org", "s3cret"), "alice@example.org");
  EXPECT_EQ(b.authenticate("alice@example.org", "wrong"), std::nullopt);
  EXPECT_EQ(b.authenticate("bob@example.org", "s3cret"), std::nullopt);
  EXPECT_EQ(b.authentications(), 3u);
}

TEST(memory_backend, delivers_locally_and_spools_the_rest) {
  memory_backend b;
  b.add_domain("example.org");
  b.add_user("alice@example.org", "pw");
  envelope env;
  env.mail_from = "x@example.net";
  env.rcpt_to = {"alice@example.org", "carol@elsewhere.test"};
  ASSERT_FALSE(b.deliver(env, "Subject: hi\r\n\r\nbody\r\n"));
  ASSERT_EQ(b.deliveries().size(), 1u);
  ASSERT_EQ(b.spooled().size(), 1u);
  auto box = b.open_mailbox("alice@example.org", "INBOX");
  ASSERT_NE(box, nullptr);
  ASSERT_EQ(box->messages().size(), 1u);
  EXPECT_EQ(box->messages()[0].uid, 1u);
  std::string content;
  ASSERT_FALSE(box->read(0, content));
  EXPECT_EQ(content, "Subject: hi\r\n\r\nbody\r\n");

  b.fail_deliveries(std::make_error_code(std::errc::no_space_on_device));
  EXPECT_EQ(b.deliver(env, "x"), std::make_error_code(std::errc::no_space_on_device));
}

TEST(memory_backend, flags_expunge_and_refresh) {
  memory_backend b;
  b.add_user("u@d.test", "pw");
  for (int i = 0; i < 4; ++i)
    b.add_message("u@d.test", "m" + std::to_string(i) + "\r\n");
  auto box = b.open_mailbox("u@d.test", "INBOX");
  ASSERT_EQ(box->messages().size(), 4u);
  ASSERT_FALSE(box->set_flags(1, flag_deleted));
  ASSERT_FALSE(box->set_flags(3, flag_deleted | flag_seen));
  std::vector<std::uint32_t> gone;
  ASSERT_FALSE(box->expunge(gone));
  EXPECT_EQ(gone, (std::vector<std::uint32_t>{4, 2}));
  ASSERT_EQ(box->messages().size(), 2u);
  EXPECT_EQ(box->messages()[1].uid, 3u);
  std::string none;
  EXPECT_EQ(box->read(5, none), std::make_error_code(std::errc::invalid_argument));

  auto other = b.open_mailbox("u@d.test", "INBOX");
  b.add_message("u@d.test", "new\r\n");
  EXPECT_EQ(other->messages().size(), 2u);
  other->refresh();
  EXPECT_EQ(other->messages().size(), 3u);
  EXPECT_EQ(b.open_mailbox("u@d.test", "Nope"), nullptr);
}

TEST(bugs, every_mode_has_a_unique_name_that_parses_back) {
  ASSERT_EQ(all_bugs().size(), 17u);
  for (const auto& b : all_bugs()) {
    EXPECT_EQ(parse_bug(b.name), b.id) << b.name;
    EXPECT_EQ(to_string(b.id), b.name);
    EXPECT_FALSE(b.description.empty());
  }
  EXPECT_EQ(parse_bug("no-such-bug"), std::nullopt);
  bug_set s;
  EXPECT_TRUE(s.empty());
  s.add(bug::imap_preauth);
  EXPECT_TRUE(s.has(bug::imap_preauth));
  EXPECT_FALSE(s.has(bug::tls10_accepted));
}

}  // namespace
}  // namespace mailtls::server
