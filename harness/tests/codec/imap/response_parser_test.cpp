#include "codec/imap/response_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "imap_test_util.hpp"

namespace mailtls::codec::imap {
namespace {

using namespace std::string_literals;

using test::responses;
using test::strings;

TEST(imap_response_parser, greeting_tagged_and_continuations) {
  const auto t = responses(
      "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Dovecot ready.\r\n"
      "a1 OK [READ-WRITE] SELECT completed\r\n"
      "a2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
      "a3 bad Command unknown\r\n"
      "+ Ready for literal data\r\n+ \r\n+\r\n"
      "* BYE [UNAVAILABLE] shutting down\r\n* PREAUTH hello\r\n");
  EXPECT_EQ(
      t, (strings{"status:OK code=CAPABILITY * OK [CAPABILITY IMAP4rev1 STARTTLS "
                  "LOGINDISABLED] Dovecot ready.",
                  "tagged:OK code=READ-WRITE a1 OK [READ-WRITE] SELECT completed",
                  "tagged:NO code=AUTHENTICATIONFAILED a2 NO [AUTHENTICATIONFAILED] "
                  "Authentication failed.",
                  "tagged:BAD a3 bad Command unknown", "cont + Ready for literal data", "cont + ",
                  "cont +", "status:BYE code=UNAVAILABLE * BYE [UNAVAILABLE] shutting down",
                  "status:PREAUTH * PREAUTH hello"}));
}

TEST(imap_response_parser, status_structure_and_codes) {
  response_parser p;
  ASSERT_TRUE(p.parse("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n").is_complete());
  const response& r = p.get();
  EXPECT_EQ(r.kind, response_kind::status);
  EXPECT_EQ(r.status, response_status::ok);
  ASSERT_TRUE(r.code.has_value());
  EXPECT_EQ(r.code->name, "UIDVALIDITY");
  EXPECT_EQ(r.code->number(), 3857529045u);
  EXPECT_EQ(r.text, "UIDs valid");
  ASSERT_TRUE(p.parse("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n").is_complete());
  ASSERT_EQ(p.get().code->args.size(), 1u);
  EXPECT_EQ(p.get().code->args[0].items.size(), 3u);
  EXPECT_EQ(p.get().code->args[0].items[2].text, "\\*");
  ASSERT_TRUE(
      p.parse("* NO [REFERRAL imap://user;AUTH=*@SERVER2/SHARED/FOO] Remote\r\n").is_complete());
  EXPECT_EQ(p.get().code->text, "imap://user;AUTH=*@SERVER2/SHARED/FOO");
  EXPECT_TRUE(p.get().code->args.empty());
  ASSERT_TRUE(p.parse("a OK\r\n").is_complete());  // empty resp-text, no SP (lenient)
  EXPECT_EQ(p.get().text, "");
  ASSERT_TRUE(p.parse("b OK [ALERT]\r\n").is_complete());
  EXPECT_EQ(p.get().code->name, "ALERT");
}

TEST(imap_response_parser, known_codes_are_checked) {
  const auto t = responses(
      "* OK [UIDNEXT 0] x\r\n* OK [UIDNEXT] x\r\n* OK [PERMANENTFLAGS \\Seen] x\r\n"
      "* OK [CAPABILITY] x\r\n* OK [BADCHARSET (UTF-8 US-ASCII)] x\r\n* OK [ x\r\n"
      "* OK [ALERT x\r\n* OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n"
      "* OK [XFOO some \"odd text] y\r\n");
  EXPECT_EQ(t, (strings{"error invalid response code @14", "error invalid response code @25",
                        "error invalid response code @59", "error invalid response code @74",
                        "status:OK code=BADCHARSET * OK [BADCHARSET (UTF-8 US-ASCII)] x",
                        "error invalid response code @134", "error invalid response code @151",
                        "status:OK code=COPYUID * OK [COPYUID 38505 304,319:320 3956:3958] Done",
                        "status:OK code=XFOO * OK [XFOO some \"odd text] y"}));
}

TEST(imap_response_parser, untagged_data) {
  const auto t = responses(
      "* CAPABILITY IMAP4rev2 STARTTLS AUTH=PLAIN\r\n* ENABLED CONDSTORE\r\n"
      "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* LSUB () NIL \"Sent Items\"\r\n"
      "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n"
      "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* SEARCH 2 3 6\r\n* SEARCH\r\n"
      "* ESEARCH (TAG \"a\") UID ALL 1:5\r\n* ID (\"name\" \"Dovecot\")\r\n"
      "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n* 172 EXISTS\r\n* 0 RECENT\r\n* 44 EXPUNGE\r\n"
      "* QUOTA \"\" (STORAGE 10 512)\r\n");
  EXPECT_EQ(t, (strings{"data:CAPABILITY * CAPABILITY IMAP4rev2 STARTTLS AUTH=PLAIN",
                        "data:ENABLED * ENABLED CONDSTORE",
                        "data:LIST * LIST (\\HasNoChildren) \"/\" INBOX",
                        "data:LSUB * LSUB () NIL \"Sent Items\"",
                        "data:STATUS * STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)",
                        "data:FLAGS * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                        "data:SEARCH * SEARCH 2 3 6", "data:SEARCH * SEARCH",
                        "data:ESEARCH * ESEARCH (TAG \"a\") UID ALL 1:5",
                        "data:ID * ID (\"name\" \"Dovecot\")",
                        "data:NAMESPACE * NAMESPACE ((\"\" \"/\")) NIL NIL",
                        "data:EXISTS * 172 EXISTS", "data:RECENT * 0 RECENT",
                        "data:EXPUNGE * 44 EXPUNGE", "data:OTHER * QUOTA \"\" (STORAGE 10 512)"}));
}

TEST(imap_response_parser, fetch_with_literal) {
  const std::string body = "Subject: hi\r\n\r\nbody {3}\r\n";
  const std::string in = "* 12 FETCH (UID 4827 FLAGS (\\Seen) BODY[] {" +
                         std::to_string(body.size()) + "}\r\n" + body + ")\r\n* 13 EXISTS\r\n";
  const auto t = responses(in);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0],
            "data:FETCH * 12 FETCH (UID 4827 FLAGS (\\Seen) BODY[] {25}\\r\\nSubject: "
            "hi\\r\\n\\r\\nbody {3}\\r\\n)");
  response_parser p;
  ASSERT_TRUE(p.parse(in).is_complete());
  EXPECT_EQ(p.get().number, 12u);
  const value* b = fetch_attribute(p.get(), "body", "");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->text, body);
  const value* uid = fetch_attribute(p.get(), "UID");
  ASSERT_NE(uid, nullptr);
  EXPECT_EQ(uid->number, 4827u);
  EXPECT_EQ(fetch_attribute(p.get(), "BODY", "TEXT"), nullptr);
}

