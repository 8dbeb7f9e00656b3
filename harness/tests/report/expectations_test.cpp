#include "report/expectations.hpp"

#include <gtest/gtest.h>

#include "sample_run.hpp"

namespace mailtls::report {
namespace {

using runner::outcome;
using runner::service;
using test::sample_run;

expectations parsed(std::string_view text) {
  expectations e;
  std::string error;
  EXPECT_TRUE(parse_expectations(text, "x.expect", e, error)) << error;
  return e;
}

std::string parse_error(std::string_view text) {
  expectations e;
  std::string error;
  EXPECT_FALSE(parse_expectations(text, "x.expect", e, error));
  return error;
}

TEST(ReportExpectations, ParsesEntriesCommentsAndServices) {
  const auto e = parsed(
      "# known deviations\n"
      "\n"
      "fail  smtp-auth-before-tls  submission smtp   # reason\n"
      "  error imaps-login\r\n"
      "skip pop3-capa");
  ASSERT_EQ(e.entries.size(), 3u);
  EXPECT_EQ(e.entries[0].expected, outcome::fail);
  EXPECT_EQ(e.entries[0].scenario_id, "smtp-auth-before-tls");
  EXPECT_EQ(e.entries[0].services, (std::vector<service>{service::submission, service::smtp}));
  EXPECT_EQ(e.entries[0].line, 3u);
  EXPECT_EQ(e.entries[1].expected, outcome::error);
  EXPECT_EQ(e.entries[1].scenario_id, "imaps-login");
  EXPECT_TRUE(e.entries[1].services.empty());
  EXPECT_EQ(e.entries[1].line, 4u);
  EXPECT_EQ(e.entries[2].expected, outcome::skip);
  EXPECT_EQ(e.entries[2].line, 5u);
}

TEST(ReportExpectations, SyntaxErrorsNameFileAndLine) {
  EXPECT_EQ(parse_error("fail a\nbroken b\n"),
            "x.expect:2: expected an outcome (pass, fail, error, skip), got 'broken'");
  EXPECT_EQ(parse_error("\nfail   # no id\n"), "x.expect:2: expected a scenario id after 'fail'");
  EXPECT_EQ(parse_error("fail a smtps\n"),
            "x.expect:1: unknown service 'smtps' (smtp, submission, submissions, pop3, pop3s, "
            "imap, imaps)");
  EXPECT_EQ(parse_error("fail a smtp\nerror a imap smtp\n"),
            "x.expect:2: 'a' is already expected on line 1 for the same service");
  EXPECT_EQ(parse_error("fail a\nerror a imap\n"),
            "x.expect:2: 'a' is already expected on line 1 for the same service");
  // The same id for different services is fine.
  EXPECT_EQ(parsed("fail a smtp\nerror a imap\n").entries.size(), 2u);
}

// sample_run(): smtp-ehlo pass and smtp-auth-before-tls fail on submission; an error on imaps;
// a skip and a pass on pop3.
TEST(ReportExpectations, ExactBaselineMatches) {
  const run r = sample_run();
  const auto res = compare(r, parsed("fail smtp-auth-before-tls submission\n"
                                     "error " +
                                     r.cases[2].scenario_id + "\n"));
  EXPECT_TRUE(res.mismatches.empty()) << res.mismatches.front();
  EXPECT_EQ(res.matched, r.cases.size());
  EXPECT_EQ(res.expected_failures, 2u);
}

TEST(ReportExpectations, UnlistedFailureAndWrongOutcomeAndStaleEntry) {
  const run r = sample_run();
  const auto res = compare(r, parsed("pass smtp-auth-before-tls\n"
                                     "fail smtp-ehlo imap\n"
                                     "fail no-such-scenario\n"));
  ASSERT_EQ(res.mismatches.size(), 4u);
  EXPECT_EQ(res.mismatches[0],
            "FAIL  submission  smtp-auth-before-tls: expected pass (x.expect:1)");
  EXPECT_EQ(res.mismatches[1],
            "ERROR  imaps  " + r.cases[2].scenario_id + ": expected pass (not listed in x.expect)");
  // smtp-ehlo ran on submission only: the imap entry matched nothing.
  EXPECT_EQ(res.mismatches[2], "x.expect:2: expected fail for 'smtp-ehlo', but no such case ran");
  EXPECT_EQ(res.mismatches[3],
            "x.expect:3: expected fail for 'no-such-scenario', but no such case ran");
  EXPECT_EQ(res.expected_failures, 0u);
}

TEST(ReportExpectations, ExpectedFailureThatNowPassesIsAMismatch) {
  run r = sample_run();
  r.cases[1].result.v.result = outcome::pass;  // smtp-auth-before-tls was fixed
  const auto res =
      compare(r, parsed("fail smtp-auth-before-tls\nerror " + r.cases[2].scenario_id + "\n"));
  ASSERT_EQ(res.mismatches.size(), 1u);
  EXPECT_EQ(res.mismatches[0],
            "PASS  submission  smtp-auth-before-tls: expected fail (x.expect:1)");
}

}  // namespace
}  // namespace mailtls::report
