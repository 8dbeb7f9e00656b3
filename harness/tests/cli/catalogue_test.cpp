#include "cli/catalogue.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

namespace mailtls::cli {
namespace {
namespace fs = std::filesystem;

class catalogue_test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "mailtls-cat-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = fs::path(tmpl) / "scenarios";
    fs::create_directories(dir_ / "smtp");
    fs::create_directories(dir_ / "include");
  }
  void TearDown() override { fs::remove_all(dir_.parent_path()); }
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  static std::string scenario(const std::string& id, const std::string& body = "S: 220 *\n") {
    return "id: " + id +
           "\ntitle: t\nservices: smtp\nrefs: RFC 5321 §4.2\nkeywords: k\nseverity: low\n\n" + body;
  }
  fs::path dir_;
};

TEST_F(catalogue_test, loads_sorted_with_includes_relative_to_the_root) {
  write("smtp/b-two.scn", scenario("b-two", "include include/greet.inc\nC: QUIT\n"));
  write("smtp/a-one.scn", scenario("a-one"));
  write("include/greet.inc", "S: 220 *\n");
  write("smtp/notes.txt", "not a scenario");
  const auto c = load_catalogue(dir_);
  ASSERT_TRUE(c.errors.empty()) << c.errors.front();
  ASSERT_EQ(c.files.size(), 2u);
  EXPECT_EQ(c.files[0].display, "scenarios/smtp/a-one.scn");
  EXPECT_EQ(c.files[1].parsed.id_, "b-two");
  ASSERT_EQ(c.files[1].parsed.statements_.size(), 2u);
  EXPECT_EQ(c.files[1].parsed.files_.at(1), "include/greet.inc");
  EXPECT_TRUE(c.files[0].lint.empty());
}

TEST_F(catalogue_test, parse_errors_name_file_and_line) {
  write("smtp/bad.scn", scenario("bad", "S: 220 *\nS: 650 *\n"));
  const auto c = load_catalogue(dir_);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].rfind("scenarios/smtp/bad.scn:9: ", 0), 0u) << c.errors[0];
  EXPECT_TRUE(c.files.empty());
}

TEST_F(catalogue_test, include_may_not_leave_the_root) {
  write("smtp/esc.scn", scenario("esc", "include ../../etc/passwd\n"));
  const auto c = load_catalogue(dir_);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("scenarios/smtp/esc.scn:8"), std::string::npos) << c.errors[0];
}

TEST_F(catalogue_test, duplicate_ids_and_lint_findings) {
  write("smtp/x.scn", scenario("same"));
  write("smtp/y.scn", scenario("same"));
  const auto c = load_catalogue(dir_);
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0],
            "scenarios/smtp/y.scn:1: id 'same' is already used by scenarios/smtp/x.scn");
  ASSERT_EQ(c.files.size(), 2u);
  ASSERT_FALSE(c.files[0].lint.empty());  // id_mismatch: x.scn holds id `same`
  EXPECT_EQ(c.files[0].lint[0].check, scenario::lint_check::id_mismatch);
}

TEST_F(catalogue_test, a_single_file_and_a_missing_path) {
  write("smtp/a-one.scn", scenario("a-one"));
  const auto one = load_catalogue(dir_ / "smtp" / "a-one.scn");
  ASSERT_EQ(one.files.size(), 1u);
  EXPECT_EQ(one.files[0].display, (dir_ / "smtp" / "a-one.scn").string());
  const auto none = load_catalogue(dir_ / "nope");
  ASSERT_EQ(none.errors.size(), 1u);
  EXPECT_NE(none.errors[0].find("no such scenario file or folder"), std::string::npos);
}

}  // namespace
}  // namespace mailtls::cli
