#include "cli/reference_server.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

namespace mailtls::cli {
namespace {
namespace fs = std::filesystem;

fs::path temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "mailtls-ref-XXXXXX").string();
  EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

TEST(reference_server, start_describe_and_stop) {
  const auto dir = temp_dir();
  reference_options o;
  o.server_binary = find_server_binary("");
  o.state_dir = dir / "ref";
  std::string error;
  const auto t = start_reference_server(o, error);
  ASSERT_TRUE(t.has_value()) << error;
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->ports.size(), 7u);
  for (const char* s : {"smtp", "submission", "submissions", "pop3", "pop3s", "imap", "imaps"}) {
    ASSERT_TRUE(t->ports.contains(s)) << s;
    EXPECT_GT(t->ports.at(s), 0);
  }
  EXPECT_EQ(t->servername, "mail.mailtls.test");
  EXPECT_TRUE(fs::exists(t->ca_file)) << t->ca_file;
  EXPECT_EQ(t->user, "mailtls@mailtls.test");
  EXPECT_GE(t->password.size(), 16u);
  struct stat st {};
  ASSERT_EQ(::stat((o.state_dir / "password").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(::kill(t->pid, 0), 0);

  const auto again = load_reference_state(o.state_dir, error);
  ASSERT_TRUE(again.has_value()) << error;
  EXPECT_EQ(again->ports, t->ports);
  EXPECT_EQ(again->password, t->password);
  EXPECT_EQ(again->pid, t->pid);

  ASSERT_TRUE(stop_reference_server(o.state_dir, error)) << error;
  EXPECT_FALSE(stop_reference_server(o.state_dir, error));
  EXPECT_EQ(error, "no reference server runs as pid " + std::to_string(t->pid));
  fs::remove_all(dir);
}

TEST(reference_server, a_folder_without_state_is_a_clear_error) {
  const auto dir = temp_dir();
  std::string error;
  EXPECT_FALSE(load_reference_state(dir, error).has_value());
  EXPECT_EQ(error, dir.string() +
                       ": not a reference-server state folder (start one with `mailtls "
                       "reference start --state " +
                       dir.string() + "`)");
  fs::remove_all(dir);
}

TEST(reference_server, a_missing_binary_is_named) {
  const auto dir = temp_dir();
  reference_options o;
  o.server_binary = dir / "no-such-server";
  o.state_dir = dir / "ref";
  std::string error;
  EXPECT_FALSE(start_reference_server(o, error).has_value());
  EXPECT_EQ(error, "cannot run the reference server " + o.server_binary.string() +
                       " (build it, or give --server-binary)");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mailtls::cli
