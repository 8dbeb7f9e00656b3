// TRANSACTION and UPDATE states (RFC 1939 §5-7): STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP,
// QUIT.
#include <gtest/gtest.h>

#include "driver.hpp"

namespace mailtls::server::pop3::test {
namespace {

class pop3_transaction : public ::testing::Test {
 protected:
  void SetUp() override { d.login(); }
  driver d{listener(listener_kind::pop3s)};
};

std::string reply(std::string_view line) {
  return "send \"" + std::string(line) + "\\r\\n\"\nread 600000ms";
}

TEST_F(pop3_transaction, stat_list_uidl) {
  EXPECT_EQ(d.bytes("STAT\r\n"), reply("+OK 2 99"));
  EXPECT_EQ(d.bytes("LIST\r\n"), R"(send "+OK 2 messages (99 octets)\r\n1 62\r\n2 37\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("LIST 2\r\n"), reply("+OK 2 37"));
  EXPECT_EQ(d.bytes("LIST 3\r\n"), reply("-ERR No such message"));
  EXPECT_EQ(d.bytes("UIDL\r\n"), R"(send "+OK Unique-ID listing follows\r\n1 m1\r\n2 m2\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("UIDL 1\r\n"), reply("+OK 1 m1"));
  EXPECT_EQ(d.bytes("uidl 2147483647\r\n"), reply("-ERR No such message"));
  EXPECT_EQ(d.session->bad_commands(), 0u);
}

TEST_F(pop3_transaction, retr_is_dot_stuffed) {
  EXPECT_EQ(
      d.bytes("RETR 1\r\n"),
      R"(send "+OK 62 octets\r\nFrom: bob@example.org\r\nSubject: one\r\n\r\nHello\r\n..dot line\r\nbye\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("RETR 2\r\n"),
            R"(send "+OK 37 octets\r\nSubject: two\r\n\r\nline1\r\nline2\r\nline3\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("RETR 3\r\n"), reply("-ERR No such message"));
}

TEST(pop3_transaction_custom, retr_normalises_line_endings_and_terminates_the_last_line) {
  driver d(listener(listener_kind::pop3s));
  d.backend.add_message("alice@example.org", "Subject: x\n\n.\nend");
  d.login();
  EXPECT_EQ(d.bytes("RETR 3\r\n"), R"(send "+OK 17 octets\r\nSubject: x\r\n\r\n..\r\nend\r\n.\r\n"
read 600000ms)");
}

TEST_F(pop3_transaction, top_sends_the_header_and_n_body_lines) {
  EXPECT_EQ(
      d.bytes("TOP 1 0\r\n"),
      R"(send "+OK Top of message follows\r\nFrom: bob@example.org\r\nSubject: one\r\n\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(
      d.bytes("TOP 1 2\r\n"),
      R"(send "+OK Top of message follows\r\nFrom: bob@example.org\r\nSubject: one\r\n\r\nHello\r\n..dot line\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(
      d.bytes("TOP 2 99\r\n"),
      R"(send "+OK Top of message follows\r\nSubject: two\r\n\r\nline1\r\nline2\r\nline3\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("TOP 5 0\r\n"), reply("-ERR No such message"));
  EXPECT_EQ(d.bytes("TOP 1\r\n"), reply("-ERR Syntax error: missing argument"));
}

TEST(pop3_transaction_custom, top_of_a_message_without_body_separator) {
  driver d(listener(listener_kind::pop3s));
  d.backend.add_message("alice@example.org", "Subject: only\r\nX: y\r\n");
  d.login();
  EXPECT_EQ(d.bytes("TOP 3 0\r\n"),
            R"(send "+OK Top of message follows\r\nSubject: only\r\nX: y\r\n.\r\n"
read 600000ms)");
}

TEST_F(pop3_transaction, dele_marks_and_hides) {
  EXPECT_EQ(d.bytes("DELE 1\r\n"), reply("+OK Message 1 deleted"));
  EXPECT_EQ(d.bytes("DELE 1\r\n"), reply("-ERR Message 1 already deleted"));
  EXPECT_EQ(d.bytes("DELE 3\r\n"), reply("-ERR No such message"));
  EXPECT_EQ(d.bytes("STAT\r\n"), reply("+OK 1 37"));
  EXPECT_EQ(d.bytes("LIST\r\n"), R"(send "+OK 1 messages (37 octets)\r\n2 37\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("UIDL\r\n"), R"(send "+OK Unique-ID listing follows\r\n2 m2\r\n.\r\n"
read 600000ms)");
  EXPECT_EQ(d.bytes("LIST 1\r\n"), reply("-ERR No such message"));
  EXPECT_EQ(d.bytes("UIDL 1\r\n"), reply("-ERR No such message"));
  EXPECT_EQ(d.bytes("RETR 1\r\n"), reply("-ERR No such message"));
  EXPECT_EQ(d.bytes("TOP 1 0\r\n"), reply("-ERR No such message"));
  // Nothing is removed before QUIT.
  EXPECT_EQ(d.backend.find_folder("alice@example.org", "INBOX")->messages.size(), 2u);
}

TEST_F(pop3_transaction, rset_unmarks) {
  d.bytes("DELE 1\r\nDELE 2\r\n");
  EXPECT_EQ(d.bytes("STAT\r\n"), reply("+OK 0 0"));
  EXPECT_EQ(d.bytes("RSET\r\n"), reply("+OK Maildrop has 2 messages (99 octets)"));
  EXPECT_EQ(d.bytes("STAT\r\n"), reply("+OK 2 99"));
  EXPECT_EQ(d.bytes("NOOP\r\n"), reply("+OK"));
}

TEST_F(pop3_transaction, quit_applies_deletions) {
  d.bytes("DELE 1\r\n");
  EXPECT_EQ(d.bytes("QUIT\r\n"), R"(log info "logout user=alice@example.org deleted=1 left=1"
send "+OK mailtls POP3 server signing off (1 messages left)\r\n"
close)");
  EXPECT_TRUE(d.session->closed());
  EXPECT_FALSE(d.session->authenticated());
  const auto* inbox = d.backend.find_folder("alice@example.org", "INBOX");
  ASSERT_EQ(inbox->messages.size(), 1u);
  EXPECT_EQ(inbox->messages[0].content, message_2);
}

TEST_F(pop3_transaction, quit_without_deletions_keeps_everything) {
  EXPECT_EQ(d.bytes("QUIT\r\n"), R"(log info "logout user=alice@example.org deleted=0 left=2"
send "+OK mailtls POP3 server signing off (2 messages left)\r\n"
close)");
  EXPECT_EQ(d.backend.find_folder("alice@example.org", "INBOX")->messages.size(), 2u);
}

TEST_F(pop3_transaction, timeout_does_not_enter_update) {
  d.bytes("DELE 1\r\nDELE 2\r\n");
  EXPECT_EQ(d.timeout(), R"(log info "idle timeout"
send "-ERR Autologout; idle for too long\r\n"
close)");
  EXPECT_EQ(d.backend.find_folder("alice@example.org", "INBOX")->messages.size(), 2u);
}

TEST_F(pop3_transaction, shutdown_does_not_enter_update) {
  d.bytes("DELE 2\r\n");
  EXPECT_EQ(d.shutdown(), R"(log info "server shutting down"
send "-ERR [SYS/TEMP] Server shutting down\r\n"
close)");
  EXPECT_EQ(d.backend.find_folder("alice@example.org", "INBOX")->messages.size(), 2u);
}

TEST_F(pop3_transaction, message_numbers_are_checked) {
  EXPECT_EQ(d.bytes("RETR 0\r\n"), reply("-ERR Syntax error: message number 0"));
  EXPECT_EQ(d.bytes("RETR 01\r\n"), reply("-ERR Syntax error: number with a leading zero"));
  EXPECT_EQ(d.bytes("RETR -1\r\n"), reply("-ERR Syntax error: signed number"));
  EXPECT_EQ(d.bytes("RETR 99999999999\r\n"), reply("-ERR Syntax error: number out of range"));
  EXPECT_EQ(d.bytes("RETR 2147483647\r\n"), reply("-ERR No such message"));
  EXPECT_EQ(d.bytes("DELE x\r\n"), reply("-ERR Syntax error: invalid number"));
  EXPECT_EQ(d.bytes("RETR\r\n"), reply("-ERR Syntax error: missing argument"));
  EXPECT_EQ(d.session->bad_commands(), 6u);
}

TEST_F(pop3_transaction, login_commands_after_login) {
  EXPECT_EQ(d.bytes("USER bob@example.org\r\nPASS hunter2\r\nAPOP bob@example.org "
                    "c4c9334bac560ecc979e58001b3e22fb\r\n"),
            R"(send "-ERR Command not valid in TRANSACTION state\r\n"
send "-ERR Command not valid in TRANSACTION state\r\n"
send "-ERR Command not valid in TRANSACTION state\r\n"
read 600000ms)");
  EXPECT_EQ(d.session->user(), "alice@example.org");
}

TEST_F(pop3_transaction, capa_is_the_same_in_both_states) {
  EXPECT_EQ(
      d.bytes("CAPA\r\n"),
      R"(send "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION mailtls\r\n.\r\n"
read 600000ms)");
}

TEST(pop3_transaction_custom, empty_maildrop) {
  driver d(listener(listener_kind::pop3s));
  d.connect(true);
  d.bytes("USER bob@example.org\r\nPASS hunter2\r\n");
  ASSERT_TRUE(d.session->authenticated());
  EXPECT_EQ(d.bytes("STAT\r\nLIST\r\nUIDL\r\nRETR 1\r\n"), R"(send "+OK 0 0\r\n"
send "+OK 0 messages (0 octets)\r\n.\r\n"
send "+OK Unique-ID listing follows\r\n.\r\n"
send "-ERR No such message\r\n"
read 600000ms)");
}

}  // namespace
}  // namespace mailtls::server::pop3::test
