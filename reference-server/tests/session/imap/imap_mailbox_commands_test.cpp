// Mailbox and message commands (RFC 9051 §6.3, §6.4): SELECT/EXAMINE, LIST, STATUS, APPEND,
// IDLE, NOOP, CLOSE/UNSELECT, FETCH, STORE, SEARCH, COPY/MOVE, EXPUNGE.
#include <gtest/gtest.h>

#include "imap_fixture.hpp"

namespace mailtls::server::imap::test {
namespace {

using imap_mailbox_test = imap_fixture;

const std::string flags_line = "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n";
const std::string date = "\"14-Nov-2023 22:13:20 +0000\"";

std::string literal(const std::string& s) {
  return "{" + std::to_string(s.size()) + "}\r\n" + s;
}

TEST_F(imap_mailbox_test, select_reports_the_mailbox) {
  backend_.add_message("alice@example.org", msg1, flag_seen);
  backend_.add_message("alice@example.org", msg2);
  login_993();
  EXPECT_EQ(sends("s SELECT INBOX\r\n"),
            flags_line +
                "* 2 EXISTS\r\n* 0 RECENT\r\n* OK [UNSEEN 2] First unseen\r\n"
                "* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT 3] Predicted next UID\r\n"
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)] Limited\r\n"
                "s OK [READ-WRITE] SELECT completed\r\n");
  EXPECT_TRUE(s_->selected());
  EXPECT_EQ(sends("e EXAMINE iNbOx\r\n"),
            flags_line +
                "* 2 EXISTS\r\n* 0 RECENT\r\n* OK [UNSEEN 2] First unseen\r\n"
                "* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT 3] Predicted next UID\r\n"
                "* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n"
                "e OK [READ-ONLY] EXAMINE completed\r\n");
  EXPECT_EQ(sends("n SELECT Nope\r\n"), "n NO [NONEXISTENT] Mailbox does not exist\r\n");
  EXPECT_FALSE(s_->selected());
}

TEST_F(imap_mailbox_test, select_in_imap4rev2_mode) {
  backend_.add_message("alice@example.org", msg1);
  login_993();
  ASSERT_EQ(sends("e ENABLE IMAP4rev2\r\n"), "* ENABLED IMAP4rev2\r\ne OK ENABLE completed\r\n");
  sends("s SELECT INBOX\r\n");
  EXPECT_EQ(sends("t SELECT INBOX\r\n"),
            "* OK [CLOSED] Previous mailbox closed\r\n" + flags_line +
                "* 1 EXISTS\r\n* OK [UIDVALIDITY 1] UIDs valid\r\n"
                "* OK [UIDNEXT 2] Predicted next UID\r\n"
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)] Limited\r\n"
                "* LIST () \"/\" \"INBOX\"\r\nt OK [READ-WRITE] SELECT completed\r\n");
  EXPECT_EQ(sends("u SEARCH ALL\r\n"), "* ESEARCH (TAG \"u\") ALL 1\r\nu OK SEARCH completed\r\n");
  EXPECT_EQ(sends("v UID SEARCH SEEN\r\n"),
            "* ESEARCH (TAG \"v\") UID\r\nv OK UID SEARCH completed\r\n");
}

TEST_F(imap_mailbox_test, list_status_namespace) {
  backend_.add_message("alice@example.org", msg1, flag_seen);
  backend_.add_message("alice@example.org", msg2);
  login_993();
  EXPECT_EQ(sends("l LIST \"\" \"*\"\r\n"), "* LIST () \"/\" \"INBOX\"\r\nl OK LIST completed\r\n");
  EXPECT_EQ(sends("m LIST \"\" \"\"\r\n"),
            "* LIST (\\Noselect) \"/\" \"\"\r\nm OK LIST completed\r\n");
  EXPECT_EQ(sends("n LIST \"\" inbox\r\n"), "* LIST () \"/\" \"INBOX\"\r\nn OK LIST completed\r\n");
  EXPECT_EQ(sends("o LIST \"\" Other%\r\n"), "o OK LIST completed\r\n");
  EXPECT_EQ(sends("p LSUB \"\" *\r\n"), "* LSUB () \"/\" \"INBOX\"\r\np OK LSUB completed\r\n");
  EXPECT_EQ(sends("s STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)\r\n"),
            "* STATUS \"INBOX\" (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 1 UNSEEN 1)\r\n"
            "s OK STATUS completed\r\n");
  EXPECT_EQ(sends("t STATUS INBOX (bogus)\r\n"), "t BAD Unknown STATUS item\r\n");
  EXPECT_EQ(sends("u STATUS Nope (MESSAGES)\r\n"), "u NO [NONEXISTENT] Mailbox does not exist\r\n");
}

