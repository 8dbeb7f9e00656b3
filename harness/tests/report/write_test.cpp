#include "report/write.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>

#include "report/html.hpp"
#include "report/json.hpp"
#include "report/junit.hpp"
#include "sample_run.hpp"

namespace mailtls::report {
namespace {

namespace fs = std::filesystem;
using test::sample_run;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh directory under the system temp dir, removed with everything in it.
class ReportWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<unsigned> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    root_ = fs::temp_directory_path() / ("mailtls-report-test-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(stamp) + "-" + std::to_string(counter++));
    ASSERT_TRUE(fs::create_directory(root_));
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
    EXPECT_FALSE(ec) << ec.message();
  }
  fs::path root_;
};

TEST_F(ReportWrite, CreatesTheThreeFilesAndParents) {
  const run r = sample_run();
  const fs::path dir = root_ / "results" / r.run_id;
  std::string error;
  const std::error_code ec = write_reports(r, dir, error);
  ASSERT_FALSE(ec) << error;
  EXPECT_EQ(error, "");
  EXPECT_EQ(slurp(dir / "report.json"), to_json(r));
  EXPECT_EQ(slurp(dir / "junit.xml"), to_junit(r));
  EXPECT_EQ(slurp(dir / "report.html"), to_html(r));
  std::size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++entries;
    EXPECT_NE(e.path().extension(), ".tmp") << e.path();
  }
  EXPECT_EQ(entries, 3u);
}

TEST_F(ReportWrite, ReplacesOlderReports) {
  const fs::path dir = root_ / "run";
  fs::create_directory(dir);
  std::ofstream(dir / "report.json")
      << "old and much longer than the new content would ever be " << std::string(200'000, 'x');
  run r = sample_run();
  r.cases.clear();
  std::string error;
  ASSERT_FALSE(write_reports(r, dir, error)) << error;
  EXPECT_EQ(slurp(dir / "report.json"), to_json(r));
}

TEST_F(ReportWrite, DirectoryThatIsAFileIsAnError) {
  const fs::path file = root_ / "occupied";
  std::ofstream(file) << "x";
  std::string error;
  const std::error_code ec = write_reports(sample_run(), file, error);
  EXPECT_TRUE(ec);
  EXPECT_NE(error.find(file.string()), std::string::npos) << error;
  EXPECT_EQ(error.rfind("cannot create directory ", 0), 0u) << error;
}

TEST_F(ReportWrite, UnwritableTargetNamesThePathAndLeavesNoTemp) {
  // report.json exists as a non-empty directory: the rename over it must fail.
  const fs::path dir = root_ / "run";
  fs::create_directories(dir / "report.json" / "inside");
  std::string error;
  const std::error_code ec = write_reports(sample_run(), dir, error);
  EXPECT_TRUE(ec);
  EXPECT_NE(error.find((dir / "report.json").string()), std::string::npos) << error;
  EXPECT_EQ(error.rfind("cannot write ", 0), 0u) << error;
  EXPECT_FALSE(fs::exists(dir / "report.json.tmp"));
  EXPECT_FALSE(fs::exists(dir / "junit.xml"));  // stops at the first failure
}

TEST_F(ReportWrite, WriteFileAtomically) {
  std::string error;
  EXPECT_FALSE(write_file_atomically(root_ / "a.txt", "hello\n", error)) << error;
  EXPECT_EQ(slurp(root_ / "a.txt"), "hello\n");
  EXPECT_FALSE(write_file_atomically(root_ / "empty", "", error)) << error;
  EXPECT_TRUE(fs::exists(root_ / "empty"));
  EXPECT_EQ(fs::file_size(root_ / "empty"), 0u);
  const std::error_code ec = write_file_atomically(root_ / "missing" / "a.txt", "x", error);
  EXPECT_EQ(ec, std::make_error_code(std::errc::no_such_file_or_directory));
  EXPECT_NE(error.find("missing/a.txt.tmp"), std::string::npos) << error;
}

}  // namespace
}  // namespace mailtls::report