TEST(imap_response_parser, fetch_partial_origin_and_binary) {
  const auto t = responses(
      "* 1 FETCH (BODY[HEADER.FIELDS (\"Subject\")]<0> {2}\r\nab BINARY[1] ~{3}\r\na\0b)\r\n"s);
  EXPECT_EQ(t, (strings{std::string("data:FETCH * 1 FETCH (BODY[HEADER.FIELDS (\"Subject\")]<0> "
                                    "{2}\\r\\nab BINARY[1] ~{3}\\r\\na\\0b)")}));
}

TEST(imap_response_parser, data_errors) {
  const auto t = responses(
      "* CAPABILITY\r\n* FLAGS \\Seen\r\n* LIST () \"/\"\r\n* STATUS x (MESSAGES)\r\n"
      "* SEARCH 1 x\r\n* 0 FETCH (UID 1)\r\n* 1 FETCH (UID)\r\n* 1 FETCH UID 1\r\n"
      "* EXISTS\r\n* 4294967296 EXISTS\r\n* ID (\"a\")\r\n* NAMESPACE NIL NIL\r\n"
      "* 3 EXISTS x\r\n");
  EXPECT_EQ(t, (strings{"error invalid CAPABILITY data @2", "error invalid FLAGS data @22",
                        "error invalid LIST data @31", "error invalid STATUS data @55",
                        "error invalid SEARCH data @78", "error invalid message number @83",
                        "error invalid FETCH data @110", "error invalid FETCH data @131",
                        "error invalid message number @136", "error invalid message number @146",
                        "error invalid ID data @170", "error invalid NAMESPACE data @179",
                        "error unexpected argument @209"}));
}

TEST(imap_response_parser, start_errors) {
  const auto t = responses("*\r\n* \r\n*x\r\n a OK\r\na MAYBE x\r\na PREAUTH x\r\n+x\r\na\r\n");
  EXPECT_EQ(t, (strings{"error missing response data @1", "error missing response data @5",
                        "error expected SP @8", "error invalid response start @11",
                        "error invalid status @20", "error invalid status @31",
                        "error expected SP @43", "error invalid tag @47"}));
}

