#include "scenario/lint.hpp"

#include <gtest/gtest.h>

#include "example.hpp"
#include "scenario/parser.hpp"

namespace mailtls::scenario {
namespace {

std::vector<std::string> lint_text(std::string_view text, std::string_view file = "t.scn",
                                   std::string_view lint_name = {}) {
  const auto r = parse(text, file);
  EXPECT_TRUE(r.ok()) << r.error->to_string();
  std::vector<std::string> out;
  for (const auto& d : lint(r.value, lint_name))
    out.push_back(d.to_string());
  return out;
}

TEST(scenario_lint, the_example_is_clean) {
  EXPECT_EQ(lint_text(test::example_scn, "scenarios/submission-auth-before-starttls.scn",
                      "scenarios/submission-auth-before-starttls.scn"),
            std::vector<std::string>{});
}

TEST(scenario_lint, id_must_match_the_file_name) {
  EXPECT_EQ(lint_text(test::example_scn, "x/other.scn", "x/other.scn"),
            std::vector<std::string>{"x/other.scn:0: id 'submission-auth-before-starttls' does "
                                     "not match the file name 'other'"});
}

TEST(scenario_lint, reports_missing_headers_and_no_reply) {
  const auto r = parse("title: t\nC: QUIT\n", "t.scn");
  ASSERT_TRUE(r.ok());
  const auto d = lint(r.value);
  std::vector<lint_check> checks;
  for (const auto& x : d)
    checks.push_back(x.check);
  EXPECT_EQ(checks, (std::vector<lint_check>{lint_check::missing_header, lint_check::missing_header,
                                             lint_check::missing_header, lint_check::missing_header,
                                             lint_check::missing_header, lint_check::no_reply}));
  EXPECT_EQ(d[0].to_string(), "t.scn:0: missing required header 'id:'");
  EXPECT_EQ(d[4].to_string(), "t.scn:0: missing required header 'severity:'");
  EXPECT_EQ(d[5].to_string(),
            "t.scn:0: no 'S:' statement and no TLS expectation: the scenario checks nothing");
}

TEST(scenario_lint, reports_bad_values_duplicates_and_unknown_keys) {
  const auto d = lint_text(
      "id: Bad_Id\n"
      "title: t\n"
      "services: smtp smtps\n"
      "refs: RFC 3207; rfc 4954; CVE-2023-51764; RFC 5321 4.1\n"
      "keywords: k\n"
      "severity: fatal\n"
      "profile: lax\n"
      "title: again\n"
      "author: me\n"
      "S: 220 *\n");
  EXPECT_EQ(d,
            (std::vector<std::string>{
                "t.scn:1: id 'Bad_Id' is not [a-z0-9-]+",
                "t.scn:3: unknown service 'smtps' (expected smtp submission submissions pop3 "
                "pop3s imap imaps)",
                "t.scn:4: ref 'rfc 4954' is not 'RFC <n>', 'RFC <n> \xC2\xA7<section>' or "
                "'CVE-YYYY-NNNN'",
                "t.scn:4: ref 'RFC 5321 4.1' is not 'RFC <n>', 'RFC <n> \xC2\xA7<section>' or "
                "'CVE-YYYY-NNNN'",
                "t.scn:6: severity 'fatal' is not critical, high, medium, low or info",
                "t.scn:7: profile 'lax' is not default, rfc or strict",
                "t.scn:8: duplicate header 'title:' (the first one counts)",
                "t.scn:9: unknown header 'author:' (expected one of id title services refs "
                "keywords severity requires timeout profile connect catches rationale repeat role)",
            }));
}

}  // namespace
}  // namespace mailtls::scenario
