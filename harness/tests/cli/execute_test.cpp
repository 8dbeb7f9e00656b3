#include "cli/execute.hpp"

#include <gtest/gtest.h>

namespace mailtls::cli {
namespace {

runner::scenario_result result(runner::outcome o, std::string reason, std::uint64_t ms) {
  runner::scenario_result r;
  r.v.result = o;
  r.v.reason = std::move(reason);
  r.duration_ms = ms;
  return r;
}

TEST(merge_repeated, one_run_is_kept_as_it_is) {
  auto merged = merge_repeated({result(runner::outcome::fail, "x", 7)});
  EXPECT_EQ(merged.v.result, runner::outcome::fail);
  EXPECT_TRUE(merged.v.notes.empty());
}

TEST(merge_repeated, all_pass_says_how_many_ran) {
  auto merged =
      merge_repeated({result(runner::outcome::pass, "", 5), result(runner::outcome::pass, "", 9),
                      result(runner::outcome::pass, "", 3)});
  EXPECT_EQ(merged.v.result, runner::outcome::pass);
  EXPECT_EQ(merged.duration_ms, 9u);
  EXPECT_EQ(merged.v.notes, std::vector<std::string>{"3 connections at once: 0 did not pass"});
}

TEST(merge_repeated, the_first_fail_wins_over_errors_and_skips) {
  auto merged = merge_repeated(
      {result(runner::outcome::skip, "s", 1), result(runner::outcome::error, "e", 1),
       result(runner::outcome::fail, "first fail", 1),
       result(runner::outcome::fail, "second fail", 1), result(runner::outcome::pass, "", 1)});
  EXPECT_EQ(merged.v.result, runner::outcome::fail);
  EXPECT_EQ(merged.v.reason, "first fail");
  EXPECT_EQ(merged.v.notes.front(), "5 connections at once: 4 did not pass; this is connection 3");
}

TEST(merge_repeated, an_error_wins_over_passes) {
  auto merged = merge_repeated(
      {result(runner::outcome::pass, "", 1), result(runner::outcome::error, "refused", 1)});
  EXPECT_EQ(merged.v.result, runner::outcome::error);
  EXPECT_EQ(merged.v.reason, "refused");
}

}  // namespace
}  // namespace mailtls::cli
