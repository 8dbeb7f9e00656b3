#include "scenario/parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "example.hpp"

namespace mailtls::scenario {
namespace {

statement at(statement_body b, std::size_t line, std::size_t file = 0) {
  return {std::move(b), file, line};
}

statement_body smtp(std::vector<std::string> codes, std::vector<capability_assertion> caps = {}) {
  reply_matcher m;
  m.kind_ = reply_matcher::kind::smtp;
  m.codes_ = std::move(codes);
  m.capabilities_ = std::move(caps);
  return expect_reply{m};
}

statement_body verified_starttls() {
  starttls s;
  s.verify_ = true;
  return s;
}

statement_body send(std::string text) {
  return send_line{{{text_part::kind::literal, std::move(text)}}, true};
}

// Parses `text` as t.scn and returns the error rendered as `file:line: message`, or "ok".
std::string error_of(std::string_view text, const parse_options& o = {}) {
  const auto r = parse(text, "t.scn", o);
  return r.ok() ? "ok" : r.error->to_string();
}

TEST(scenario_parser, parses_the_example_into_the_exact_ast) {
  const auto r = parse(test::example_scn, "submission-auth-before-starttls.scn");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const scenario& s = r.value;
  EXPECT_EQ(s.files_, std::vector<std::string>{"submission-auth-before-starttls.scn"});
  ASSERT_EQ(s.headers_.size(), 7u);
  EXPECT_EQ(s.headers_[0], (header{"id", "submission-auth-before-starttls", 1}));
  EXPECT_EQ(s.headers_[6], (header{"requires", "STARTTLS", 7}));
  EXPECT_EQ(s.id_, "submission-auth-before-starttls");
  EXPECT_EQ(s.title_, "Submission refuses AUTH before STARTTLS");
  EXPECT_EQ(s.services_, std::vector<std::string>{"submission"});
  EXPECT_EQ(s.refs_, (std::vector<std::string>{"RFC 3207 \xC2\xA7"
                                               "4",
                                               "RFC 4954 \xC2\xA7"
                                               "4"}));
  EXPECT_EQ(s.keywords_, (std::vector<std::string>{"starttls", "auth", "cleartext"}));
  EXPECT_EQ(s.severity_, severity_level::critical);
  EXPECT_EQ(s.requires_, std::vector<std::string>{"STARTTLS"});
  EXPECT_EQ(s.timeout_ms_, std::nullopt);
  EXPECT_EQ(s.profile_, std::nullopt);

  const std::vector<statement> expected = {
      at(smtp({"220"}), 9),
      at(send("EHLO mailtls.test"), 10),
      at(smtp({"250"}, {{"STARTTLS", true}, {"AUTH=PLAIN", false}}), 11),
      at(send_line{{{text_part::kind::literal, "AUTH PLAIN "},
                    {text_part::kind::variable, "sasl_plain"}},
                   true},
         12),
      at(smtp({"530", "538"}), 13),
      at(verified_starttls(), 14),
      at(send("EHLO mailtls.test"), 15),
      at(smtp({"250"}, {{"AUTH", true}, {"STARTTLS", false}}), 16),
      at(send("QUIT"), 17),
      at(smtp({"221"}), 18),
      at(expect_close{}, 19),
  };
  ASSERT_EQ(s.statements_.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(s.statements_[i], expected[i]) << "statement " << i;
  }
}

TEST(scenario_parser, accepts_crlf_line_ends_and_comment_only_lines) {
  const auto r = parse("# leading comment\r\nid: x\r\n\r\n  # indented\r\nC: NOOP # why\r\n", "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  ASSERT_EQ(r.value.statements_.size(), 1u);
  EXPECT_EQ(r.value.statements_[0], at(send("NOOP"), 5));
}

TEST(scenario_parser, hash_inside_a_word_or_a_string_is_not_a_comment) {
  const auto r = parse("C: MAIL FROM:<a#b@x>\nsend \"a #b\"\n", "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_EQ(r.value.statements_[0].body_, send("MAIL FROM:<a#b@x>"));
  EXPECT_EQ(r.value.statements_[1].body_, statement_body(send_raw{"a #b"}));
}

TEST(scenario_parser, parses_every_statement_kind) {
  const auto r = parse(
      "timeout: 5s\nprofile: strict\n"
      "C+: DATA\n"
      "send \"\\r\\n.\\r\\n\\x00\\t\\\\\\\"\"\n"
      "starttls insecure sni mx.example min TLS1.2 max TLSv1.3 ciphers ECDHE+AESGCM\n"
      "expect silence 500ms\n"
      "expect tls version TLSv1.3\n"
      "expect tls fail\n"
      "set user = \"a b\\x41\"\n"
      "set pass = plain text\n",
      "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const auto& s = r.value;
  EXPECT_EQ(s.timeout_ms_, 5000u);
  EXPECT_EQ(s.profile_, profile_kind::strict);
  ASSERT_EQ(s.statements_.size(), 8u);
  EXPECT_EQ(s.statements_[0].body_,
            statement_body(send_line{{{text_part::kind::literal, "DATA"}}, false}));
  EXPECT_EQ(s.statements_[1].body_, statement_body(send_raw{std::string("\r\n.\r\n\0\t\\\"", 9)}));
  starttls want;
  want.verify_ = false;
  want.sni_ = "mx.example";
  want.min_ = tls_version::tls1_2;
  want.max_ = tls_version::tls1_3;
  want.ciphers_ = "ECDHE+AESGCM";
  EXPECT_EQ(s.statements_[2].body_, statement_body(want));
  EXPECT_EQ(s.statements_[3].body_, statement_body(expect_silence{500}));
  EXPECT_EQ(s.statements_[4].body_, statement_body(expect_tls_version{tls_version::tls1_3}));
  EXPECT_EQ(s.statements_[5].body_, statement_body(expect_tls_fail{}));
  EXPECT_EQ(s.statements_[6].body_, statement_body(set_variable{"user", "a bA"}));
  EXPECT_EQ(s.statements_[7].body_, statement_body(set_variable{"pass", "plain text"}));
  EXPECT_EQ(s.statements_[7].line_, 10u);
}

TEST(scenario_parser, unknown_header_values_are_kept_for_lint) {
  const auto r = parse("severity: fatal\nprofile: lax\nseverity: low\nfoo: bar\n", "t");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.severity_, std::nullopt);  // the first occurrence counts
  EXPECT_EQ(r.value.profile_, std::nullopt);
  EXPECT_EQ(r.value.headers_.size(), 4u);
  EXPECT_EQ(r.value.headers_[3], (header{"foo", "bar", 4}));
}

TEST(scenario_parser, each_error_has_its_code_and_exact_message) {
  struct error_case {
    std::string_view text;
    scenario_errc code;
    std::size_t column;
    std::string message;
  };
  const error_case cases[] = {
      {"C: a\x01", scenario_errc::invalid_character, 5,
       "t.scn:1: expected printable text, got byte 0x01"},
      {"C: a\rb", scenario_errc::invalid_character, 5,
       "t.scn:1: expected printable text, got byte 0x0D"},
      {"C: a\nid: x", scenario_errc::header_after_body, 1,
       "t.scn:2: expected a statement after the first statement, got the header 'id:'"},
      {"id:   # nothing", scenario_errc::empty_header_value, 4,
       "t.scn:1: expected a value after 'id:', got nothing"},
      {"\n  HELO x", scenario_errc::unknown_statement, 3,
       "t.scn:2: expected C:, C+:, S:, send, starttls, expect, include, set or timeout, got "
       "'HELO'"},
      {"send abc", scenario_errc::expected_string, 6,
       "t.scn:1: expected a double-quoted string after 'send', got 'abc'"},
      {"send \"abc", scenario_errc::unterminated_string, 6,
       "t.scn:1: expected a closing '\"', got the end of the line"},
      {"send \"a\\q\"", scenario_errc::bad_escape, 8,
       "t.scn:1: expected one of \\r \\n \\t \\0 \\\\ \\\" \\xHH, got '\\q'"},
      {"send \"\\x4g\"", scenario_errc::bad_escape, 7,
       "t.scn:1: expected two hex digits after \\x, got '\\x4g'"},
      {"send \"a\" b", scenario_errc::trailing_text, 9,
       "t.scn:1: expected the end of the line after the string, got 'b'"},
      {"C: AUTH ${user", scenario_errc::unterminated_variable, 9,
       "t.scn:1: expected '}' closing '${', got the end of the line"},
      {"C: AUTH ${User}", scenario_errc::bad_variable_name, 11,
       "t.scn:1: expected a variable name [a-z_][a-z0-9_]*, got 'User'"},
      {"set user", scenario_errc::bad_set, 5,
       "t.scn:1: expected 'name = value' after 'set', got 'user'"},
      {"set 9x = 1", scenario_errc::bad_variable_name, 5,
       "t.scn:1: expected a variable name [a-z_][a-z0-9_]*, got '9x'"},
      {"timeout: 5m", scenario_errc::bad_duration, 10,
       "t.scn:1: expected a duration like 500ms or 5s, got '5m'"},
      {"expect silence 0ms", scenario_errc::duration_out_of_range, 16,
       "t.scn:1: expected a duration from 1ms to 3600000ms, got '0ms'"},
      {"expect silence 99999999999999999999999s", scenario_errc::duration_out_of_range, 16,
       "t.scn:1: expected a duration from 1ms to 3600000ms, got '99999999999999999999999s'"},
      {"expect silence", scenario_errc::bad_duration, 15,
       "t.scn:1: expected a duration after 'expect silence', got nothing"},
      {"expect tls version SSLv3", scenario_errc::bad_tls_version, 20,
       "t.scn:1: expected TLS1.0, TLS1.1, TLS1.2 or TLS1.3, got 'SSLv3'"},
      {"expect close now", scenario_errc::trailing_text, 14,
       "t.scn:1: expected the end of the line, got 'now'"},
      {"expect reply", scenario_errc::bad_expect, 8,
       "t.scn:1: expected close, abort, silence <duration>, tls version <version>, tls cipher "
       "<glob>, "
       "tls cert <property> or tls fail after 'expect', got 'reply'"},
      {"starttls fast", scenario_errc::bad_starttls_option, 10,
       "t.scn:1: expected verify, insecure, sni, min, max, ciphers, alpn or optional, got 'fast'"},
      {"starttls sni", scenario_errc::bad_starttls_option, 10,
       "t.scn:1: expected a value after 'sni', got nothing"},
      {"starttls verify insecure", scenario_errc::duplicate_starttls_option, 17,
       "t.scn:1: expected each starttls option once, got 'insecure' again"},
      {"starttls min TLS1.2 min TLS1.3", scenario_errc::duplicate_starttls_option, 21,
       "t.scn:1: expected each starttls option once, got 'min' again"},
      {"starttls min TLS1.4", scenario_errc::bad_tls_version, 14,
       "t.scn:1: expected TLS1.0, TLS1.1, TLS1.2 or TLS1.3, got 'TLS1.4'"},
      {"starttls min TLS1.3 max TLS1.2", scenario_errc::tls_version_range, 25,
       "t.scn:1: expected min <= max, got min TLSv1.3 and max TLSv1.2"},
      {"S:   # nothing", scenario_errc::missing_matcher, 3,
       "t.scn:1: expected a reply matcher after 'S:', got nothing"},
      {"S: 650 *", scenario_errc::bad_reply_code, 4,
       "t.scn:1: expected a reply code like 250, 5xx or {530,538}, got '650'"},
      {"S: {530,53} *", scenario_errc::bad_code_set, 9,
       "t.scn:1: expected a reply code like 250, 5xx or ~503 in the set, got '53'"},
      {"S: {530 *", scenario_errc::bad_code_set, 4,
       "t.scn:1: expected '}' closing the set, got the end of the line"},
      {"S: {530,538}#x", scenario_errc::bad_code_set, 13,
       "t.scn:1: expected a blank after '}', got '#'"},
      {"S: a1 YES *", scenario_errc::bad_imap_status, 7,
       "t.scn:1: expected OK, NO or BAD after the tag 'a1', got 'YES'"},
      {"S: a1 {OK,MAYBE}", scenario_errc::bad_imap_status, 11,
       "t.scn:1: expected OK, NO, BAD or ~BAD in the set, got 'MAYBE'"},
      {"S: *", scenario_errc::missing_matcher, 5,
       "t.scn:1: expected an untagged response keyword after '*', got nothing"},
      {"S: 250 [+STARTTLS AUTH]", scenario_errc::bad_capability_assertion, 19,
       "t.scn:1: expected +CAPABILITY or -CAPABILITY, got 'AUTH'"},
      {"S: 250 /abc", scenario_errc::bad_regex, 8,
       "t.scn:1: expected a non-empty /regex/, got '/abc'"},
      {"S: 250 * -> 1x", scenario_errc::bad_variable_name, 10,
       "t.scn:1: expected a capture name [a-z_][a-z0-9_]* after '->', got '1x'"},
      {"include", scenario_errc::include_not_found, 1,
       "t.scn:1: expected a path after 'include', got nothing"},
      {"include p.scn", scenario_errc::include_without_loader, 1,
       "t.scn:1: expected no include (no loader given), got 'include p.scn'"},
  };
  for (const auto& c : cases) {
    const auto r = parse(c.text, "t.scn");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error->code, make_error_code(c.code)) << c.text;
    EXPECT_EQ(r.error->column, c.column) << c.text;
    EXPECT_EQ(r.error->to_string(), c.message) << c.text;
  }
}

TEST(scenario_parser, error_category_names_the_module) {
  const std::error_code ec = scenario_errc::include_cycle;
  EXPECT_STREQ(ec.category().name(), "mailtls.scenario");
  EXPECT_EQ(ec.message(), "include cycle");
}

TEST(scenario_parser, limits_bound_file_size_lines_and_statements) {
  parse_options o;
  o.limits.max_file_size = 16;
  EXPECT_EQ(error_of("C: 0123456789abcdef", o), "t.scn:1: expected at most 16 bytes, got 19");
  o = {};
  o.limits.max_line_length = 8;
  EXPECT_EQ(error_of("C: a\nC: 0123456789\n", o),
            "t.scn:2: expected at most 8 bytes in a line, got 13");
  o = {};
  o.limits.max_statements = 2;
  EXPECT_EQ(error_of("C: a\nC: b\nC: c\n", o), "t.scn:3: expected at most 2 statements, got more");
  EXPECT_EQ(error_of("C: a\nC: b\n", o), "ok");
}

}  // namespace
}  // namespace mailtls::scenario