TEST(imap_response_parser, status_text_is_not_a_literal) {
  // RFC 9051 §7.1: resp-text is free text; "{5}" at its end announces nothing.
  const auto t = responses("* OK see {5}\r\na NO quota {12}\r\n+ {3}\r\n* 1 EXISTS\r\n");
  EXPECT_EQ(t, (strings{"status:OK * OK see {5}", "tagged:NO a NO quota {12}", "cont + {3}",
                        "data:EXISTS * 1 EXISTS"}));
}

TEST(imap_response_parser, bare_lf_visible_when_lenient) {
  EXPECT_EQ(
      responses("* OK hi\n* 1 EXISTS\r\n"),
      (strings{"error line ended by a bare LF (CRLF required) @7", "data:EXISTS * 1 EXISTS"}));
  auto lim = imap_limits::responses();
  lim.allow_bare_lf = true;
  EXPECT_EQ(responses("* OK hi\n* 1 FETCH (BODY[] {1}\nx)\n", lim),
            (strings{"status:OK * OK hi [bare_lf]",
                     "data:FETCH * 1 FETCH (BODY[] {1}\\r\\nx) [bare_lf]"}));
}

TEST(imap_response_parser, hostile_literal_sizes_are_bounded) {
  response_parser p;
  const auto r = p.parse("* 1 FETCH (BODY[] {18446744073709551615}\r\n");
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error, imap_errc::literal_too_large);
  EXPECT_EQ(r.offset, 18u);
  EXPECT_LT(p.buffered(), 64u);
  auto lim = imap_limits::responses();
  lim.max_literal = 3;
  // The server does not wait: the refused data and the rest of the response are skipped.
  EXPECT_EQ(responses("* 1 FETCH (BODY[] {5}\r\nab)\r\n)\r\n* 2 EXISTS\r\n", lim),
            (strings{"error literal too large @18", "data:EXISTS * 2 EXISTS"}));
  EXPECT_EQ(responses("* 1 FETCH (BODY[] {99999999999999999999999}\r\n", lim),
            (strings{"error literal too large @18"}));
}

TEST(imap_response_parser, response_size_limit) {
  auto lim = imap_limits::responses();
  lim.max_message = 40;
  EXPECT_EQ(responses("* 1 FETCH (BODY[] {10}\r\n0123456789 X {30}\r\n" + std::string(30, 'z') +
                          ")\r\n* 2 EXISTS\r\n",
                      lim),
            (strings{"error message too large @40", "data:EXISTS * 2 EXISTS"}));
}

TEST(imap_response_parser, deep_nesting_refused) {
  auto lim = imap_limits::responses();
  lim.max_depth = 4;
  EXPECT_EQ(responses("* X ((((((1))))))\r\n* X ((1))\r\n", lim),
            (strings{"error nesting too deep @8", "data:OTHER * X ((1))"}));
}

TEST(imap_response_parser, incomplete_fetch_needs_more) {
  EXPECT_EQ(responses("* 1 FETCH (BODY[] {10}\r\n01234"), (strings{"need_more"}));
}

}  // namespace
}  // namespace mailtls::codec::imap

namespace mailtls::codec::imap {
namespace {

TEST(imap_response_parser, literal_filter_by_first_line) {
  EXPECT_FALSE(response_may_have_literals("+ {3}"));
  EXPECT_FALSE(response_may_have_literals("* OK {3}"));
  EXPECT_FALSE(response_may_have_literals("* bye {3}"));
  EXPECT_FALSE(response_may_have_literals("a1 NO {3}"));
  EXPECT_TRUE(response_may_have_literals("* 1 FETCH (BODY[] {3}"));
  EXPECT_TRUE(response_may_have_literals("* 5 OK {3}"));
  EXPECT_TRUE(response_may_have_literals("* LIST () \"/\" {3}"));
  EXPECT_FALSE(response_may_have_literals(""));
}

TEST(imap_response_parser, stream_offset_spans_literals) {
  response_parser p;
  std::string_view in = "* 1 FETCH (BODY[] {3}\r\nabc)\r\n* 2 EXISTS\r\n";
  auto r = p.parse(in);
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(r.consumed, 29u);
  in.remove_prefix(r.consumed);
  r = p.parse(in);
  ASSERT_TRUE(r.is_complete());
  EXPECT_EQ(p.get().number, 2u);
  EXPECT_EQ(p.stream_offset(), 41u);
}

}  // namespace
}  // namespace mailtls::codec::imap
