#include "codec/imap/command_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "imap_test_util.hpp"

namespace mailtls::codec::imap {
namespace {

using namespace std::string_literals;

using test::commands;
using test::strings;

TEST(imap_command_parser, simple_commands_case_insensitive) {
  const auto t = commands("a1 CAPABILITY\r\na2 starttls\r\nA3 NoOp\r\na4 LOGOUT\r\n");
  EXPECT_EQ(t, (strings{"CAPABILITY a1 CAPABILITY", "STARTTLS a2 starttls", "NOOP A3 NoOp",
                        "LOGOUT a4 LOGOUT"}));
}

TEST(imap_command_parser, bytes_after_starttls_stay_unconsumed) {
  // RFC 3207 §4.2 / RFC 9051 §6.2.1: nothing after STARTTLS CRLF belongs to the cleartext phase.
  command_parser p;
  const auto r = p.parse("a STARTTLS\r\nb LOGIN x y\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(r.consumed, 12u);
  EXPECT_EQ(p.get().kind, command_kind::starttls);
}

TEST(imap_command_parser, no_argument_commands_reject_arguments) {
  // RFC 9051 §6.2.1: STARTTLS takes no argument.
  const auto t = commands("a STARTTLS x\r\nb NOOP\r\nc CAPABILITY (x)\r\n");
  EXPECT_EQ(t, (strings{"error unexpected argument @11", "NOOP b NOOP",
                        "error unexpected argument @35"}));
}

TEST(imap_command_parser, login_with_atoms_quoted_and_literals) {
  const auto t = commands(
      "a LOGIN alice \"pa ss\\\"w\"\r\n"
      "b LOGIN {5}\r\nalice {3+}\r\nx y\r\n"
      "c LOGIN NIL 123\r\n");
  EXPECT_EQ(t, (strings{"LOGIN a LOGIN alice \"pa ss\\\"w\"",
                        "LOGIN b LOGIN {5}\\r\\nalice {3+}\\r\\nx y", "LOGIN c LOGIN NIL 123"}));
}

TEST(imap_command_parser, login_argument_errors) {
  const auto t = commands("a LOGIN alice\r\nb LOGIN (x) y\r\nc LOGIN a b c\r\n");
  EXPECT_EQ(t, (strings{"error missing argument @13", "error invalid argument @23",
                        "error unexpected argument @42"}));
}

TEST(imap_command_parser, synchronizing_literal_asks_for_continuation_once) {
  // RFC 9051 §4.3: the client waits for "+" after "{n}" CRLF.
  command_parser p;
  auto r = p.parse("a LOGIN {5}\r\n");
  EXPECT_TRUE(r.is_need_more());
  EXPECT_EQ(r.consumed, 13u);
  EXPECT_TRUE(p.needs_continuation());
  r = p.parse("");
  EXPECT_TRUE(r.is_need_more());
  EXPECT_FALSE(p.needs_continuation());
  r = p.parse("ali");
  EXPECT_TRUE(r.is_need_more());
  EXPECT_FALSE(p.needs_continuation());
  r = p.parse("ce {0}\r\n");
  EXPECT_TRUE(r.is_need_more());
  EXPECT_TRUE(p.needs_continuation());  // a zero-length literal is announced too
  r = p.parse("\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_FALSE(p.needs_continuation());
  ASSERT_EQ(p.get().args.size(), 2u);
  EXPECT_EQ(p.get().args[0].text, "alice");
  EXPECT_EQ(p.get().args[1].text, "");
  EXPECT_EQ(p.get().args[1].kind, value_kind::literal);
}

TEST(imap_command_parser, non_synchronizing_literal_needs_no_continuation) {
  // RFC 7888 §3: "{n+}" data follows at once.
  command_parser p;
  auto r = p.parse("a LOGIN {5+}\r\n");
  EXPECT_TRUE(r.is_need_more());
  EXPECT_FALSE(p.needs_continuation());
  r = p.parse("alice x\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_TRUE(p.get().args[0].non_sync);
}

TEST(imap_command_parser, literal_data_sent_early_needs_no_continuation) {
  command_parser p;
  const auto r = p.parse("a LOGIN {5}\r\nal");
  EXPECT_TRUE(r.is_need_more());
  EXPECT_FALSE(p.needs_continuation());
}

TEST(imap_command_parser, huge_literal_rejected_at_announcement) {
  // The announced size is refused before any data and nothing of that size is allocated.
  command_parser p;
  const auto r = p.parse("a APPEND INBOX {4294967295}\r\n");
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error, imap_errc::literal_too_large);
  EXPECT_EQ(r.offset, 15u);
  EXPECT_EQ(r.consumed, 29u);
  EXPECT_LT(p.buffered(), 64u);
  EXPECT_FALSE(p.needs_continuation());
  // The client got no "+": its next line is a new command.
  const auto t =
      commands("a APPEND INBOX {99999999999999999999999}\r\nb NOOP\r\n", imap_limits::commands());
  EXPECT_EQ(t, (strings{"error literal too large @15", "NOOP b NOOP"}));
}

TEST(imap_command_parser, oversized_non_sync_literal_is_skipped) {
  // RFC 7888 §4: the data of a refused "{n+}" literal follows anyway; it is skipped, with the rest
  // of the command.
  imap_limits lim;
  lim.max_literal = 4;
  const auto t = commands("a LOGIN {6+}\r\nsecret {2+}\r\nxx\r\nb NOOP\r\n", lim);
  EXPECT_EQ(t, (strings{"error literal too large @8", "NOOP b NOOP"}));
}

TEST(imap_command_parser, message_limit_counts_literals) {
  imap_limits lim;
  lim.max_message = 30;
  const auto t = commands("a LOGIN {10+}\r\n0123456789 {10+}\r\n0123456789\r\nb NOOP\r\n", lim);
  EXPECT_EQ(t, (strings{"error message too large @30", "NOOP b NOOP"}));
}

TEST(imap_command_parser, nul_in_literal_rejected_literal8_allowed) {
  // RFC 9051 §9: literal data is CHAR8 (no NUL); literal8 (~{n}) is binary.
  const std::string in = "a LOGIN {3+}\r\na\0b c\r\nb APPEND X ~{3+}\r\na\0b\r\n"s;
  const auto t = commands(in);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0], "error NUL in a non-binary literal @15");
  EXPECT_EQ(t[1], std::string("APPEND b APPEND X ~{3+}\\r\\na\\0b"));
}

TEST(imap_command_parser, append_with_flags_date_and_literal) {
  const auto t = commands(
      "A003 APPEND saved-messages (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {11}\r\n"
      "Hello\r\nJoe!\r\n");
  EXPECT_EQ(t, (strings{"APPEND A003 APPEND saved-messages (\\Seen) \"17-Jul-1996 02:44:25 "
                        "-0700\" {11}\\r\\nHello\\r\\nJoe!"}));
}

TEST(imap_command_parser, append_errors) {
  const auto t = commands(
      "a APPEND box (\\Seen) \"1-Jul-1996 02:44:25 -0700\" {1+}\r\nx\r\n"
      "b APPEND box x\r\n"
      "c APPEND box (\\Seen)\r\n");
  EXPECT_EQ(t, (strings{"error invalid date-time @21", "error invalid argument @71",
                        "error missing argument @94"}));
}

TEST(imap_command_parser, fetch_with_sections_and_partials) {
  const auto t = commands(
      "a FETCH 1:5,7,* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]<0.1024> BODY[])\r\n"
      "b UID FETCH 1:* (UID BINARY[1.2]) (CHANGEDSINCE 12345)\r\n");
  EXPECT_EQ(t, (strings{"FETCH a FETCH 1:5,7,* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]<0."
                        "1024> BODY[])",
                        "FETCH/uid b UID FETCH 1:* (UID BINARY[1.2]) (CHANGEDSINCE 12345)"}));
}

TEST(imap_command_parser, fetch_structure) {
  command_parser p;
  ASSERT_TRUE(p.parse("a fetch 2 BODY.PEEK[HEADER.FIELDS (SUBJECT)]<0.1024>\r\n").is_complete());
  const command& c = p.get();
  EXPECT_EQ(c.kind, command_kind::fetch);
  ASSERT_EQ(c.args.size(), 2u);
  EXPECT_EQ(c.args[0].kind, value_kind::number);
  EXPECT_EQ(c.args[0].number, 2u);
  const value& att = c.args[1];
  EXPECT_EQ(att.text, "BODY.PEEK");
  EXPECT_TRUE(att.has_section);
  ASSERT_EQ(att.section.size(), 2u);
  EXPECT_EQ(att.section[0].text, "HEADER.FIELDS");
  ASSERT_EQ(att.section[1].items.size(), 1u);
  EXPECT_EQ(att.section[1].items[0].text, "SUBJECT");
  ASSERT_TRUE(att.partial.has_value());
  EXPECT_EQ(att.partial->origin, 0u);
  EXPECT_EQ(att.partial->length, 1024u);
  EXPECT_EQ(p.arg_offsets(), (std::vector<std::uint64_t>{8, 10}));
}

TEST(imap_command_parser, sequence_set_errors_point_into_the_set) {
  const auto t = commands(
      "a FETCH 1:0 FLAGS\r\nb FETCH 1,,2 FLAGS\r\nc COPY 4294967296 X\r\nd UID EXPUNGE $\r\n");
  EXPECT_EQ(t, (strings{"error sequence number 0 @10", "error invalid sequence set @29",
                        "error sequence number too large @46", "EXPUNGE/uid d UID EXPUNGE $"}));
}

TEST(imap_command_parser, uid_needs_a_known_subcommand) {
  const auto t = commands("a UID NOOP\r\nb UID\r\nc UID MOVE 1:2 Trash\r\n");
  EXPECT_EQ(t, (strings{"error invalid UID command @6", "error invalid UID command @17",
                        "MOVE/uid c UID MOVE 1:2 Trash"}));
}

TEST(imap_command_parser, unknown_commands_parse_generically) {
  const auto t = commands("a XYZZY (1 \"two\" NIL) three\r\nb GETQUOTAROOT INBOX\r\n");
  EXPECT_EQ(t, (strings{"UNKNOWN a XYZZY (1 \"two\" NIL) three", "UNKNOWN b GETQUOTAROOT INBOX"}));
}

TEST(imap_command_parser, mailbox_commands) {
  const auto t = commands(
      "a SELECT INBOX\r\nb EXAMINE \"Sent Items\" (CONDSTORE)\r\nc CREATE [Gmail]/Spam\r\n"
      "d RENAME a b\r\ne LIST \"\" %\r\nf LSUB \"\" *\r\ng STATUS INBOX (MESSAGES UIDNEXT)\r\n"
      "h SUBSCRIBE x\r\ni DELETE x\r\nj UNSUBSCRIBE x\r\nk ENABLE CONDSTORE UTF8=ACCEPT\r\n"
      "l ID (\"name\" \"mutt\" \"version\" NIL)\r\nm ID NIL\r\n");
  EXPECT_EQ(t, (strings{"SELECT a SELECT INBOX", "EXAMINE b EXAMINE \"Sent Items\" (CONDSTORE)",
                        "CREATE c CREATE [Gmail]/Spam", "RENAME d RENAME a b", "LIST e LIST \"\" %",
                        "LSUB f LSUB \"\" *", "STATUS g STATUS INBOX (MESSAGES UIDNEXT)",
                        "SUBSCRIBE h SUBSCRIBE x", "DELETE i DELETE x",
                        "UNSUBSCRIBE j UNSUBSCRIBE x", "ENABLE k ENABLE CONDSTORE UTF8=ACCEPT",
                        "ID l ID (\"name\" \"mutt\" \"version\" NIL)", "ID m ID NIL"}));
}

TEST(imap_command_parser, store_search_copy_idle) {
  const auto t = commands(
      "a STORE 2:4 +FLAGS.SILENT (\\Deleted $Junk)\r\nb SEARCH CHARSET UTF-8 SUBJECT {5+}\r\n"
      "caf\xC3\xA9 UNSEEN\r\nc COPY 1 Archive\r\nd IDLE\r\ne UNSELECT\r\nf EXPUNGE\r\n");
  EXPECT_EQ(t, (strings{"STORE a STORE 2:4 +FLAGS.SILENT (\\Deleted $Junk)",
                        "SEARCH b SEARCH CHARSET UTF-8 SUBJECT {5+}\\r\\ncaf\xC3\xA9 UNSEEN",
                        "COPY c COPY 1 Archive", "IDLE d IDLE", "UNSELECT e UNSELECT",
                        "EXPUNGE f EXPUNGE"}));
}

TEST(imap_command_parser, authenticate_with_initial_response) {
  // RFC 4959 §3: AUTHENTICATE mech [SP (base64 / "=")].
  const auto t = commands(
      "a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\nb AUTHENTICATE EXTERNAL =\r\n"
      "c AUTHENTICATE PLAIN AGFsaWNl$\r\nd AUTHENTICATE\r\n");
  EXPECT_EQ(t, (strings{"AUTHENTICATE a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==",
                        "AUTHENTICATE b AUTHENTICATE EXTERNAL =", "error invalid base64 @99",
                        "error missing argument @116"}));
}

TEST(imap_command_parser, tag_and_name_errors) {
  const auto t = commands("+a NOOP\r\na+b NOOP\r\n\r\na\r\na NO(OP\r\n a NOOP\r\n");
  EXPECT_EQ(t, (strings{"error invalid tag @0", "error invalid tag @10", "error invalid tag @19",
                        "error invalid command name @22", "error invalid command name @28",
                        "error invalid tag @33"}));
}

TEST(imap_command_parser, spacing_errors) {
  const auto t = commands("a LOGIN  x y\r\nb LOGIN x y \r\nc LOGIN x(y) z\r\n");
  EXPECT_EQ(
      t, (strings{"error unexpected SP @8", "error unexpected SP @25", "error expected SP @37"}));
}

TEST(imap_command_parser, token_errors_have_exact_offsets) {
  const auto t = commands(
      "a LOGIN \"abc\r\nb LOGIN \"a\\b\" x\r\nc LOGIN (a b x\r\nd LOGIN a) b\r\n"
      "e LOGIN \"\xC3\x28\" x\r\nf FETCH 1 BODY[1\r\ng FETCH 1 BODY[]<1.0>\r\nh STORE 1 +FLAGS "
      "(\\)\r\n");
  EXPECT_EQ(
      t, (strings{"error unterminated quoted string @12",
                  "error invalid escape in a quoted string @25", "error unclosed list @45",
                  "error expected SP @56", "error invalid UTF-8 @70", "error invalid section @93",
                  "error invalid partial range @115", "error invalid flag @137"}));
}

TEST(imap_command_parser, literal_syntax_errors) {
  const auto t = commands("a LOGIN {3}x y\r\nb LOGIN {} x\r\nc LOGIN x{3}\r\nabc\r\n");
  EXPECT_EQ(t, (strings{"error invalid literal @11", "error invalid literal @25",
                        "error expected SP @39"}));
}

TEST(imap_command_parser, nesting_and_value_limits) {
  imap_limits lim;
  lim.max_depth = 3;
  lim.max_values = 6;
  const auto t = commands("a X ((((1))))\r\nb X ((1))\r\nc X 1 2 3 4 5 6 7\r\n", lim);
  EXPECT_EQ(
      t, (strings{"error nesting too deep @7", "UNKNOWN b X ((1))", "error too many values @42"}));
}

TEST(imap_command_parser, line_errors_pass_through_and_resync) {
  const auto t = commands("a NOOP\nb NOOP\r\nc NO\rOP\r\n");
  EXPECT_EQ(t, (strings{"error line ended by a bare LF (CRLF required) @6", "NOOP b NOOP",
                        "error bare CR inside a line @19"}));
  imap_limits lim;
  lim.allow_bare_lf = true;
  EXPECT_EQ(commands("a LOGIN {1}\nx y\nb NOOP\r\n", lim),
            (strings{"LOGIN a LOGIN {1}\\r\\nx y [bare_lf]", "NOOP b NOOP"}));
}

TEST(imap_command_parser, overlong_line_is_reported_then_skipped) {
  imap_limits lim;
  lim.max_line = 16;
  const auto t = commands("a LOGIN " + std::string(40, 'x') + " y\r\nb NOOP\r\n", lim);
  EXPECT_EQ(t, (strings{"error line too long @16", "NOOP b NOOP"}));
}

TEST(imap_command_parser, authenticate_continuation_mode) {
  // RFC 9051 §6.2.2: the client answers a challenge with base64, or "*" to cancel.
  const auto t = mailtls::test::expect_split_invariant(
      "dGVzdA==\r\n*\r\n\r\nab$=\r\nabc\r\n",
      test::command_maker(imap_limits::commands(), client_mode::authenticate_response),
      test::describe_command, {.continue_after_error = true});
  EXPECT_EQ(t, (strings{"sasl:dGVzdA==", "cancel:", "sasl:", "error invalid base64 @17",
                        "error invalid base64 @24"}));
}

TEST(imap_command_parser, idle_mode_expects_done) {
  const auto t = mailtls::test::expect_split_invariant(
      "done\r\nNOOP\r\nDONE\r\n", test::command_maker(imap_limits::commands(), client_mode::idle),
      test::describe_command, {.continue_after_error = true});
  EXPECT_EQ(t, (strings{"done:done", "error expected DONE @6", "done:DONE"}));
}

TEST(imap_command_parser, idle_then_done_then_command) {
  command_parser p;
  std::string_view in = "a IDLE\r\nDONE\r\nb NOOP\r\n";
  auto r = p.parse(in);
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(p.get().kind, command_kind::idle);
  p.set_mode(client_mode::idle);
  in.remove_prefix(r.consumed);
  r = p.parse(in);
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(p.continuation().kind, continuation_kind::done);
  p.set_mode(client_mode::command);
  in.remove_prefix(r.consumed);
  r = p.parse(in);
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(p.get().tag, "b");
  EXPECT_EQ(p.stream_offset(), 22u);
}

TEST(imap_command_parser, continuation_mode_ignores_literal_syntax) {
  command_parser p;
  p.set_mode(client_mode::authenticate_response);
  const auto r = p.parse("{5}\r\n");
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error, imap_errc::invalid_base64);
  EXPECT_EQ(r.offset, 0u);
  EXPECT_FALSE(p.needs_continuation());
}

TEST(imap_command_parser, incomplete_input_needs_more) {
  EXPECT_EQ(commands("a NOOP\r\nb LOGIN {3}\r\nab"), (strings{"NOOP a NOOP", "need_more"}));
}

TEST(imap_command_parser, buffer_is_bounded_while_reading_a_literal) {
  imap_limits lim;
  lim.max_literal = 1000;
  command_parser p(lim);
  ASSERT_TRUE(p.parse("a APPEND x {1000+}\r\n").is_need_more());
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(p.parse(std::string(100, 'm')).is_need_more());
    EXPECT_LE(p.buffered(), 1100u);
  }
  const auto r = p.parse("\r\n");
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(p.get().args[1].text.size(), 1000u);
}

}  // namespace
}  // namespace mailtls::codec::imap
