// `mailtls check` end to end, in process: exit statuses and the report files, against the real
// reference server (clean and with an injected bug) and against a port where nothing listens.
#include "cli/check.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cli/reference_server.hpp"

namespace mailtls::cli {
namespace {
namespace fs = std::filesystem;

fs::path temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "mailtls-check-XXXXXX").string();
  EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A loopback port with nothing listening: bind port 0, note the port, close.
std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

check_options quiet(const fs::path& out) {
  check_options o;
  o.no_progress = true;
  o.out = out.string();
  return o;
}

TEST(check, usage_errors_exit_2) {
  const auto dir = temp_dir();
  auto o = quiet(dir / "r");
  o.urls = {"ftp://mail.example.org"};
  EXPECT_EQ(run_check(o), 2);
  o.urls = {"smtp://127.0.0.1:25"};
  o.user = "someone";  // and no password anywhere
  ::unsetenv("MAILTLS_PASSWORD");
  EXPECT_EQ(run_check(o), 2);
  o.user.clear();
  o.only = {"no-such-scenario-or-keyword"};
  EXPECT_EQ(run_check(o), 2);
  o.only.clear();
  o.scenarios = (dir / "missing").string();
  EXPECT_EQ(run_check(o), 2);
  EXPECT_FALSE(fs::exists(dir / "r"));
  fs::remove_all(dir);
}

TEST(check, an_unreachable_target_is_a_harness_error_exit_3) {
  const auto dir = temp_dir();
  auto o = quiet(dir / "r");
  o.urls = {"imap://127.0.0.1:" + std::to_string(closed_port())};
  o.only = {"imap-greeting-ok"};
  EXPECT_EQ(run_check(o), 3);
  const auto json = slurp(dir / "r" / "report.json");
  EXPECT_NE(json.find("\"outcome\": \"error\""), std::string::npos);
  EXPECT_NE(json.find("cannot connect to 127.0.0.1:"), std::string::npos);
  fs::remove_all(dir);
}

class check_reference : public ::testing::Test {
 protected:
  void start(std::vector<std::string> server_args) {
    dir_ = temp_dir();
    reference_options ro;
    ro.server_binary = find_server_binary("");
    ro.state_dir = dir_ / "ref";
    ro.extra_args = std::move(server_args);
    std::string error;
    ASSERT_TRUE(start_reference_server(ro, error).has_value()) << error;
  }
  void TearDown() override {
    std::string error;
    stop_reference_server(dir_ / "ref", error);
    fs::remove_all(dir_);
  }
  check_options options() {
    auto o = quiet(dir_ / "r");
    o.reference_state = (dir_ / "ref").string();
    return o;
  }
  fs::path dir_;
};

TEST_F(check_reference, the_clean_reference_server_passes_and_reports_are_written) {
  start({});
  EXPECT_EQ(run_check(options()), 0);
  for (const char* f : {"report.json", "junit.xml", "report.html"}) {
    EXPECT_TRUE(fs::exists(dir_ / "r" / f)) << f;
  }
  const auto junit = slurp(dir_ / "r" / "junit.xml");
  EXPECT_EQ(junit.find("<failure"), std::string::npos);
  EXPECT_NE(junit.find("name=\"submission-auth-before-starttls\""), std::string::npos);
}

TEST_F(check_reference, an_injected_bug_fails_its_scenario_exit_1) {
  start({"--inject-bug", "submission-auth-before-tls"});
  auto o = options();
  o.only = {"submission-auth-before-starttls", "smtp-ehlo-offers-starttls"};
  EXPECT_EQ(run_check(o), 1);
  const auto junit = slurp(dir_ / "r" / "junit.xml");
  EXPECT_NE(junit.find("<failure"), std::string::npos);
  const auto json = slurp(dir_ / "r" / "report.json");
  EXPECT_NE(json.find("\"outcome\": \"fail\""), std::string::npos);
  EXPECT_NE(json.find("submission-auth-before-starttls.scn"), std::string::npos);
}

// --expect: the known failure listed gives exit 0; the same run without the entry, or with a stale
// entry, exits 1; a malformed file is a usage error before anything runs.
TEST_F(check_reference, an_expectations_file_decides_the_exit_status) {
  start({"--inject-bug", "submission-auth-before-tls"});
  auto o = options();
  o.only = {"submission-auth-before-starttls", "smtp-ehlo-offers-starttls"};
  const auto write = [&](const char* text) {
    std::ofstream(dir_ / "x.expect") << text;
    return (dir_ / "x.expect").string();
  };
  o.expect_file = write("fail submission-auth-before-starttls submission  # the injected bug\n");
  EXPECT_EQ(run_check(o), 0);
  o.expect_file = write("fail submission-auth-before-starttls smtp\n");  // wrong service
  EXPECT_EQ(run_check(o), 1);
  o.expect_file = write("fail submission-auth-before-starttls\nfail smtp-ehlo-offers-starttls\n");
  EXPECT_EQ(run_check(o), 1);  // smtp-ehlo-offers-starttls passes
  o.expect_file = write("fial submission-auth-before-starttls\n");
  fs::remove_all(dir_ / "r");
  EXPECT_EQ(run_check(o), 2);
  EXPECT_FALSE(fs::exists(dir_ / "r"));
}

TEST_F(check_reference, list_runs_nothing_and_skip_removes) {
  start({});
  auto o = options();
  o.list = true;
  EXPECT_EQ(run_check(o), 0);
  EXPECT_FALSE(fs::exists(dir_ / "r"));
  o.list = false;
  o.only = {"starttls"};                 // a keyword
  o.skip = {"imap-starttls-injection"};  // an id
  EXPECT_EQ(run_check(o), 0);
  const auto json = slurp(dir_ / "r" / "report.json");
  EXPECT_EQ(json.find("\"id\": \"imap-starttls-injection\""), std::string::npos);
  EXPECT_NE(json.find("\"id\": \"imap-capability-before-starttls\""), std::string::npos);
}

}  // namespace
}  // namespace mailtls::cli

