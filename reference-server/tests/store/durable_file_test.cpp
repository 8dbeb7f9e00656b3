#include "store/durable_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/errc.hpp"
#include "temp_dir.hpp"

namespace mailtls::server::store {
namespace {

TEST(durable_file, write_new_file_is_exclusive_and_sets_mtime) {
  test::temp_dir dir;
  ASSERT_EQ(write_new_file(dir / "f", "data\r\n", 0600, 1'500'000'000), std::error_code{});
  EXPECT_EQ(test::slurp(dir / "f"), "data\r\n");
  struct stat st {};
  ASSERT_EQ(::stat((dir / "f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1'500'000'000);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(write_new_file(dir / "f", "other", 0600), std::errc::file_exists);
  EXPECT_EQ(test::slurp(dir / "f"), "data\r\n");
  EXPECT_EQ(write_new_file(dir / "missing/f", "x", 0600), std::errc::no_such_file_or_directory);
}

TEST(durable_file, replace_file_is_atomic_and_tidy) {
  test::temp_dir dir;
  ASSERT_EQ(replace_file(dir / "f", "one", 0640), std::error_code{});
  ASSERT_EQ(replace_file(dir / "f", "two", 0600), std::error_code{});
  EXPECT_EQ(test::slurp(dir / "f"), "two");
  EXPECT_EQ(test::entries(dir.path()), (std::vector<std::string>{"f"}));
  struct stat st {};
  ASSERT_EQ(::stat((dir / "f").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(durable_file, read_whole_file_is_bounded) {
  test::temp_dir dir;
  test::write_text(dir / "f", "0123456789");
  std::string out;
  EXPECT_EQ(read_whole_file(dir / "f", out, 10), std::error_code{});
  EXPECT_EQ(out, "0123456789");
  EXPECT_EQ(read_whole_file(dir / "f", out, 9), store_errc::file_too_large);
  EXPECT_EQ(read_whole_file(dir / "g", out, 9), std::errc::no_such_file_or_directory);
}

TEST(durable_file, make_directories_creates_parents) {
  test::temp_dir dir;
  ASSERT_EQ(make_directories(dir / "a/b/c", 0700), std::error_code{});
  EXPECT_TRUE(std::filesystem::is_directory(dir / "a/b/c"));
  EXPECT_EQ(make_directories(dir / "a/b/c", 0700), std::error_code{});
  test::write_text(dir / "file", "x");
  EXPECT_EQ(make_directories(dir / "file", 0700), std::errc::not_a_directory);
  EXPECT_EQ(parent_directory("/x/y"), "/x");
  EXPECT_EQ(parent_directory("/x"), "/");
  EXPECT_EQ(parent_directory("x"), ".");
}

}  // namespace
}  // namespace mailtls::server::store
