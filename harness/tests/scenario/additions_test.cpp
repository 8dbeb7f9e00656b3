// The language additions of the runner issue: `expect tls cipher`, `expect tls cert`, the
// `connect:` header, `starttls` without verify/insecure, and the lint checks bad_connect,
// mixed_protocols and matcher_protocol.
#include <gtest/gtest.h>

#include "scenario/lint.hpp"
#include "scenario/parser.hpp"
#include "scenario/printer.hpp"

namespace mailtls::scenario {
namespace {

std::vector<std::string> lint_text(std::string_view text) {
  parse_options o;
  o.loader = [](std::string_view) -> std::optional<std::string> { return "S: +OK *\n"; };
  const auto r = parse(text, "t.scn", o);
  EXPECT_TRUE(r.ok()) << r.error->to_string();
  std::vector<std::string> out;
  for (const auto& d : lint(r.value))
    out.push_back(d.to_string());
  return out;
}

constexpr std::string_view header = "id: t\ntitle: t\nrefs: RFC 8314\nkeywords: k\nseverity: low\n";

TEST(scenario_additions, parses_tls_cipher_and_cert_expectations) {
  const auto r = parse(
      "expect tls cipher TLS_AES_*_SHA384\n"
      "expect tls cert verified\n"
      "expect tls cert unverified\n",
      "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  ASSERT_EQ(r.value.statements_.size(), 3u);
  EXPECT_EQ(r.value.statements_[0].body_, statement_body(expect_tls_cipher{"TLS_AES_*_SHA384"}));
  EXPECT_EQ(r.value.statements_[1].body_, statement_body(expect_tls_cert{true}));
  EXPECT_EQ(r.value.statements_[2].body_, statement_body(expect_tls_cert{false}));
  EXPECT_EQ(print(r.value),
            "expect tls cipher TLS_AES_*_SHA384\n"
            "expect tls cert verified\n"
            "expect tls cert unverified\n");
}

TEST(scenario_additions, rejects_malformed_tls_expectations) {
  struct bad {
    std::string_view text;
    scenario_errc code;
    std::size_t column;
    std::string_view message;
  };
  const bad cases[] = {
      {"expect tls cipher", scenario_errc::bad_expect, 18,
       "t.scn:1: expected a cipher name or glob after 'expect tls cipher', got nothing"},
      {"expect tls cipher A B", scenario_errc::trailing_text, 21,
       "t.scn:1: expected the end of the line, got 'B'"},
      {"expect tls cert", scenario_errc::bad_expect, 16,
       "t.scn:1: expected verified, unverified, name <host>, not-expired or strong-key after "
       "'expect tls cert', got nothing"},
      {"expect tls cert valid", scenario_errc::bad_expect, 17,
       "t.scn:1: expected verified, unverified, name <host>, not-expired or strong-key after "
       "'expect tls cert', got 'valid'"},
      {"expect tls cert verified now", scenario_errc::trailing_text, 26,
       "t.scn:1: expected the end of the line, got 'now'"},
  };
  for (const auto& c : cases) {
    const auto r = parse(c.text, "t.scn");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error->code, make_error_code(c.code)) << c.text;
    EXPECT_EQ(r.error->column, c.column) << c.text;
    EXPECT_EQ(r.error->to_string(), c.message);
  }
}

TEST(scenario_additions, starttls_remembers_whether_verify_was_written) {
  const auto r = parse("starttls\nstarttls verify\nstarttls insecure sni a\n", "t");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_EQ(std::get<starttls>(r.value.statements_[0].body_).verify_, std::nullopt);
  EXPECT_EQ(std::get<starttls>(r.value.statements_[1].body_).verify_, true);
  EXPECT_EQ(std::get<starttls>(r.value.statements_[2].body_).verify_, false);
  EXPECT_EQ(print(r.value), "starttls\nstarttls verify\nstarttls insecure sni a\n");
}

TEST(scenario_additions, connect_header_is_typed_and_linted) {
  const auto plain = parse("connect: plain\nS: +OK *\n", "t");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain.value.connect_, connect_mode::plain);
  const auto tls = parse("connect: tls\n", "t");
  ASSERT_TRUE(tls.ok());
  EXPECT_EQ(tls.value.connect_, connect_mode::tls);
  const auto none = parse("id: x\n", "t");
  EXPECT_EQ(none.value.connect_, std::nullopt);