namespace mailtls::cli {
namespace {

// The console lists cases by target, then by scenario path, whatever order the connections
// finish in: two runs print the same lines in the same order.
TEST_F(check_reference, case_lines_come_in_a_fixed_order) {
  start({});
  auto o = options();
  o.only = {"starttls"};
  o.no_reports = true;
  std::vector<std::string> runs[2];
  for (auto& lines : runs) {
    testing::internal::CaptureStdout();
    ASSERT_EQ(run_check(o), 0);
    std::istringstream out(testing::internal::GetCapturedStdout());
    for (std::string line; std::getline(out, line);) {
      // "PASS  smtp         smtp-ehlo-offers-starttls  12 ms": keep verdict, service and id.
      if (!line.starts_with("PASS")) continue;
      line = line.substr(0, line.rfind("  "));
      lines.push_back(line);
    }
  }
  ASSERT_GT(runs[0].size(), 10u);
  EXPECT_EQ(runs[0], runs[1]);
  // Services in the report's order: every smtp line before the first submission line.
  const auto first_submission = std::find_if(runs[0].begin(), runs[0].end(), [](const auto& l) {
    return l.find(" submission ") != std::string::npos;
  });
  ASSERT_NE(first_submission, runs[0].end());
  for (auto it = first_submission; it != runs[0].end(); ++it) {
    EXPECT_EQ(it->find("PASS  smtp "), std::string::npos) << *it;
  }
}

}  // namespace
}  // namespace mailtls::cli

namespace mailtls::cli {
namespace {

// --profile: rfc < default < strict, nested; a scenario named by id runs whatever the profile.
TEST_F(check_reference, profiles_are_nested) {
  start({});
  const auto scn = dir_ / "scn";
  fs::create_directories(scn);
  for (const std::string p : {"rfc", "default", "strict"}) {
    std::ofstream(scn / ("p-" + p + ".scn"))
        << "id: p-" << p << "\ntitle: t\nservices: smtp\nrefs: RFC 5321\nkeywords: k\n"
        << "severity: low\nrationale: r\nprofile: " << p << "\n\nS: 220 *\n";
  }
  auto ids = [&](const std::string& profile, std::vector<std::string> only) {
    auto o = options();
    o.scenarios = scn.string();
    o.profile = profile;
    o.only = std::move(only);
    testing::internal::CaptureStdout();
    EXPECT_EQ(run_check(o), 0);
    testing::internal::GetCapturedStdout();
    const auto json = slurp(dir_ / "r" / "report.json");
    std::string seen;
    for (const char* id : {"p-rfc", "p-default", "p-strict"}) {
      if (json.find(std::string("\"id\": \"") + id + "\"") != std::string::npos) seen += id + 2;
    }
    return seen;
  };
  EXPECT_EQ(ids("rfc", {}), "rfc");
  EXPECT_EQ(ids("default", {}), "rfcdefault");
  EXPECT_EQ(ids("strict", {}), "rfcdefaultstrict");
  EXPECT_EQ(ids("rfc", {"p-strict"}), "strict");
  auto o = options();
  o.profile = "paranoid";
  EXPECT_EQ(run_check(o), 2);
}

}  // namespace
}  // namespace mailtls::cli
