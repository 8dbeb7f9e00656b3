#include "store/maildir_mailbox.hpp"

#include <gtest/gtest.h>

#include "store/errc.hpp"
#include "store/maildir_folder.hpp"
#include "store/maildir_names.hpp"
#include "store/uidlist.hpp"
#include "temp_dir.hpp"

namespace mailtls::server::store {
namespace {

class maildir_mailbox_test : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(folder_.create(), std::error_code{}); }

  std::unique_ptr<maildir_mailbox> open(bool read_write = true) {
    maildir_mailbox_options o;
    o.host = "mx.test";
    o.read_write = read_write;
    std::unique_ptr<maildir_mailbox> box;
    EXPECT_EQ(maildir_mailbox::open(folder_, o, box), std::error_code{});
    return box;
  }
  void deliver(const std::string& body) {
    ASSERT_EQ(deliver_to_folders({&folder_}, body, "mx.test"), std::error_code{});
  }
  std::vector<std::string> cur() const { return test::entries(dir_ / "Maildir/cur"); }
  std::vector<std::string> new_() const { return test::entries(dir_ / "Maildir/new"); }

  test::temp_dir dir_;
  maildir_folder folder_{dir_ / "Maildir"};
};

TEST_F(maildir_mailbox_test, missing_folder_is_no_such_mailbox) {
  std::unique_ptr<maildir_mailbox> box;
  EXPECT_EQ(maildir_mailbox::open(maildir_folder(dir_ / "nope"), {}, box),
            store_errc::no_such_mailbox);
  EXPECT_EQ(box, nullptr);
}

TEST_F(maildir_mailbox_test, crash_safety_after_delivery_returns) {
  // Property: whenever deliver returns success, the complete message is in new/ under its final
  // name and tmp/ is empty (nothing is left for a crash to lose or to half-show).
  for (int i = 0; i < 20; ++i) {
    const std::string body =
        "Subject: " + std::to_string(i) + "\r\n\r\n" + std::string(i * 100, 'x') + "\r\n";
    deliver(body);
    EXPECT_TRUE(test::entries(dir_ / "Maildir/tmp").empty());
    const auto files = new_();
    ASSERT_EQ(files.size(), static_cast<std::size_t>(i + 1));
    bool found = false;
    for (const auto& f : files)
      found = found || test::slurp(dir_ / "Maildir/new/" + f) == body;
    EXPECT_TRUE(found) << i;
  }
}