  EXPECT_EQ(lint_text(std::string(header) + "services: pop3s\nconnect: plain\nS: +OK *\n"),
            std::vector<std::string>{});
  EXPECT_EQ(lint_text(std::string(header) + "services: pop3s\nconnect: starttls\nS: +OK *\n"),
            std::vector<std::string>{"t.scn:7: connect 'starttls' is not tls or plain"});
}

TEST(scenario_additions, lint_reports_mixed_protocols) {
  EXPECT_EQ(lint_text(std::string(header) + "services: smtp imaps submission pop3\nS: 220 *\n"),
            std::vector<std::string>{"t.scn:6: services of more than one protocol (smtp and imap "
                                     "and pop3): one file tests one protocol"});
  EXPECT_EQ(lint_text(std::string(header) + "services: smtp submission submissions\nS: 220 *\n"),
            std::vector<std::string>{});
}

TEST(scenario_additions, lint_reports_matchers_of_another_protocol) {
  EXPECT_EQ(lint_text(std::string(header) + "services: submission\n"
                                            "S: 220 *\n"
                                            "S: +OK ready\n"
                                            "S: tag OK *\n"
                                            "S: * CAPABILITY\n"
                                            "S: + go\n"
                                            "include pop.scn\n"),
            (std::vector<std::string>{
                "t.scn:8: 'S: +OK ready' is not a reply of smtp, the protocol of this scenario's "
                "services",
                "t.scn:9: 'S: tag OK *' is not a reply of smtp, the protocol of this scenario's "
                "services",
                "t.scn:10: 'S: * CAPABILITY *' is not a reply of smtp, the protocol of this "
                "scenario's services",
                "t.scn:11: 'S: + go' is not a reply of smtp, the protocol of this scenario's "
                "services",
                "pop.scn:1: 'S: +OK *' is not a reply of smtp, the protocol of this scenario's "
                "services",
            }));
  EXPECT_EQ(lint_text(std::string(header) + "services: imap\nS: * OK *\nS: 250 *\nS: + *\n"),
            std::vector<std::string>{"t.scn:8: 'S: 250 *' is not a reply of imap, the protocol "
                                     "of this scenario's services"});
  // POP3 SASL challenges are `+` too (RFC 5034 §4).
  EXPECT_EQ(lint_text(std::string(header) + "services: pop3\nS: +OK *\nS: + *\nS: -ERR *\n"),
            std::vector<std::string>{});
  // With mixed protocols only mixed_protocols is reported.
  EXPECT_EQ(lint_text(std::string(header) + "services: pop3 imap\nS: 250 *\n").size(), 1u);
}

}  // namespace
}  // namespace mailtls::scenario

namespace mailtls::scenario {
namespace {

TEST(scenario_additions, catches_rationale_and_repeat_headers) {
  const auto s = parse(
      "catches: smtp-starttls-injection  submission-auth-before-tls\n"
      "rationale: an attacker's command would run inside TLS\n"
      "repeat: 20\n"
      "S: 220 *\n",
      "t");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value.catches_,
            (std::vector<std::string>{"smtp-starttls-injection", "submission-auth-before-tls"}));
  EXPECT_EQ(s.value.rationale_, "an attacker's command would run inside TLS");
  EXPECT_EQ(s.value.repeat_, 20u);
  for (const char* bad : {"0", "101", "x", "5 5"}) {
    const auto r = parse(std::string("repeat: ") + bad + "\n", "t");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.repeat_, std::nullopt) << bad;
  }
  EXPECT_EQ(lint_text(std::string(header) + "services: smtp\nrepeat: 0\nS: 220 *\n"),
            std::vector<std::string>{"t.scn:7: repeat '0' is not a number from 1 to 100"});
  EXPECT_EQ(
      lint_text(std::string(header) + "services: smtp\nrepeat: 8\nrationale: why\nS: 220 *\n"),
      std::vector<std::string>{});
}

}  // namespace
}  // namespace mailtls::scenario

namespace mailtls::scenario {
namespace {

TEST(scenario_additions, expect_close_skip) {
  const auto s =
      parse("expect close skip 31\nexpect close allow-alert skip 2\nexpect close\n", "t");
  ASSERT_TRUE(s.ok()) << s.error->to_string();
  EXPECT_EQ(std::get<expect_close>(s.value.statements_[0].body_).skip_lines_, 31u);
  EXPECT_TRUE(std::get<expect_close>(s.value.statements_[1].body_).allow_alert_);
  EXPECT_EQ(std::get<expect_close>(s.value.statements_[1].body_).skip_lines_, 2u);
  EXPECT_EQ(std::get<expect_close>(s.value.statements_[2].body_).skip_lines_, 0u);
  const auto printed = print(s.value);
  EXPECT_NE(printed.find("expect close skip 31\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("expect close allow-alert skip 2\n"), std::string::npos) << printed;
  for (const char* bad : {"expect close skip\n", "expect close skip 0\n", "expect close skip x\n",
                          "expect close skip 10001\n", "expect close skip 3 more\n"}) {
    EXPECT_FALSE(parse(bad, "t").ok()) << bad;
  }
}

}  // namespace
}  // namespace mailtls::scenario
