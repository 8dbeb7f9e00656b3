#include "store/maildir_backend.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "store/errc.hpp"
#include "store/maildir_mailbox.hpp"
#include "store/spool.hpp"
#include "temp_dir.hpp"

namespace mailtls::server::store {
namespace {

// `openssl passwd -6 -salt abc pw`
const std::string sha512_pw =
    "{SHA512-CRYPT}$6$abc$MtSdWSZbhct2oe.SOqOUM2M/GA/uj5.vyVtJgRHgKi9uqXuWuJqOYE7H/YlsYGVg/"
    "YYzDV0xt3fEIwYt580.5.";

const std::string message = "From: x@example.net\r\nSubject: hi\r\n\r\nbody\r\n.line\r\n";

class maildir_backend_test : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_text(dir_ / "accounts.cf", "# test accounts\nalice@example.org|" + sha512_pw +
                                               "\nbob@Example.ORG|" + sha512_pw + "\n");
    backend_ = open_backend();
    ASSERT_NE(backend_, nullptr);
  }

  std::unique_ptr<maildir_backend> open_backend() {
    maildir_backend_config c;
    c.state_dir = dir_ / "state";
    c.accounts_file = dir_ / "accounts.cf";
    c.extra_domains = {"Lists.Example.COM"};
    c.host_name = "mx.test";
    std::error_code ec;
    std::string msg;
    auto b = maildir_backend::open(c, ec, msg);
    EXPECT_EQ(ec, std::error_code{}) << msg;
    return b;
  }

  std::string inbox(const std::string& user) const { return dir_ / "state/mail/" + user; }

  static envelope env_to(std::vector<std::string> rcpts) {
    envelope e;
    e.helo = "client.test";
    e.mail_from = "x@example.net";
    e.rcpt_to = std::move(rcpts);
    e.peer_address = "192.0.2.1";
    return e;
  }

  test::temp_dir dir_;
  std::unique_ptr<maildir_backend> backend_;
};

TEST_F(maildir_backend_test, domains_users_and_authentication) {
  EXPECT_TRUE(backend_->is_local_domain("example.org"));
  EXPECT_TRUE(backend_->is_local_domain("EXAMPLE.org"));
  EXPECT_TRUE(backend_->is_local_domain("lists.example.com"));
  EXPECT_FALSE(backend_->is_local_domain("example.net"));
  EXPECT_TRUE(backend_->has_user("bob@example.org"));
  EXPECT_TRUE(backend_->has_user("alice@EXAMPLE.ORG"));
  EXPECT_FALSE(backend_->has_user("Alice@example.org"));
  EXPECT_EQ(backend_->authenticate("alice@Example.org", "pw"), "alice@example.org");
  EXPECT_EQ(backend_->authenticate("alice@example.org", "PW"), std::nullopt);
  EXPECT_EQ(backend_->authenticate("nobody@example.org", "pw"), std::nullopt);
  EXPECT_EQ(backend_->user_directory("bob@EXAMPLE.org"), dir_ / "state/mail/example.org/bob");
}

TEST_F(maildir_backend_test, open_reports_accounts_errors_with_line) {
  test::write_text(dir_ / "bad.cf", "ok@example.org|" + sha512_pw + "\nbad@example.org|{PLAIN}x\n");
  maildir_backend_config c;
  c.state_dir = dir_ / "state2";
  c.accounts_file = dir_ / "bad.cf";
  std::error_code ec;
  std::string msg;
  EXPECT_EQ(maildir_backend::open(c, ec, msg), nullptr);
  EXPECT_EQ(ec, store_errc::unsupported_scheme);
  EXPECT_EQ(msg, dir_ / "bad.cf" +
                     ":2: unsupported password scheme (use SHA512-CRYPT, SHA256-CRYPT or "
                     "BLF-CRYPT)");
  c.accounts_file = dir_ / "missing.cf";
  EXPECT_EQ(maildir_backend::open(c, ec, msg), nullptr);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
}