TEST_F(imap_mailbox_test, fetch_attributes) {
  select_inbox();
  EXPECT_EQ(sends("f FETCH 1:* (FLAGS UID RFC822.SIZE INTERNALDATE)\r\n"),
            "* 1 FETCH (FLAGS (\\Seen) UID 1 RFC822.SIZE " + std::to_string(msg1.size()) +
                " INTERNALDATE " + date + ")\r\n* 2 FETCH (FLAGS () UID 2 RFC822.SIZE " +
                std::to_string(msg2.size()) + " INTERNALDATE " + date +
                ")\r\nf OK FETCH completed\r\n");
  EXPECT_EQ(sends("g FETCH 2 FAST\r\n"), "* 2 FETCH (FLAGS () INTERNALDATE " + date +
                                             " RFC822.SIZE " + std::to_string(msg2.size()) +
                                             ")\r\ng OK FETCH completed\r\n");
  EXPECT_EQ(sends("h FETCH 3 FLAGS\r\n"), "h BAD Invalid message sequence number\r\n");
  EXPECT_EQ(sends("i FETCH 1 ENVELOPE\r\n"), "i BAD Unsupported FETCH item ENVELOPE\r\n");
  EXPECT_EQ(sends("j FETCH 1 ALL\r\n"), "j BAD Unsupported FETCH item ENVELOPE\r\n");
}

TEST_F(imap_mailbox_test, fetch_body_sets_seen_but_peek_does_not) {
  select_inbox();
  EXPECT_EQ(sends("a FETCH 2 BODY.PEEK[]\r\n"),
            "* 2 FETCH (BODY[] " + literal(msg2) + ")\r\na OK FETCH completed\r\n");
  EXPECT_EQ(backend_.find_folder("alice@example.org", "INBOX")->messages[1].entry.flags, 0);
  EXPECT_EQ(sends("b FETCH 2 BODY[]\r\n"),
            "* 2 FETCH (BODY[] " + literal(msg2) + " FLAGS (\\Seen))\r\nb OK FETCH completed\r\n");
  EXPECT_EQ(backend_.find_folder("alice@example.org", "INBOX")->messages[1].entry.flags, flag_seen);
  // Already seen: no FLAGS.
  EXPECT_EQ(sends("c FETCH 1 RFC822\r\n"),
            "* 1 FETCH (RFC822 " + literal(msg1) + ")\r\nc OK FETCH completed\r\n");
}

TEST_F(imap_mailbox_test, fetch_under_examine_never_sets_seen) {
  select_inbox(/*examine=*/true);
  EXPECT_EQ(sends("a FETCH 2 (FLAGS BODY[TEXT])\r\n"),
            "* 2 FETCH (FLAGS () BODY[TEXT] {13}\r\nsecond body\r\n)\r\na OK FETCH completed\r\n");
  EXPECT_EQ(backend_.find_folder("alice@example.org", "INBOX")->messages[1].entry.flags, 0);
  EXPECT_EQ(sends("b STORE 1 +FLAGS (\\Deleted)\r\n"), "b NO [READ-ONLY] Mailbox is read-only\r\n");
  EXPECT_EQ(sends("c EXPUNGE\r\n"), "c NO [READ-ONLY] Mailbox is read-only\r\n");
}

