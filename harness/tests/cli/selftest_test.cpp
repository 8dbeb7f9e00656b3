// `mailtls selftest` on a tiny catalogue: coverage is checked both ways (a `catches:` naming no
// bug mode, bug modes nobody catches), and a claimed catch that does not happen is reported.
#include "cli/selftest.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace mailtls::cli {
namespace {
namespace fs = std::filesystem;

class selftest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mailtls-self-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& id, const std::string& catches, const std::string& body) {
    std::ofstream(dir_ / (id + ".scn"))
        << "id: " << id << "\ntitle: t\nservices: smtp\nrefs: RFC 5321\nkeywords: k\n"
        << "severity: low\ncatches: " << catches << "\n\n"
        << body;
  }
  fs::path dir_;
};

TEST_F(selftest, unknown_and_uncovered_modes_fail) {
  write("greets", "no-such-mode", "S: 220 *\n");
  selftest_options o;
  o.scenarios = dir_.string();
  o.bugs = {"smtp-open-relay"};  // no clean run, one mode
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_selftest(o), 1);
  const auto out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("catches 'no-such-mode', which is not a bug mode of mailtls-server"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("FAIL  bug mode smtp-open-relay: no scenario catches it"), std::string::npos)
      << out;
}

TEST_F(selftest, a_claimed_catch_that_does_not_happen_is_reported) {
  // Greeting only: passes whatever the relay policy, so it does not catch smtp-open-relay.
  write("greets", "smtp-open-relay", "S: 220 *\nC: QUIT\nS: 221 *\n");
  selftest_options o;
  o.scenarios = dir_.string();
  o.bugs = {"smtp-open-relay"};
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_selftest(o), 1);
  const auto out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("FAIL  smtp-open-relay: caught by; NOT caught by greets"), std::string::npos)
      << out;
  EXPECT_NE(out.find("mutation score: 0/1"), std::string::npos) << out;
}

TEST_F(selftest, an_unknown_bug_option_is_a_usage_error) {
  write("greets", "smtp-open-relay", "S: 220 *\n");
  selftest_options o;
  o.scenarios = dir_.string();
  o.bugs = {"nonsense"};
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_selftest(o), 2);
  testing::internal::GetCapturedStdout();
}

}  // namespace
}  // namespace mailtls::cli
