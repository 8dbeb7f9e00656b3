#include "report/model.hpp"

#include <gtest/gtest.h>

#include "report/matrix.hpp"
#include "report/names.hpp"
#include "sample_run.hpp"

namespace mailtls::report {
namespace {

using runner::outcome;
using test::make_case;
using test::sample_run;

TEST(ReportModel, CountsWholeRunAndPerTarget) {
  const run r = sample_run();
  const counts all = count(r);
  EXPECT_EQ(all.pass, 2u);
  EXPECT_EQ(all.fail, 1u);
  EXPECT_EQ(all.error, 1u);
  EXPECT_EQ(all.skip, 1u);
  EXPECT_EQ(all.total(), 5u);

  const counts t0 = count(r, 0);
  EXPECT_EQ(t0.pass, 1u);
  EXPECT_EQ(t0.fail, 1u);
  EXPECT_EQ(t0.total(), 2u);
  const counts t1 = count(r, 1);
  EXPECT_EQ(t1.error, 1u);
  EXPECT_EQ(t1.total(), 1u);
  const counts t2 = count(r, 2);
  EXPECT_EQ(t2.pass, 1u);
  EXPECT_EQ(t2.skip, 1u);
  EXPECT_EQ(count(r, 7).total(), 0u);
}

TEST(ReportModel, ExitStatus) {
  run r;
  r.targets = {{"smtp://h:25", runner::service::smtp, "h", 25}};
  EXPECT_EQ(exit_status(r), 0);  // nothing ran: nothing failed

  r.cases = {make_case("a", 0, outcome::pass, 1), make_case("b", 0, outcome::skip, 1)};
  EXPECT_EQ(exit_status(r), 0);

  r.cases.push_back(make_case("c", 0, outcome::error, 1));
  EXPECT_EQ(exit_status(r), 3);

  r.cases.push_back(make_case("d", 0, outcome::fail, 1));
  EXPECT_EQ(exit_status(r), 1);  // a failure wins over an error

  r.cases = {make_case("d", 0, outcome::fail, 1)};
  EXPECT_EQ(exit_status(r), 1);
  EXPECT_EQ(exit_status(sample_run()), 1);
}

TEST(ReportNames, Words) {
  EXPECT_EQ(verdict_word(outcome::error), "ERROR");
  EXPECT_EQ(verdict_word(outcome::skip), "SKIP");
  EXPECT_EQ(seconds(0), "0.000");
  EXPECT_EQ(seconds(1005), "1.005");
  EXPECT_EQ(seconds(61'230), "61.230");
  EXPECT_EQ(upper("pop3"), "POP3");
}

TEST(ReportNames, TargetOfOutOfRangeIsDefault) {
  const run r = sample_run();
  case_result c = make_case("x", 99, outcome::pass, 0);
  EXPECT_EQ(target_of(r, c).url, "");
  c.target_index = 1;
  EXPECT_EQ(target_of(r, c).url, "imaps://127.0.0.1:5993");
}

TEST(ReportMatrix, RowsCellsAndStates) {
  const auto rows = service_matrix(sample_run());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].proto, runner::protocol::smtp);
  ASSERT_EQ(rows[0].explicit_tls.size(), 2u);  // smtp, submission
  ASSERT_EQ(rows[0].implicit_tls.size(), 1u);  // submissions
  const matrix_entry& smtp = rows[0].explicit_tls[0];
  EXPECT_EQ(smtp.label, "smtp:25");  // not checked: the standard port
  EXPECT_EQ(smtp.targets, 0u);
  EXPECT_EQ(entry_state(smtp), "none");
  const matrix_entry& sub = rows[0].explicit_tls[1];
  EXPECT_EQ(sub.label, "submission:5587");  // its one target's port
  EXPECT_EQ(sub.c.pass, 1u);
  EXPECT_EQ(sub.c.fail, 1u);
  EXPECT_EQ(entry_state(sub), "fail");
  EXPECT_EQ(rows[1].explicit_tls[0].label, "pop3:5110");
  EXPECT_EQ(entry_state(rows[1].explicit_tls[0]), "pass");  // pass beats skip
  EXPECT_EQ(rows[2].implicit_tls[0].label, "imaps:5993");
  EXPECT_EQ(entry_state(rows[2].implicit_tls[0]), "error");
  EXPECT_EQ(rows[2].explicit_tls[0].label, "imap:143");
}

TEST(ReportMatrix, SeveralTargetsOfOneServiceShowTheStandardPort) {
  run r;
  r.targets = {{"smtp://a:2525", runner::service::smtp, "a", 2525},
               {"smtp://b:2526", runner::service::smtp, "b", 2526}};
  r.cases = {make_case("x", 0, outcome::pass, 1), make_case("x", 1, outcome::skip, 1)};
  const auto rows = service_matrix(r);
  EXPECT_EQ(rows[0].explicit_tls[0].label, "smtp:25");
  EXPECT_EQ(rows[0].explicit_tls[0].targets, 2u);
  EXPECT_EQ(rows[0].explicit_tls[0].c.total(), 2u);
}

}  // namespace
}  // namespace mailtls::report