TEST_F(imap_mailbox_test, fetch_sections_and_partial) {
  select_inbox();
  EXPECT_EQ(sends("a FETCH 1 BODY.PEEK[HEADER]\r\n"),
            "* 1 FETCH (BODY[HEADER] " + literal("Subject: one\r\nFrom: a@example.org\r\n\r\n") +
                ")\r\na OK FETCH completed\r\n");
  EXPECT_EQ(sends("b FETCH 2 BODY.PEEK[HEADER.FIELDS (x-long FROM)]\r\n"),
            "* 2 FETCH (BODY[HEADER.FIELDS (x-long FROM)] " +
                literal("X-Long: a\r\n b\r\nFrom: b@example.org\r\n\r\n") +
                ")\r\nb OK FETCH completed\r\n");
  EXPECT_EQ(sends("c FETCH 2 BODY.PEEK[HEADER.FIELDS.NOT (X-Long From)]\r\n"),
            "* 2 FETCH (BODY[HEADER.FIELDS.NOT (X-Long From)] " + literal("Subject: two\r\n\r\n") +
                ")\r\nc OK FETCH completed\r\n");
  EXPECT_EQ(sends("d FETCH 1 BODY.PEEK[]<9.3>\r\n"),
            "* 1 FETCH (BODY[]<9> {3}\r\none)\r\nd OK FETCH completed\r\n");
  EXPECT_EQ(sends("e FETCH 1 BODY.PEEK[]<1000.3>\r\n"),
            "* 1 FETCH (BODY[]<1000> {0}\r\n)\r\ne OK FETCH completed\r\n");
  EXPECT_EQ(sends("f FETCH 1 RFC822.HEADER\r\n"),
            "* 1 FETCH (RFC822.HEADER " + literal("Subject: one\r\nFrom: a@example.org\r\n\r\n") +
                ")\r\nf OK FETCH completed\r\n");
  EXPECT_EQ(sends("g FETCH 1 BODY[1]\r\n"), "g BAD Unsupported BODY section\r\n");
}

TEST_F(imap_mailbox_test, uid_fetch_always_returns_uid) {
  select_inbox();
  EXPECT_EQ(sends("a UID FETCH 2:* FLAGS\r\n"),
            "* 2 FETCH (UID 2 FLAGS ())\r\na OK UID FETCH completed\r\n");
  // UIDs that do not exist are ignored; n:* always includes the last message.
  EXPECT_EQ(sends("b UID FETCH 7:9 FLAGS\r\n"), "b OK UID FETCH completed\r\n");
  EXPECT_EQ(sends("c UID FETCH 9:* UID\r\n"), "* 2 FETCH (UID 2)\r\nc OK UID FETCH completed\r\n");
}

TEST_F(imap_mailbox_test, store_flags) {
  select_inbox();
  EXPECT_EQ(sends("a STORE 1:2 +FLAGS (\\Flagged)\r\n"),
            "* 1 FETCH (FLAGS (\\Flagged \\Seen))\r\n* 2 FETCH (FLAGS (\\Flagged))\r\n"
            "a OK STORE completed\r\n");
  EXPECT_EQ(sends("b STORE 1 -FLAGS \\Seen\r\n"),
            "* 1 FETCH (FLAGS (\\Flagged))\r\nb OK STORE completed\r\n");
  EXPECT_EQ(sends("c STORE 2 FLAGS.SILENT (\\Draft \\Answered)\r\n"), "c OK STORE completed\r\n");
  EXPECT_EQ(backend_.find_folder("alice@example.org", "INBOX")->messages[1].entry.flags,
            flag_draft | flag_answered);
  EXPECT_EQ(sends("d UID STORE 2 +FLAGS.SILENT (\\Deleted)\r\n"), "d OK UID STORE completed\r\n");
  EXPECT_EQ(sends("e UID STORE 1 FLAGS ()\r\n"),
            "* 1 FETCH (UID 1 FLAGS ())\r\ne OK UID STORE completed\r\n");
  EXPECT_EQ(sends("f STORE 1 XFLAGS (\\Seen)\r\n"), "f BAD Invalid STORE item\r\n");
}

TEST_F(imap_mailbox_test, search) {
  select_inbox();
  EXPECT_EQ(sends("a SEARCH ALL\r\n"), "* SEARCH 1 2\r\na OK SEARCH completed\r\n");
  EXPECT_EQ(sends("b UID SEARCH ALL\r\n"), "* SEARCH 1 2\r\nb OK UID SEARCH completed\r\n");
  EXPECT_EQ(sends("c SEARCH UNSEEN\r\n"), "* SEARCH 2\r\nc OK SEARCH completed\r\n");
  EXPECT_EQ(sends("d SEARCH CHARSET UTF-8 NOT SEEN LARGER 10\r\n"),
            "* SEARCH 2\r\nd OK SEARCH completed\r\n");
  EXPECT_EQ(sends("e SEARCH OR DELETED (UID 1:1)\r\n"), "* SEARCH 1\r\ne OK SEARCH completed\r\n");
  EXPECT_EQ(sends("f SEARCH DELETED\r\n"), "* SEARCH\r\nf OK SEARCH completed\r\n");
  EXPECT_EQ(sends("g SEARCH CHARSET KOI8-R ALL\r\n"),
            "g NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset\r\n");
  EXPECT_EQ(sends("h SEARCH SUBJECT foo\r\n"), "h BAD Unsupported SEARCH key SUBJECT\r\n");
  std::string deep = "i SEARCH";
  for (int i = 0; i < 40; ++i)
    deep += " NOT";
  EXPECT_EQ(sends(deep + " ALL\r\n"), "i BAD SEARCH nested too deeply\r\n");
}

