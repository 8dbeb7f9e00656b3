// The server role (`role: server`): flipped prefixes, `starttls cert`, `expect abort`, lint of
// statements of the other role, and the parse -> print -> parse round trip.
#include <gtest/gtest.h>

#include "scenario/lint.hpp"
#include "scenario/parser.hpp"
#include "scenario/printer.hpp"

namespace mailtls::scenario {
namespace {

constexpr std::string_view header =
    "id: t\ntitle: t\nservices: submission\nrefs: RFC 3207\nkeywords: client\nseverity: high\n"
    "role: server\n";

parse_outcome parse_server(std::string_view body) {
  return parse(std::string(header) + std::string(body), "t.scn");
}

TEST(scenario_server_role, role_header_defaults_to_client) {
  const auto r = parse("id: t\nC: EHLO x\n", "t.scn");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value.role_.has_value());
  EXPECT_EQ(r.value.role(), scenario_role::client);
  const auto s = parse_server("S: 220 x\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value.role(), scenario_role::server);
  EXPECT_EQ(to_name(scenario_role::server), "server");
  EXPECT_EQ(role_from_name("client"), scenario_role::client);
  EXPECT_EQ(role_from_name("both"), std::nullopt);
}

TEST(scenario_server_role, prefixes_flip) {
  const auto r = parse_server(
      "S: 220 ${host} ESMTP\n"
      "C: ehlo * -> hello\n"
      "S+: 250-x\n"
      "C: *\n"
      "C:\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const auto& st = r.value.statements_;
  ASSERT_EQ(st.size(), 5u);
  const auto& s0 = std::get<server_send>(st[0].body_);
  EXPECT_TRUE(s0.crlf_);
  EXPECT_EQ(s0.text_, (text_template{{text_part::kind::literal, "220 "},
                                     {text_part::kind::variable, "host"},
                                     {text_part::kind::literal, " ESMTP"}}));
  const auto& c1 = std::get<expect_command>(st[1].body_);
  EXPECT_EQ(c1.pattern_.kind_, text_pattern::kind::glob);
  EXPECT_EQ(c1.pattern_.value_, "ehlo *");
  EXPECT_EQ(c1.capture_, "hello");
  EXPECT_FALSE(std::get<server_send>(st[2].body_).crlf_);
  EXPECT_EQ(std::get<expect_command>(st[3].body_).pattern_.kind_, text_pattern::kind::any);
  EXPECT_EQ(std::get<expect_command>(st[4].body_).pattern_.kind_, text_pattern::kind::any);
  EXPECT_EQ(st[1].line_, 9u);
}

TEST(scenario_server_role, starttls_takes_cert_and_versions) {
  const auto r = parse_server(
      "starttls\n"
      "starttls cert wrong-name max TLS1.2\n"
      "starttls min TLSv1.0 max TLS1.0 cert wildcard-mismatch\n");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const auto& a = std::get<serve_tls>(r.value.statements_[0].body_);
  EXPECT_EQ(a.cert_, cert_kind::good);
  EXPECT_FALSE(a.cert_written_);
  const auto& b = std::get<serve_tls>(r.value.statements_[1].body_);
  EXPECT_EQ(b.cert_, cert_kind::wrong_name);
  EXPECT_EQ(b.max_, tls_version::tls1_2);
  EXPECT_EQ(b.min_, std::nullopt);
  const auto& c = std::get<serve_tls>(r.value.statements_[2].body_);
  EXPECT_EQ(c.cert_, cert_kind::wildcard_mismatch);
  EXPECT_EQ(c.min_, tls_version::tls1_0);
  for (auto k : {cert_kind::good, cert_kind::self_signed, cert_kind::unknown_ca,
                 cert_kind::wrong_name, cert_kind::expired, cert_kind::wildcard_mismatch}) {
    EXPECT_EQ(cert_kind_from_name(to_name(k)), k);
  }
}

TEST(scenario_server_role, errors_name_line_and_column) {
  struct bad {
    std::string_view body;
    scenario_errc code;
    std::string message;
  };
  const bad cases[] = {
      {"starttls verify\n", scenario_errc::bad_starttls_option,
       "t.scn:8: expected cert, min or max (role: server), got 'verify'"},
      {"starttls cert bogus\n", scenario_errc::bad_starttls_option,
       "t.scn:8: expected good, self-signed, unknown-ca, wrong-name, expired or wildcard-mismatch "
       "after 'cert', got 'bogus'"},
      {"starttls cert expired cert good\n", scenario_errc::duplicate_starttls_option,
       "t.scn:8: expected each starttls option once, got 'cert' again"},
      {"starttls min TLS1.3 max TLS1.2\n", scenario_errc::tls_version_range,
       "t.scn:8: expected min <= max, got min TLSv1.3 and max TLSv1.2"},
      {"C+: EHLO\n", scenario_errc::unknown_statement,
       "t.scn:8: expected C: (a whole line from the client) in a server-role file, got 'C+:'"},
      {"C: x -> Bad\n", scenario_errc::bad_variable_name,
       "t.scn:8: expected a capture name [a-z_][a-z0-9_]* after '->', got 'Bad'"},
      {"S: ${\n", scenario_errc::unterminated_variable,
       "t.scn:8: expected '}' closing '${', got the end of the line"},
      {"expect abort now\n", scenario_errc::trailing_text,
       "t.scn:8: expected the end of the line, got 'now'"},
      {"wait 1s\n", scenario_errc::unknown_statement,
       "t.scn:8: expected S:, S+:, C:, send, starttls, expect, include, set or timeout (role: "
       "server), got 'wait'"},
  };
  for (const auto& c : cases) {
    const auto r = parse_server(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error->code, make_error_code(c.code)) << c.body;
    EXPECT_EQ(r.error->to_string(), c.message);
  }
  const auto col = parse_server("starttls cert bogus\n");
  EXPECT_EQ(col.error->column, 15u);
  // In a client-role file `S+:` is not a statement and `starttls cert` not an option.
  EXPECT_FALSE(parse("S+: x\n", "t.scn").ok());
  EXPECT_EQ(parse("starttls cert good\n", "t.scn").error->code,
            make_error_code(scenario_errc::bad_starttls_option));
}

TEST(scenario_server_role, expect_abort_parses_in_both_roles) {
  const auto s = parse_server("expect abort\n");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(std::holds_alternative<expect_abort>(s.value.statements_[0].body_));
  const auto c = parse("expect abort\n", "t.scn");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(std::holds_alternative<expect_abort>(c.value.statements_[0].body_));
}

TEST(scenario_server_role, includes_are_read_in_the_main_file_role) {
  parse_options o;
  o.loader = [](std::string_view) -> std::optional<std::string> {
    return std::string("S: 250 ok\nC: QUIT\n");
  };
  const auto r = parse(std::string(header) + "include tail.scn\n", "t.scn", o);
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  ASSERT_EQ(r.value.statements_.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<server_send>(r.value.statements_[0].body_));
  EXPECT_TRUE(std::holds_alternative<expect_command>(r.value.statements_[1].body_));
  EXPECT_EQ(r.value.statements_[1].file_, 1u);
}

TEST(scenario_server_role, print_parse_round_trip) {
  const std::string text = std::string(header) +
                           "S: 220 ${host} ESMTP\n"
                           "C: EHLO * -> hello\n"
                           "S+:#x\n"
                           "C: *\n"
                           "C: #weird\n"
                           "send \"220 Ready\\r\\n250 AUTH LOGIN\\r\\n\"\n"
                           "starttls cert expired min TLS1.2\n"
                           "starttls\n"
                           "expect tls fail\n"
                           "expect silence 500ms\n"
                           "expect abort\n"
                           "expect close\n"
                           "timeout 2s\n"
                           "set x = y\n";
  const auto r = parse(text, "t.scn");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  const auto printed = print(r.value);
  EXPECT_NE(printed.find("role: server\n"), std::string::npos);
  EXPECT_NE(printed.find("\nS: 220 ${host} ESMTP\nC: EHLO * -> hello\nS+:#x\n"), std::string::npos)
      << printed;
  EXPECT_NE(printed.find("\nstarttls cert expired min TLSv1.2\nstarttls\nexpect tls fail\n"),
            std::string::npos)
      << printed;
  EXPECT_NE(printed.find("\nexpect abort\nexpect close\n"), std::string::npos);
  const auto back = parse(printed, "t.scn");
  ASSERT_TRUE(back.ok()) << back.error->to_string();
  EXPECT_EQ(back.value.headers_, r.value.headers_);
  ASSERT_EQ(back.value.statements_.size(), r.value.statements_.size());
  for (std::size_t i = 0; i < r.value.statements_.size(); ++i) {
    EXPECT_EQ(back.value.statements_[i].body_, r.value.statements_[i].body_) << i;
  }
  EXPECT_EQ(print(back.value), printed);
}

std::vector<std::string> lint_strings(const scenario& s) {
  std::vector<std::string> out;
  for (const auto& d : lint(s))
    out.push_back(d.to_string());
  return out;
}

TEST(scenario_server_role, lint_accepts_a_server_file) {
  const auto r = parse_server("S: 220 x\nC: EHLO *\nS: 250 x\nexpect abort\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(lint_strings(r.value), std::vector<std::string>{});
}

TEST(scenario_server_role, lint_reports_statements_of_the_other_role) {
  const auto s = parse_server("S: 220 x\nexpect tls version TLS1.3\nexpect abort\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(lint_strings(s.value),
            std::vector<std::string>{"t.scn:9: 'expect tls version TLSv1.3' is a client-role "
                                     "statement, not for a server-role file"});
  const auto c = parse(
      "id: t\ntitle: t\nservices: smtp\nrefs: RFC 3207\nkeywords: x\nseverity: high\n"
      "S: 220 *\nexpect abort\n",
      "t.scn");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(lint(c.value).size(), 1u);
  EXPECT_EQ(lint(c.value)[0].check, lint_check::role_statement);
  EXPECT_EQ(lint(c.value)[0].to_string(),
            "t.scn:8: 'expect abort' is a server-role statement (role: server), not for a "
            "client-role file");
}

TEST(scenario_server_role, lint_reports_a_bad_role_and_nothing_checked) {
  const auto r = parse(
      "id: t\ntitle: t\nservices: smtp\nrefs: RFC 3207\nkeywords: x\nseverity: high\n"
      "role: proxy\nS: 220 *\n",
      "t.scn");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(lint(r.value).size(), 1u);
  EXPECT_EQ(lint(r.value)[0].check, lint_check::bad_role);
  EXPECT_EQ(lint(r.value)[0].to_string(), "t.scn:7: role 'proxy' is not client or server");
  // A server file that only sends checks nothing.
  const auto s = parse_server("S: 220 x\nS: 250 y\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(lint_strings(s.value),
            std::vector<std::string>{
                "t.scn:0: no 'C:' statement and no expectation: the scenario checks nothing"});
}

}  // namespace
}  // namespace mailtls::scenario