TEST_F(maildir_backend_test, add_user_then_reload_then_authenticate) {
  std::string msg;
  ASSERT_EQ(add_user(dir_ / "accounts.cf", "carol@example.net", "n3w", msg), std::error_code{});
  EXPECT_FALSE(backend_->has_user("carol@example.net"));
  ASSERT_EQ(backend_->reload_accounts(msg), std::error_code{}) << msg;
  EXPECT_TRUE(backend_->is_local_domain("example.net"));
  EXPECT_EQ(backend_->authenticate("carol@example.net", "n3w"), "carol@example.net");
  EXPECT_EQ(backend_->authenticate("alice@example.org", "pw"), "alice@example.org");
  // A broken file keeps the old table.
  test::write_text(dir_ / "accounts.cf", "garbage\n");
  EXPECT_EQ(backend_->reload_accounts(msg), store_errc::missing_separator);
  EXPECT_EQ(msg, dir_ / "accounts.cf" + ":1: expected address|{SCHEME}hash");
  EXPECT_TRUE(backend_->has_user("carol@example.net"));
}

TEST_F(maildir_backend_test, delivery_writes_one_file_per_recipient_exactly) {
  ASSERT_EQ(backend_->deliver(env_to({"alice@example.org", "bob@EXAMPLE.org", "alice@Example.org"}),
                              message),
            std::error_code{});
  for (const char* user : {"example.org/alice", "example.org/bob"}) {
    const auto new_files = test::entries(inbox(user) + "/new");
    ASSERT_EQ(new_files.size(), 1u) << user;  // the duplicate recipient got no second copy
    EXPECT_EQ(test::slurp(inbox(user) + "/new/" + new_files[0]), message);
    EXPECT_TRUE(test::entries(inbox(user) + "/tmp").empty()) << user;
    EXPECT_TRUE(test::entries(inbox(user) + "/cur").empty()) << user;
    struct stat st {};
    ASSERT_EQ(::stat((inbox(user) + "/new/" + new_files[0]).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  EXPECT_TRUE(test::entries(dir_ / "state/spool/outbound").empty());
}

TEST_F(maildir_backend_test, remote_recipients_go_to_the_spool_once) {
  auto env = env_to({"carol@example.net", "alice@example.org", "dave@example.com"});
  env.tls = true;
  env.authenticated_user = "alice@example.org";
  ASSERT_EQ(backend_->deliver(env, message), std::error_code{});
  const auto spooled = test::entries(dir_ / "state/spool/outbound");
  ASSERT_EQ(spooled.size(), 1u);
  EXPECT_TRUE(test::entries(dir_ / "state/spool/tmp").empty());
  envelope got;
  std::string body;
  ASSERT_EQ(parse_spool_file(test::slurp(dir_ / "state/spool/outbound/" + spooled[0]), got, body),
            std::error_code{});
  auto expected = env;
  expected.rcpt_to = {"carol@example.net", "dave@example.com"};
  EXPECT_EQ(got, expected);
  EXPECT_EQ(body, message);
  EXPECT_EQ(test::entries(inbox("example.org/alice") + "/new").size(), 1u);
}

TEST_F(maildir_backend_test, unknown_local_recipient_writes_nothing) {
  EXPECT_EQ(backend_->deliver(env_to({"alice@example.org", "nobody@example.org"}), message),
            store_errc::no_such_user);
  EXPECT_EQ(backend_->deliver(env_to({"x@lists.example.com"}), message), store_errc::no_such_user);
  EXPECT_EQ(backend_->deliver(env_to({"postmaster"}), message), store_errc::no_such_user);
  EXPECT_TRUE(test::entries(inbox("example.org/alice") + "/new").empty());
  EXPECT_TRUE(test::entries(dir_ / "state/spool/outbound").empty());
}

TEST_F(maildir_backend_test, failed_delivery_leaves_nothing_behind) {
  // bob's new/ is a dangling symlink: linking into it fails after alice's copy was written
  // (and, with bob first, the final rename fails after alice got her hard link).
  ASSERT_EQ(backend_->deliver(env_to({"bob@example.org"}), message), std::error_code{});
  std::filesystem::remove_all(inbox("example.org/bob") + "/new");
  std::filesystem::create_symlink(dir_ / "nowhere", inbox("example.org/bob") + "/new");
  const auto ec = backend_->deliver(env_to({"alice@example.org", "bob@example.org"}), message);
  EXPECT_EQ(ec, std::errc::no_such_file_or_directory);
  EXPECT_TRUE(test::entries(inbox("example.org/alice") + "/new").empty());
  EXPECT_TRUE(test::entries(inbox("example.org/alice") + "/tmp").empty());
  EXPECT_EQ(backend_->deliver(env_to({"bob@example.org", "alice@example.org"}), message), ec);
  EXPECT_TRUE(test::entries(inbox("example.org/alice") + "/new").empty());
  EXPECT_TRUE(test::entries(inbox("example.org/bob") + "/tmp").empty());
}

TEST_F(maildir_backend_test, delivered_mail_is_visible_in_the_inbox) {
  ASSERT_EQ(backend_->deliver(env_to({"alice@example.org"}), message), std::error_code{});
  auto box = backend_->open_mailbox("alice@example.org", "inbox");
  ASSERT_NE(box, nullptr);
  ASSERT_EQ(box->messages().size(), 1u);
  const auto& m = box->messages()[0];
  EXPECT_EQ(m.uid, 1u);
  EXPECT_EQ(m.size, message.size());
  EXPECT_EQ(m.flags, 0);
  EXPECT_TRUE(m.unique_id.ends_with(".mx.test")) << m.unique_id;
  EXPECT_LE(std::abs(m.internal_date - backend_->now()), 5);
  std::string content;
  ASSERT_EQ(box->read(0, content), std::error_code{});
  EXPECT_EQ(content, message);
  // Opened read-write: the file moved from new/ to cur/ with an empty info.
  EXPECT_TRUE(test::entries(inbox("example.org/alice") + "/new").empty());
  EXPECT_EQ(test::entries(inbox("example.org/alice") + "/cur"),
            (std::vector<std::string>{m.unique_id + ":2,"}));
}

TEST_F(maildir_backend_test, mailboxes_listing_and_creation) {
  EXPECT_EQ(backend_->list_mailboxes("alice@example.org"), (std::vector<std::string>{"INBOX"}));
  EXPECT_TRUE(backend_->list_mailboxes("nobody@example.org").empty());
  EXPECT_EQ(backend_->open_mailbox("alice@example.org", "Sent"), nullptr);
  EXPECT_EQ(backend_->open_mailbox("nobody@example.org", "INBOX"), nullptr);
  ASSERT_EQ(backend_->create_mailbox("alice@example.org", "Sent"), std::error_code{});
  ASSERT_EQ(backend_->create_mailbox("alice@example.org", "Archive/2024.q1"), std::error_code{});
  EXPECT_EQ(backend_->create_mailbox("alice@example.org", "a//b"), store_errc::bad_mailbox_name);
  EXPECT_EQ(backend_->create_mailbox("nobody@example.org", "x"), store_errc::no_such_user);
  EXPECT_EQ(backend_->list_mailboxes("alice@example.org"),
            (std::vector<std::string>{"INBOX", "Archive/2024.q1", "Sent"}));
  EXPECT_TRUE(maildir_folder(inbox("example.org/alice") + "/.Archive.2024%2Eq1").exists());
  auto sent = backend_->open_mailbox("alice@example.org", "Sent");
  ASSERT_NE(sent, nullptr);
  EXPECT_TRUE(sent->messages().empty());
  ASSERT_EQ(sent->append("Subject: s\r\n\r\nx\r\n", flag_seen, 1'600'000'000), std::error_code{});
  sent->refresh();
  ASSERT_EQ(sent->messages().size(), 1u);
  EXPECT_EQ(sent->messages()[0].flags, flag_seen);
  EXPECT_EQ(sent->messages()[0].internal_date, 1'600'000'000);
  // A stray directory that is no Maildir++ folder is not listed.
  std::filesystem::create_directories(inbox("example.org/alice") + "/.Junk");
  std::filesystem::create_directories(inbox("example.org/alice") + "/..bad/cur");
  EXPECT_EQ(backend_->list_mailboxes("alice@example.org").size(), 3u);
}

TEST_F(maildir_backend_test, uids_persist_across_backend_instances) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(backend_->deliver(env_to({"alice@example.org"}), "m" + std::to_string(i) + "\r\n"),
              std::error_code{});
  }
  std::vector<message_entry> first;
  std::uint32_t validity = 0;
  {
    auto box = backend_->open_mailbox("alice@example.org", "INBOX");
    ASSERT_NE(box, nullptr);
    first = box->messages();
    validity = box->uid_validity();
    ASSERT_EQ(first.size(), 3u);
    EXPECT_EQ(first[0].uid, 1u);
    EXPECT_EQ(first[2].uid, 3u);
    EXPECT_EQ(box->uid_next(), 4u);
    ASSERT_EQ(box->set_flags(1, flag_deleted), std::error_code{});
    std::vector<std::uint32_t> gone;
    ASSERT_EQ(box->expunge(gone), std::error_code{});
    EXPECT_EQ(gone, (std::vector<std::uint32_t>{2}));
  }
  backend_.reset();
  auto again = open_backend();
  ASSERT_EQ(again->deliver(env_to({"alice@example.org"}), "m3\r\n"), std::error_code{});
  auto box = again->open_mailbox("alice@example.org", "INBOX");
  ASSERT_NE(box, nullptr);
  EXPECT_EQ(box->uid_validity(), validity);
  ASSERT_EQ(box->messages().size(), 3u);
  EXPECT_EQ(box->messages()[0], first[0]);
  EXPECT_EQ(box->messages()[1], first[2]);
  EXPECT_EQ(box->messages()[2].uid, 4u);  // never reuses 2 or 3
  EXPECT_EQ(box->uid_next(), 5u);
  const auto list = test::slurp(inbox("example.org/alice") + "/mailtls-uidlist");
  EXPECT_EQ(list, std::to_string(validity) + " 5\n1 " + first[0].unique_id + "\n3 " +
                      first[2].unique_id + "\n4 " + box->messages()[2].unique_id + "\n");
}

TEST_F(maildir_backend_test, concurrent_deliveries_from_threads) {
  constexpr int threads = 4;
  constexpr int per_thread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        const auto body = "t" + std::to_string(t) + " m" + std::to_string(i) + "\r\n";
        if (backend_->deliver(env_to({"alice@example.org", "bob@example.org"}), body)) ++failures;
        if (i % 5 == 0) {
          // Readers sync the UID list while deliveries go on.
          auto box = backend_->open_mailbox("alice@example.org", "INBOX");
          if (box == nullptr) ++failures;
        }
      }
    });
  }
  for (auto& t : pool)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  for (const char* user : {"alice@example.org", "bob@example.org"}) {
    auto box = backend_->open_mailbox(user, "INBOX");
    ASSERT_NE(box, nullptr);
    const auto& msgs = box->messages();
    ASSERT_EQ(msgs.size(), static_cast<std::size_t>(threads * per_thread)) << user;
    for (std::size_t i = 0; i < msgs.size(); ++i)
      EXPECT_EQ(msgs[i].uid, i + 1) << user;
    EXPECT_TRUE(test::entries(inbox(std::string("example.org/") +
                                    std::string(user).substr(0, std::string(user).find('@'))) +
                              "/tmp")
                    .empty());
  }
}

}  // namespace
}  // namespace mailtls::server::store