TEST_F(imap_mailbox_test, expunge_close_unselect) {
  select_inbox();
  sends("a STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
  EXPECT_EQ(sends("b EXPUNGE\r\n"), "* 1 EXPUNGE\r\nb OK EXPUNGE completed\r\n");
  EXPECT_EQ(sends("c FETCH 1 UID\r\n"), "* 1 FETCH (UID 2)\r\nc OK FETCH completed\r\n");
  sends("d STORE 1 +FLAGS.SILENT (\\Deleted)\r\n");
  EXPECT_EQ(sends("e UNSELECT\r\n"), "e OK UNSELECT completed\r\n");
  EXPECT_EQ(backend_.find_folder("alice@example.org", "INBOX")->messages.size(), 1u);
  sends("f SELECT INBOX\r\n");
  EXPECT_EQ(sends("g CLOSE\r\n"), "g OK CLOSE completed\r\n");
  EXPECT_EQ(backend_.find_folder("alice@example.org", "INBOX")->messages.size(), 0u);
  EXPECT_FALSE(s_->selected());
  EXPECT_EQ(sends("h EXPUNGE\r\n"), "h BAD No mailbox selected\r\n");
}

TEST_F(imap_mailbox_test, uid_expunge_only_the_given_uids) {
  backend_.add_message("alice@example.org", "a\r\n", flag_deleted);
  select_inbox();  // uids 1 (deleted), 2 (msg1, seen), 3 (msg2)
  sends("a STORE 3 +FLAGS.SILENT (\\Deleted)\r\n");
  EXPECT_EQ(sends("b UID EXPUNGE 3\r\n"), "* 3 EXPUNGE\r\nb OK UID EXPUNGE completed\r\n");
  EXPECT_EQ(sends("c FETCH 1:* (UID FLAGS)\r\n"),
            "* 1 FETCH (UID 1 FLAGS (\\Deleted))\r\n* 2 FETCH (UID 2 FLAGS (\\Seen))\r\n"
            "c OK FETCH completed\r\n");
}

TEST_F(imap_mailbox_test, append) {
  login_993();
  EXPECT_EQ(feed("a APPEND INBOX (\\Seen) \" 7-Feb-2024 10:00:00 +0100\" {6}\r\n"),
            R"(send "+ Ready for literal data\r\n"
read 1800000ms)");
  EXPECT_EQ(sends("x\r\ny\r\n\r\n"), "a OK [APPENDUID 1 1] APPEND completed\r\n");
  const auto* f = backend_.find_folder("alice@example.org", "INBOX");
  ASSERT_EQ(f->messages.size(), 1u);
  EXPECT_EQ(f->messages[0].content, "x\r\ny\r\n");
  EXPECT_EQ(f->messages[0].entry.flags, flag_seen);
  EXPECT_EQ(f->messages[0].entry.internal_date, 1707296400);  // 2024-02-07 09:00:00 UTC
  EXPECT_EQ(sends("b APPEND Nope {1+}\r\nz\r\n"), "b NO [TRYCREATE] Mailbox does not exist\r\n");
  // Into the selected mailbox: the new message is announced before the OK.
  sends("s SELECT INBOX\r\n");
  EXPECT_EQ(sends("c APPEND inbox {3+}\r\nabc\r\n"),
            "* 2 EXISTS\r\nc OK [APPENDUID 1 2] APPEND completed\r\n");
  EXPECT_EQ(sends("d FETCH 2 (INTERNALDATE BODY.PEEK[])\r\n"),
            "* 2 FETCH (INTERNALDATE " + date + " BODY[] {3}\r\nabc)\r\nd OK FETCH completed\r\n");
  EXPECT_EQ(sends("e FETCH 1 INTERNALDATE\r\n"),
            "* 1 FETCH (INTERNALDATE \"07-Feb-2024 09:00:00 +0000\")\r\ne OK FETCH completed\r\n");
}

TEST_F(imap_mailbox_test, idle_and_noop_report_new_mail) {
  select_inbox();
  EXPECT_EQ(feed("i IDLE\r\n"), R"(send "+ idling\r\n"
read 1800000ms)");
  backend_.add_message("alice@example.org", "new\r\n");
  EXPECT_EQ(sends("DONE\r\n"), "* 3 EXISTS\r\ni OK IDLE terminated\r\n");
  EXPECT_EQ(sends("n NOOP\r\n"), "n OK NOOP completed\r\n");
  backend_.add_message("alice@example.org", "newer\r\n");
  EXPECT_EQ(sends("o NOOP\r\n"), "* 4 EXISTS\r\no OK NOOP completed\r\n");
  // Anything but DONE while idling.
  sends("j IDLE\r\n");
  EXPECT_EQ(sends("k NOOP\r\n"), "* BAD Expected DONE\r\n");
  EXPECT_EQ(sends("done\r\n"), "j OK IDLE terminated\r\n");
}

TEST_F(imap_mailbox_test, copy_and_move) {
  select_inbox();
  EXPECT_EQ(sends("a COPY 1:2 INBOX\r\n"),
            "* 4 EXISTS\r\na OK [COPYUID 1 1:2 3:4] COPY completed\r\n");
  EXPECT_EQ(sends("b COPY 1 Nope\r\n"), "b NO [TRYCREATE] Mailbox does not exist\r\n");
  EXPECT_EQ(
      sends("c UID MOVE 1 INBOX\r\n"),
      "* OK [COPYUID 1 1 5] Moved\r\n* 1 EXPUNGE\r\n* 4 EXISTS\r\nc OK UID MOVE completed\r\n");
  EXPECT_EQ(sends("d UID SEARCH ALL\r\n"), "* SEARCH 2 3 4 5\r\nd OK UID SEARCH completed\r\n");
  EXPECT_EQ(sends("e UID COPY 99 INBOX\r\n"), "e OK No messages matched\r\n");
}

TEST_F(imap_mailbox_test, state_rules) {
  login_993();
  EXPECT_EQ(sends("a FETCH 1 FLAGS\r\n"), "a BAD No mailbox selected\r\n");
  EXPECT_EQ(sends("b SELECT INBOX\r\n").ends_with("b OK [READ-WRITE] SELECT completed\r\n"), true);
  EXPECT_EQ(sends("c ENABLE IMAP4rev2\r\n"), "c BAD ENABLE is only valid before SELECT\r\n");
  EXPECT_EQ(sends("d FETCH 1:* FLAGS\r\n"), "d BAD Invalid message sequence number\r\n");
  EXPECT_EQ(sends("e SEARCH ALL\r\n"), "* SEARCH\r\ne OK SEARCH completed\r\n");
}

}  // namespace
}  // namespace mailtls::server::imap::test

namespace mailtls::server::imap::test {
namespace {

TEST_F(imap_fixture, quota_stops_copy_and_append) {
  backend_.add_message("alice@example.org", msg1);
  imap_config c = imap_config::for_listener(listener_kind::imaps);
  c.limits.max_mailbox_messages = 2;
  make_with(c);
  connect(true);
  sends("l LOGIN alice@example.org s3cret\r\ns SELECT INBOX\r\n");
  EXPECT_EQ(sends("a COPY 1 INBOX\r\n"), "* 2 EXISTS\r\na OK [COPYUID 1 1 2] COPY completed\r\n");
  EXPECT_EQ(sends("b COPY 1 INBOX\r\n"), "b NO [OVERQUOTA] Mailbox is full\r\n");
  EXPECT_EQ(sends("c APPEND INBOX {1+}\r\nx\r\n"), "c NO [OVERQUOTA] Mailbox is full\r\n");
  // IDLE ends with the session on timeout.
  sends("i IDLE\r\n");
  act::actions out;
  s_->on_timeout(out);
  EXPECT_EQ(sent(out), "* BYE Autologout; idle for too long\r\n");
}

}  // namespace
}  // namespace mailtls::server::imap::test
