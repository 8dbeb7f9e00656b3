// The command line in-process (run()) and the real binary under SIGTERM.
#include "server/cli.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "net/test_client.hpp"
#include "server/ports_file.hpp"
#include "server_fixture.hpp"
#include "store/accounts.hpp"

extern char** environ;

namespace mailtls::server::app::test {
namespace {

using namespace std::chrono_literals;

struct outcome {
  int code = -1;
  std::string out, err;
};

outcome run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), "mailtls-server");
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  std::ostringstream out, err;
  outcome o;
  o.code = run(static_cast<int>(argv.size()), argv.data(), out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

TEST(cli, InjectBugListPrintsEveryModeAndExits0) {
  const auto r = run_cli({"--inject-bug", "list"});
  EXPECT_EQ(r.code, 0);
  for (const auto& b : all_bugs()) {
    EXPECT_NE(r.out.find("  " + std::string(b.name) + " "), std::string::npos) << b.name;
    EXPECT_NE(r.out.find(std::string(b.description)), std::string::npos) << b.name;
  }
  EXPECT_EQ(r.err, "");
}

TEST(cli, UnknownBugExits2WithTheList) {
  const auto r = run_cli({"--inject-bug", "heartbleed"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("mailtls-server: error: --inject-bug: unknown bug 'heartbleed'", 0), 0u)
      << r.err;
  EXPECT_NE(r.err.find("  smtp-starttls-injection "), std::string::npos);
}

TEST(cli, UsageErrorsExit2) {
  EXPECT_EQ(run_cli({"--no-such-flag"}).code, 2);
  EXPECT_EQ(run_cli({"--threads"}).code, 2);
  const auto r = run_cli({"--listen", "smtp=127.0.0.1:99999"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "mailtls-server: error: --listen: invalid port '99999' (0-65535)\n");
}

TEST(cli, HelpExits0) {
  const auto r = run_cli({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--max-connections-per-ip"), std::string::npos);
  EXPECT_NE(r.out.find("add-user"), std::string::npos);
}

TEST(cli, ConfigFileErrorExits2WithFileAndLine) {
  temp_dir dir;
  const auto conf = dir.path + "/m.conf";
  {
    std::ofstream f(conf);
    f << "hostname = mx.example\nthreads = lots\n";
  }
  const auto r = run_cli({"--config", conf});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "mailtls-server: error: " + conf + ":2: threads: expected 0-1024\n");
}

TEST(cli, AddUserWithPasswordFile) {
  temp_dir dir;
  const auto pw = dir.path + "/pw";
  {
    std::ofstream f(pw);
    f << "s3cret\n";
  }
  const auto accounts = dir.path + "/accounts.cf";
  const auto r =
      run_cli({"add-user", "--accounts", accounts, "--password-file", pw, "bob@example.test"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "added bob@example.test to " + accounts + "\n");
  store::account_table t;
  std::string message;
  ASSERT_FALSE(t.load(accounts, message)) << message;
  EXPECT_EQ(t.authenticate("bob@example.test", "s3cret"), "bob@example.test");
  EXPECT_EQ(run_cli({"add-user", "--accounts", accounts, "--password-file", pw, "nobody"}).code, 2);
}

// The real executable: ports file, then SIGTERM while a message is in DATA: the message is
// finished and acknowledged, then the server says 421 and exits 0.
TEST(binary, SigtermLetsDataFinishThenExits0) {
  temp_dir dir;
  const auto state = dir.path + "/state";
  std::filesystem::create_directories(state);
  std::string message;
  ASSERT_FALSE(store::add_user(state + "/postfix-accounts.cf", "alice@example.test", "pw", message))
      << message;
  const auto ports_path = dir.path + "/ports.json";
  std::vector<std::string> args{MAILTLS_SERVER_BINARY,
                                "--state-dir",
                                state,
                                "--only",
                                "smtp",
                                "--listen",
                                "smtp=127.0.0.1:0",
                                "--ports-file",
                                ports_path,
                                "--threads",
                                "2",
                                "--log-level",
                                "warn"};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  // The ports file appears once every listener is bound (bounded wait).
  std::optional<std::map<std::string, std::uint16_t>> ports;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!ports && std::chrono::steady_clock::now() < deadline) {
    ports = parse_ports_json(read_file(ports_path));
    if (!ports) std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(ports);
  net::test::test_client c(ports->at("smtp"));
  EXPECT_EQ(c.read_line().rfind("220 ", 0), 0u);
  ASSERT_TRUE(c.send("EHLO client.example\r\n"));
  std::string line;
  do {
    line = c.read_line();
  } while (line.rfind("250-", 0) == 0);
  ASSERT_EQ(line.rfind("250 ", 0), 0u) << line;
  ASSERT_TRUE(c.send("MAIL FROM:<x@remote.example>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n"));
  EXPECT_EQ(c.read_line().rfind("250 ", 0), 0u);
  EXPECT_EQ(c.read_line().rfind("250 ", 0), 0u);
  EXPECT_EQ(c.read_line().rfind("354 ", 0), 0u);
  ASSERT_TRUE(c.send("Subject: in flight\r\n\r\nhalf"));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  // Give the server a chance to see the signal first; correctness does not depend on it.
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(c.send(" done\r\n.\r\n"));
  EXPECT_EQ(c.read_line().rfind("250 ", 0), 0u);
  EXPECT_EQ(c.read_line().rfind("421 ", 0), 0u);
  EXPECT_TRUE(c.wait_eof());
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::size_t delivered = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator(state + "/mail/example.test/alice/new")) {
    ++delivered;
  }
  EXPECT_EQ(delivered, 1u);
}

}  // namespace
}  // namespace mailtls::server::app::test