TEST_F(maildir_mailbox_test, flags_round_trip_through_file_names) {
  deliver("a\r\n");
  deliver("b\r\n");
  auto box = open();
  ASSERT_EQ(box->messages().size(), 2u);
  const auto base0 = box->messages()[0].unique_id;
  const auto base1 = box->messages()[1].unique_id;
  ASSERT_EQ(box->set_flags(0, flag_seen | flag_flagged), std::error_code{});
  ASSERT_EQ(box->set_flags(1, flag_draft | flag_deleted | flag_answered), std::error_code{});
  EXPECT_EQ(box->messages()[0].flags, flag_seen | flag_flagged);
  auto expected = std::vector<std::string>{base0 + ":2,FS", base1 + ":2,DRT"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(cur(), expected);
  // A second view reads the flags back from the names.
  auto other = open();
  EXPECT_EQ(other->messages(), box->messages());
  ASSERT_EQ(box->set_flags(0, 0), std::error_code{});
  EXPECT_EQ(box->file_of(0), "cur/" + base0 + ":2,");
  std::string content;
  ASSERT_EQ(box->read(0, content), std::error_code{});
  EXPECT_EQ(content, "a\r\n");
  // The other view had the old name: read() and set_flags() find the renamed file.
  ASSERT_EQ(other->read(0, content), std::error_code{});
  EXPECT_EQ(content, "a\r\n");
  ASSERT_EQ(other->set_flags(0, flag_seen), std::error_code{});
  EXPECT_EQ(other->file_of(0), "cur/" + base0 + ":2,S");
  EXPECT_EQ(box->set_flags(2, flag_seen), store_errc::bad_index);
  EXPECT_EQ(box->read(2, content), store_errc::bad_index);
}

TEST_F(maildir_mailbox_test, unknown_info_letters_are_kept) {
  deliver("a\r\n");
  auto box = open();
  const auto base = box->messages()[0].unique_id;
  std::filesystem::rename(dir_ / "Maildir/cur/" + base + ":2,",
                          dir_ / "Maildir/cur/" + base + ":2,PSa");
  box->refresh();
  EXPECT_EQ(box->messages()[0].flags, flag_seen);
  ASSERT_EQ(box->set_flags(0, flag_flagged), std::error_code{});
  EXPECT_EQ(cur(), (std::vector<std::string>{base + ":2,FPa"}));
}

TEST_F(maildir_mailbox_test, expunge_unlinks_and_reports_descending) {
  for (int i = 0; i < 5; ++i)
    deliver("m" + std::to_string(i) + "\r\n");
  auto box = open();
  ASSERT_EQ(box->set_flags(1, flag_deleted), std::error_code{});
  ASSERT_EQ(box->set_flags(3, flag_deleted | flag_seen), std::error_code{});
  std::vector<std::uint32_t> gone;
  ASSERT_EQ(box->expunge(gone), std::error_code{});
  EXPECT_EQ(gone, (std::vector<std::uint32_t>{4, 2}));
  ASSERT_EQ(box->messages().size(), 3u);
  EXPECT_EQ(box->messages()[0].uid, 1u);
  EXPECT_EQ(box->messages()[1].uid, 3u);
  EXPECT_EQ(box->messages()[2].uid, 5u);
  EXPECT_EQ(cur().size(), 3u);
  std::string content;
  ASSERT_EQ(box->read(1, content), std::error_code{});
  EXPECT_EQ(content, "m2\r\n");
  ASSERT_EQ(box->expunge(gone), std::error_code{});
  EXPECT_TRUE(gone.empty());
  box->refresh();
  EXPECT_EQ(box->messages().size(), 3u);
  EXPECT_EQ(box->uid_next(), 6u);
}

TEST_F(maildir_mailbox_test, append_is_durable_with_flags_and_date) {
  deliver("first\r\n");
  auto box = open();
  const std::string msg = "Subject: appended\r\n\r\nhello\r\n";
  ASSERT_EQ(box->append(msg, flag_seen | flag_draft, 1'234'567'890), std::error_code{});
  EXPECT_TRUE(test::entries(dir_ / "Maildir/tmp").empty());
  EXPECT_EQ(box->messages().size(), 1u);  // the view changes on refresh()
  EXPECT_EQ(box->uid_next(), 3u);         // but the UID is already taken
  box->refresh();
  ASSERT_EQ(box->messages().size(), 2u);
  const auto& m = box->messages()[1];
  EXPECT_EQ(m.uid, 2u);
  EXPECT_EQ(m.flags, flag_seen | flag_draft);
  EXPECT_EQ(m.internal_date, 1'234'567'890);
  EXPECT_EQ(m.size, msg.size());
  std::string content;
  ASSERT_EQ(box->read(1, content), std::error_code{});
  EXPECT_EQ(content, msg);
  EXPECT_EQ(box->file_of(1), "cur/" + m.unique_id + ":2,DS");
}

TEST_F(maildir_mailbox_test, refresh_picks_up_new_deliveries) {
  deliver("one\r\n");
  auto box = open();
  ASSERT_EQ(box->messages().size(), 1u);
  deliver("two\r\n");
  deliver("three\r\n");
  EXPECT_EQ(box->messages().size(), 1u);
  box->refresh();
  ASSERT_EQ(box->messages().size(), 3u);
  EXPECT_EQ(box->messages()[1].uid, 2u);
  EXPECT_EQ(box->messages()[2].uid, 3u);
  EXPECT_EQ(box->uid_next(), 4u);
  EXPECT_TRUE(new_().empty());
  EXPECT_EQ(cur().size(), 3u);
}

TEST_F(maildir_mailbox_test, read_only_view_leaves_new_alone) {
  deliver("one\r\n");
  auto box = open(false);
  ASSERT_EQ(box->messages().size(), 1u);
  EXPECT_EQ(new_().size(), 1u);
  EXPECT_TRUE(box->file_of(0).starts_with("new/"));
  std::string content;
  ASSERT_EQ(box->read(0, content), std::error_code{});
  EXPECT_EQ(content, "one\r\n");
  // Flagging moves the message to cur/ with its info.
  ASSERT_EQ(box->set_flags(0, flag_seen), std::error_code{});
  EXPECT_TRUE(new_().empty());
  EXPECT_EQ(cur(), (std::vector<std::string>{box->messages()[0].unique_id + ":2,S"}));
}

TEST_F(maildir_mailbox_test, expunged_elsewhere_is_message_gone) {
  deliver("one\r\n");
  auto a = open();
  auto b = open();
  ASSERT_EQ(a->set_flags(0, flag_deleted), std::error_code{});
  std::vector<std::uint32_t> gone;
  ASSERT_EQ(a->expunge(gone), std::error_code{});
  std::string content;
  EXPECT_EQ(b->read(0, content), store_errc::message_gone);
  EXPECT_EQ(b->set_flags(0, flag_seen), store_errc::message_gone);
  b->refresh();
  EXPECT_TRUE(b->messages().empty());
}

TEST_F(maildir_mailbox_test, foreign_file_names) {
  // Files put there by another MDA: a Dovecot-style name, one too long for a UIDL, and junk that
  // must be ignored (dot files, directories).
  test::write_text(dir_ / "Maildir/cur/1700000000.M1P2.host,S=5,W=5:2,S", "abc\r\n");
  test::write_text(dir_ / "Maildir/new/" + std::string(80, 'L'), "long\r\n");
  test::write_text(dir_ / "Maildir/new/.hidden", "x");
  std::filesystem::create_directories(dir_ / "Maildir/cur/subdir");
  auto box = open(false);
  ASSERT_EQ(box->messages().size(), 2u);
  std::vector<std::string> ids;
  for (const auto& m : box->messages())
    ids.push_back(m.unique_id);
  std::sort(ids.begin(), ids.end());
  const auto fallback = std::to_string(box->uid_validity()) + ".";
  EXPECT_EQ(ids[0], "1700000000.M1P2.host,S=5,W=5");
  EXPECT_TRUE(ids[1].starts_with(fallback)) << ids[1];
  for (const auto& id : ids)
    EXPECT_TRUE(valid_pop3_unique_id(id)) << id;
}

TEST_F(maildir_mailbox_test, info_in_new_is_kept_when_moved_to_cur) {
  test::write_text(dir_ / "Maildir/new/123.M0P1Q1R0.h:2,FS", "x\r\n");
  auto box = open();
  ASSERT_EQ(box->messages().size(), 1u);
  EXPECT_EQ(box->messages()[0].flags, flag_flagged | flag_seen);
  EXPECT_EQ(box->messages()[0].unique_id, "123.M0P1Q1R0.h");
  EXPECT_EQ(cur(), (std::vector<std::string>{"123.M0P1Q1R0.h:2,FS"}));
  EXPECT_TRUE(new_().empty());
}

TEST_F(maildir_mailbox_test, corrupt_uidlist_gets_a_new_uidvalidity) {
  deliver("one\r\n");
  std::uint32_t validity = 0;
  {
    auto box = open();
    validity = box->uid_validity();
  }
  const auto list = dir_ / "Maildir/mailtls-uidlist";
  test::write_text(list, std::to_string(validity) + " 2\n1 a\n1 b\n");  // broken
  auto box = open();
  EXPECT_GT(box->uid_validity(), validity);
  ASSERT_EQ(box->messages().size(), 1u);
  EXPECT_EQ(box->messages()[0].uid, 1u);
  uidlist parsed;
  EXPECT_EQ(parse_uidlist(test::slurp(list), parsed), std::error_code{});
  EXPECT_EQ(parsed.uid_validity, box->uid_validity());
}

TEST_F(maildir_mailbox_test, uid_exhaustion_renumbers_under_new_validity) {
  deliver("one\r\n");
  deliver("two\r\n");
  { auto box = open(); }
  const auto list = dir_ / "Maildir/mailtls-uidlist";
  uidlist l;
  ASSERT_EQ(parse_uidlist(test::slurp(list), l), std::error_code{});
  l.entries.pop_back();  // message two looks new
  l.uid_next = 4294967295u;
  std::string text;
  serialize_uidlist(l, text);
  test::write_text(list, text);
  auto box = open();
  EXPECT_GT(box->uid_validity(), l.uid_validity);
  ASSERT_EQ(box->messages().size(), 2u);
  EXPECT_EQ(box->messages()[0].uid, 1u);
  EXPECT_EQ(box->messages()[1].uid, 2u);
  EXPECT_EQ(box->uid_next(), 3u);
}

TEST_F(maildir_mailbox_test, oversized_message_is_refused_on_read) {
  deliver(std::string(2000, 'x'));
  maildir_mailbox_options o;
  o.max_message_size = 1000;
  std::unique_ptr<maildir_mailbox> box;
  ASSERT_EQ(maildir_mailbox::open(folder_, o, box), std::error_code{});
  std::string content;
  EXPECT_EQ(box->read(0, content), store_errc::file_too_large);
  EXPECT_LE(content.capacity(), 2000u);
}

}  // namespace
}  // namespace mailtls::server::store
