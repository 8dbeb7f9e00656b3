#include "report/console.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <optional>
#include <vector>

#include "sample_run.hpp"

namespace mailtls::report {
namespace {

using test::sample_run;

const console_options plain{false, false};
const console_options colored{true, false};

TEST(ReportConsole, ProgressLine) {
  EXPECT_EQ(progress_line(0, 120, {}, 40), "[                        ] 0/120        ");
  EXPECT_EQ(progress_line(60, 120, {}, 40), "[===========>            ] 60/120       ");
  EXPECT_EQ(progress_line(120, 120, {}, 40), "[========================] 120/120      ");
  EXPECT_EQ(progress_line(7, 0, {}, 40), "[                        ] 0/0          ");  // clamped
  const std::vector<std::string> running{"smtp-ehlo", "imap-login"};
  EXPECT_EQ(progress_line(1, 4, running, 60),
            "[=====>                  ] 1/4  smtp-ehlo, imap-login       ");
  // Cut to the width with "..." when the names do not fit.
  EXPECT_EQ(progress_line(1, 4, running, 45), "[=====>                  ] 1/4  smtp-ehlo,...");
  EXPECT_EQ(progress_line(1, 4, running, 10).size(), 10u);
  EXPECT_EQ(progress_line(3, 4).size(), 79u);
}

TEST(ReportConsole, CaseLinesPlain) {
  const run r = sample_run();
  EXPECT_EQ(case_line(r, r.cases[0], plain), "PASS  submission   smtp-ehlo  12 ms\n");
  EXPECT_EQ(case_line(r, r.cases[1], plain),
            "FAIL  submission   smtp-auth-before-tls  31 ms\n"
            "      expected a reply 530 or 538, got 235 (scenarios/smtp-auth-before-tls.scn:14)\n"
            "      note: 503 accepted: tolerated reply\n");
  EXPECT_EQ(case_line(r, r.cases[2], plain),
            "ERROR imaps        imap-greeting  5003 ms\n"
            "      no complete reply within 5000 ms (scenarios/imap-greeting.scn:3)\n");
  EXPECT_EQ(case_line(r, r.cases[3], plain),
            "SKIP  pop3         pop3-auth  0 ms  (needs credentials)\n");
  run t = sample_run();
  t.cases[0].result.v.notes = {"tolerated reply 503 (conformant: 530 or 538)"};
  EXPECT_EQ(case_line(t, t.cases[0], plain),
            "PASS  submission   smtp-ehlo  12 ms\n"
            "      note: tolerated reply 503 (conformant: 530 or 538)\n");
}

TEST(ReportConsole, CaseLineNamesTheTargetWhenAServiceHasSeveral) {
  run r = sample_run();
  r.targets.push_back({"pop3://10.0.0.2:110", runner::service::pop3, "10.0.0.2", 110});
  EXPECT_EQ(case_line(r, r.cases[4], plain), "PASS  pop3 pop3://127.0.0.1:5110 pop3-capa  7 ms\n");
}

TEST(ReportConsole, HostileTextCannotDriveTheTerminal) {
  run r = sample_run();
  r.cases[1].result.v.reason = "got \x1b]0;pwned\x07 \x1b[2J";
  r.cases[1].scenario_id = "id\r\n";
  const std::string line = case_line(r, r.cases[1], plain);
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_EQ(line,
            "FAIL  submission   id\\x0D\\x0A  31 ms\n"
            "      got \\x1B]0;pwned\\x07 \\x1B[2J (scenarios/smtp-auth-before-tls.scn:14)\n"
            "      note: 503 accepted: tolerated reply\n");
  const std::vector<std::string> running{"a\x1b[1A"};
  EXPECT_EQ(progress_line(0, 1, running, 40).find('\x1b'), std::string::npos);
}

TEST(ReportConsole, CaseLinesColored) {
  const run r = sample_run();
  EXPECT_EQ(case_line(r, r.cases[0], colored),
            "\x1b[32mPASS\x1b[0m  submission   smtp-ehlo  12 ms\n");
  EXPECT_EQ(case_line(r, r.cases[1], colored).substr(0, 18), "\x1b[1;31mFAIL\x1b[0m  s");
  EXPECT_EQ(case_line(r, r.cases[2], colored).substr(0, 18), "\x1b[1;33mERROR\x1b[0m i");
}

TEST(ReportConsole, SummaryPlain) {
  const run r = sample_run();
  const std::string want =
      "protocol  explicit TLS (STARTTLS)                   implicit TLS\n"
      "SMTP      smtp:25 -  submission:5587 1/2 (1 fail)   submissions:465 -\n"
      "POP3      pop3:5110 1/2 (1 skip)                    pop3s:995 -\n"
      "IMAP      imap:143 -                                imaps:5993 0/1 (1 error)\n"
      "\n"
      "failures and errors:\n"
      "FAIL  submission   smtp-auth-before-tls  31 ms\n"
      "      expected a reply 530 or 538, got 235 (scenarios/smtp-auth-before-tls.scn:14)\n"
      "      note: 503 accepted: tolerated reply\n"
      "ERROR imaps        imap-greeting  5003 ms\n"
      "      no complete reply within 5000 ms (scenarios/imap-greeting.scn:3)\n"
      "\n"
      "total     5 cases: 2 pass, 1 fail, 1 error, 1 skip in 3.204 s\n"
      "result    FAIL (exit status 1)\n";
  EXPECT_EQ(summary(r, plain), want);
  EXPECT_EQ(summary(r, plain).find('\x1b'), std::string::npos);
}

TEST(ReportConsole, SummaryColoredKeepsColumns) {
  const run r = sample_run();
  const std::string s = summary(r, colored);
  EXPECT_NE(s.find("\x1b[2msmtp:25 -\x1b[0m  \x1b[1;31msubmission:5587 1/2 (1 fail)\x1b[0m   "
                   "\x1b[2msubmissions:465 -\x1b[0m\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("\x1b[32mpop3:5110 1/2 (1 skip)\x1b[0m"), std::string::npos);
  EXPECT_NE(s.find("\x1b[1;33mimaps:5993 0/1 (1 error)\x1b[0m"), std::string::npos);
  EXPECT_NE(s.find("result    \x1b[1;31mFAIL\x1b[0m (exit status 1)\n"), std::string::npos);
}

TEST(ReportConsole, SummaryAllPassed) {
  run r = sample_run();
  r.cases = {r.cases[0], r.cases[4]};
  const std::string s = summary(r, plain);
  EXPECT_EQ(s.find("failures and errors"), std::string::npos);
  EXPECT_NE(s.find("total     2 cases: 2 pass, 0 fail, 0 error, 0 skip in 3.204 s\n"),
            std::string::npos);
  EXPECT_NE(s.find("result    PASS (exit status 0)\n"), std::string::npos);
}

// Sets or unsets an environment variable for one scope.
class scoped_env {
 public:
  scoped_env(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~scoped_env() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(ReportConsole, DetectOnAPipeIsPlain) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  scoped_env term("TERM", "xterm-256color");
  scoped_env no_color("NO_COLOR", nullptr);
  const console_options o = detect_console(fds[1]);
  EXPECT_FALSE(o.color);
  EXPECT_FALSE(o.progress);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(ReportConsole, DetectOnATerminal) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    if (master >= 0) ::close(master);
    GTEST_SKIP() << "no pseudo-terminal available";
  }
  const char* name = ::ptsname(master);
  ASSERT_NE(name, nullptr);
  const int tty = ::open(name, O_RDWR | O_NOCTTY);
  ASSERT_GE(tty, 0);
  {
    scoped_env term("TERM", "xterm-256color");
    scoped_env no_color("NO_COLOR", nullptr);
    EXPECT_TRUE(detect_console(tty).color);
    EXPECT_TRUE(detect_console(tty).progress);
    {
      scoped_env nc("NO_COLOR", "1");
      EXPECT_FALSE(detect_console(tty).color);
      EXPECT_TRUE(detect_console(tty).progress);
    }
    {
      scoped_env nc("NO_COLOR", "");  // empty: does not disable (no-color.org)
      EXPECT_TRUE(detect_console(tty).color);
    }
  }
  {
    scoped_env term("TERM", "dumb");
    scoped_env no_color("NO_COLOR", nullptr);
    EXPECT_FALSE(detect_console(tty).color);
    EXPECT_FALSE(detect_console(tty).progress);
  }
  ::close(tty);
  ::close(master);
}

}  // namespace
}  // namespace mailtls::report
