// The TLS statements of the catalogue issue: `timeout D`, `starttls ... alpn LIST` and
// `... optional`, `expect close allow-alert`, `expect tls cert name|not-expired|strong-key`:
// parsing, errors, and the parse-print-parse round trip.
#include <gtest/gtest.h>

#include "scenario/lint.hpp"
#include "scenario/parser.hpp"
#include "scenario/printer.hpp"

namespace mailtls::scenario {
namespace {

TEST(scenario_tls_statements, parses_timeout) {
  const auto r = parse("timeout 300s\ntimeout 250ms\n", "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  ASSERT_EQ(r.value.statements_.size(), 2u);
  EXPECT_EQ(r.value.statements_[0].body_, statement_body(set_timeout{300000}));
  EXPECT_EQ(r.value.statements_[1].body_, statement_body(set_timeout{250}));
  EXPECT_EQ(print(r.value), "timeout 300000ms\ntimeout 250ms\n");
}

TEST(scenario_tls_statements, timeout_statement_is_not_the_timeout_header) {
  const auto r = parse("id: t\ntimeout: 5s\nS: 220 *\ntimeout 10s\n", "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_EQ(r.value.timeout_ms_, 5000u);
  ASSERT_EQ(r.value.statements_.size(), 2u);
  EXPECT_EQ(r.value.statements_[1].body_, statement_body(set_timeout{10000}));
  EXPECT_EQ(r.value.statements_[1].line_, 4u);
}

TEST(scenario_tls_statements, parses_starttls_alpn_and_optional) {
  const auto r = parse(
      "starttls alpn http/1.1\n"
      "starttls insecure alpn h2,http/1.1 optional\n"
      "starttls optional\n",
      "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const auto& a = std::get<starttls>(r.value.statements_[0].body_);
  EXPECT_EQ(a.alpn_, (std::vector<std::string>{"http/1.1"}));
  EXPECT_FALSE(a.optional_);
  const auto& b = std::get<starttls>(r.value.statements_[1].body_);
  EXPECT_EQ(b.alpn_, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_TRUE(b.optional_);
  EXPECT_EQ(b.verify_, false);
  const auto& c = std::get<starttls>(r.value.statements_[2].body_);
  EXPECT_TRUE(c.alpn_.empty());
  EXPECT_TRUE(c.optional_);
  EXPECT_EQ(print(r.value),
            "starttls alpn http/1.1\n"
            "starttls insecure alpn h2,http/1.1 optional\n"
            "starttls optional\n");
}

TEST(scenario_tls_statements, parses_close_allow_alert) {
  const auto r = parse("expect close allow-alert\nexpect close\n", "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_EQ(r.value.statements_[0].body_, statement_body(expect_close{true}));
  EXPECT_EQ(r.value.statements_[1].body_, statement_body(expect_close{false}));
  EXPECT_EQ(print(r.value), "expect close allow-alert\nexpect close\n");
}

TEST(scenario_tls_statements, parses_certificate_checks) {
  const auto r = parse(
      "expect tls cert name ${servername}\n"
      "expect tls cert name mx.${domain}\n"
      "expect tls cert name 192.0.2.1\n"
      "expect tls cert not-expired\n"
      "expect tls cert strong-key\n",
      "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  ASSERT_EQ(r.value.statements_.size(), 5u);
  EXPECT_EQ(r.value.statements_[0].body_,
            statement_body(expect_tls_cert_name{{{text_part::kind::variable, "servername"}}}));
  EXPECT_EQ(r.value.statements_[1].body_,
            statement_body(expect_tls_cert_name{
                {{text_part::kind::literal, "mx."}, {text_part::kind::variable, "domain"}}}));
  EXPECT_EQ(r.value.statements_[2].body_,
            statement_body(expect_tls_cert_name{{{text_part::kind::literal, "192.0.2.1"}}}));
  EXPECT_EQ(r.value.statements_[3].body_,
            statement_body(expect_tls_cert_check{expect_tls_cert_check::kind::not_expired}));
  EXPECT_EQ(r.value.statements_[4].body_,
            statement_body(expect_tls_cert_check{expect_tls_cert_check::kind::strong_key}));
  EXPECT_EQ(print(r.value),
            "expect tls cert name ${servername}\n"
            "expect tls cert name mx.${domain}\n"
            "expect tls cert name 192.0.2.1\n"
            "expect tls cert not-expired\n"
            "expect tls cert strong-key\n");
}

TEST(scenario_tls_statements, rejects_malformed_statements) {
  struct bad {
    std::string_view text;
    scenario_errc code;
    std::size_t column;
    std::string_view message;
  };
  const bad cases[] = {
      {"timeout", scenario_errc::bad_duration, 8,
       "t.scn:1: expected a duration after 'timeout', got nothing"},
      {"timeout 5m", scenario_errc::bad_duration, 9,
       "t.scn:1: expected a duration like 500ms or 5s, got '5m'"},
      {"timeout 0s", scenario_errc::duration_out_of_range, 9,
       "t.scn:1: expected a duration from 1ms to 3600000ms, got '0s'"},
      {"timeout 5s now", scenario_errc::trailing_text, 12,
       "t.scn:1: expected the end of the line, got 'now'"},
      {"starttls alpn", scenario_errc::bad_starttls_option, 10,
       "t.scn:1: expected a value after 'alpn', got nothing"},
      {"starttls alpn a,,b", scenario_errc::bad_starttls_option, 17,
       "t.scn:1: expected ALPN protocol names of 1 to 255 bytes separated by ',', got 'a,,b'"},
      {"starttls alpn a,", scenario_errc::bad_starttls_option, 17,
       "t.scn:1: expected ALPN protocol names of 1 to 255 bytes separated by ',', got 'a,'"},
      {"starttls alpn a alpn b", scenario_errc::duplicate_starttls_option, 17,
       "t.scn:1: expected each starttls option once, got 'alpn' again"},
      {"starttls optional optional", scenario_errc::duplicate_starttls_option, 19,
       "t.scn:1: expected each starttls option once, got 'optional' again"},
      {"expect close now", scenario_errc::trailing_text, 14,
       "t.scn:1: expected the end of the line, got 'now'"},
      {"expect close allow-alert now", scenario_errc::trailing_text, 26,
       "t.scn:1: expected the end of the line, got 'now'"},
      {"expect tls cert name", scenario_errc::bad_expect, 21,
       "t.scn:1: expected a host name after 'expect tls cert name', got nothing"},
      {"expect tls cert name a b", scenario_errc::trailing_text, 24,
       "t.scn:1: expected the end of the line, got 'b'"},
      {"expect tls cert name ${Host}", scenario_errc::bad_variable_name, 24,
       "t.scn:1: expected a variable name [a-z_][a-z0-9_]*, got 'Host'"},
      {"expect tls cert strong-key 2048", scenario_errc::trailing_text, 28,
       "t.scn:1: expected the end of the line, got '2048'"},
      {"expect tls cert expired", scenario_errc::bad_expect, 17,
       "t.scn:1: expected verified, unverified, name <host>, not-expired or strong-key after "
       "'expect tls cert', got 'expired'"},
  };
  for (const auto& c : cases) {
    const auto r = parse(c.text, "t.scn");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error->code, make_error_code(c.code)) << c.text;
    EXPECT_EQ(r.error->column, c.column) << c.text;
    EXPECT_EQ(r.error->to_string(), c.message);
  }
}

TEST(scenario_tls_statements, tls_expectations_count_as_checks_for_lint) {
  const auto has_no_reply = [](std::string_view body) {
    const std::string text =
        "id: t\ntitle: t\nservices: submissions\nrefs: RFC 8314\nkeywords: k\nseverity: low\n" +
        std::string(body);
    const auto r = parse(text, "t.scn");
    EXPECT_TRUE(r.ok()) << r.error->to_string();
    for (const auto& d : lint(r.value, "t.scn")) {
      if (d.check == lint_check::no_reply) return true;
    }
    return false;
  };
  EXPECT_FALSE(has_no_reply("starttls alpn http/1.1\nexpect tls fail\n"));
  EXPECT_FALSE(has_no_reply("C: EHLO x\nexpect close allow-alert\n"));
  EXPECT_FALSE(has_no_reply("expect tls version TLS1.3\n"));
  EXPECT_FALSE(has_no_reply("expect tls cert name mx\n"));
  EXPECT_FALSE(has_no_reply("expect tls cert strong-key\n"));
  EXPECT_TRUE(has_no_reply("C: EHLO x\nexpect close\n"));
  EXPECT_TRUE(has_no_reply("starttls\ntimeout 5s\n"));
}

TEST(scenario_tls_statements, round_trip_of_a_whole_tls_scenario) {
  const std::string_view text =
      "id: tls-x\n"
      "title: t\n"
      "services: submissions\n"
      "connect: plain\n"
      "\n"
      "timeout 20s\n"
      "starttls verify sni mx.test min TLS1.2 alpn http/1.1 optional   # ALPACA\n"
      "expect tls fail\n"
      "expect close allow-alert\n"
      "expect tls cert name ${servername}\n"
      "expect tls cert not-expired\n"
      "expect tls cert strong-key\n";
  const auto a = parse(text, "a.scn");
  ASSERT_TRUE(a.ok()) << a.error->to_string();
  const auto printed = print(a.value);
  const auto b = parse(printed, "a.scn");
  ASSERT_TRUE(b.ok()) << b.error->to_string() << "\n" << printed;
  ASSERT_EQ(a.value.statements_.size(), b.value.statements_.size());
  for (std::size_t i = 0; i < a.value.statements_.size(); ++i)
    EXPECT_EQ(a.value.statements_[i].body_, b.value.statements_[i].body_) << i;
  EXPECT_EQ(print(b.value), printed);
}

}  // namespace
}  // namespace mailtls::scenario
