// The client driver over loopback TCP without TLS: action order, timeouts, close, connect
// failures, the jobs limit and the hard timeout.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "client_fixture.hpp"

namespace mailtls::client::test {
namespace {

using strings = std::vector<std::string>;
using steady = std::chrono::steady_clock;

class driver_test : public client_fixture {};

TEST_F(driver_test, SendAndReadRoundTrip) {
  const auto port = start_server();
  const auto r = run_one(make_job(
      port, {{read()}, {send("HELO x\r\n"), read()}, {send("QUIT\r\n"), read()}, {read()}}));
  EXPECT_EQ(events(), (strings{"start", "S:220 ready", "S:250 HELO x", "S:221 bye", "closed"}));
  EXPECT_EQ(r.v.result, runner::outcome::pass);
  ASSERT_EQ(r.transcript.size(), 5u);  // the session's own transcript, untouched
  EXPECT_EQ(r.transcript[1].text, "S:220 ready");
  EXPECT_FALSE(r.tls.attempted);
  EXPECT_GE(r.duration_ms, r.transcript.back().at_ms);
}

TEST_F(driver_test, EachSendIsWrittenInOrderAndPipelinedRepliesArrive) {
  const auto port = start_server();
  // Two commands in one send (one write), then separate sends, all before the first read; the
  // server hangs up after them. Replies may arrive in one read or several: reads after the last
  // line hear "closed".
  const auto r = run_one(make_job(
      port, {{read()},
             {send("A\r\nB\r\n"), send("C\r\n"), send("D\r\n"), send("HANGUP\r\n"), read()},
             {read()},
             {read()},
             {read()},
             {read()},
             {read()}}));
  strings lines;
  for (const auto& e : events())
    if (e.rfind("S:", 0) == 0) lines.push_back(e);
  EXPECT_EQ(lines, (strings{"S:220 ready", "S:250 A", "S:250 B", "S:250 C", "S:250 D"}));
  EXPECT_EQ(events().back(), "closed");
  EXPECT_EQ(r.v.result, runner::outcome::pass);
}

TEST_F(driver_test, ReadTimeoutCallsOnTimeout) {
  const auto port = start_server();
  const auto r = run_one(
      make_job(port, {{read()}, {send("SILENT\r\n"), read(150)}, {send("QUIT\r\n"), read()}}));
  EXPECT_EQ(events(), (strings{"start", "S:220 ready", "timeout", "S:221 bye"}));
  ASSERT_EQ(probe_->event_times.size(), 4u);
  const auto waited = probe_->event_times[2] - probe_->event_times[1];
  EXPECT_GE(waited, 150u);
  EXPECT_LT(waited, 3000u);
  // The connection still works after a timeout (the timed-out read consumed nothing).
  EXPECT_EQ(r.v.result, runner::outcome::pass);
}

TEST_F(driver_test, ATimedOutReadConsumesNothing) {
  // The greeting comes after 300 ms: the first read times out, the next one gets it whole.
  const auto port = start_server(net::transport::plain, 300);
  run_one(make_job(port, {{read(50)}, {read()}, {send("QUIT\r\n"), read()}}));
  EXPECT_EQ(events(), (strings{"start", "timeout", "S:220 ready", "S:221 bye"}));
}

TEST_F(driver_test, PeerCloseCallsOnClosed) {
  const auto port = start_server();
  run_one(make_job(port, {{read()}, {send("HANGUP\r\n"), read()}, {read()}}));
  // A read after EOF hears "closed" again, without touching the socket.
  EXPECT_EQ(events(), (strings{"start", "S:220 ready", "closed", "closed"}));
}

TEST_F(driver_test, CloseConnectionEndsTheJob) {
  const auto port = start_server();
  const auto t0 = steady::now();
  const auto r =
      run_one(make_job(port, {{read()}, {send("QUIT\r\n"), runner::close_connection{}}}));
  EXPECT_EQ(events(), (strings{"start", "S:220 ready"}));
  EXPECT_EQ(r.v.result, runner::outcome::pass);
  EXPECT_LT(steady::now() - t0, std::chrono::seconds(3));
}

TEST_F(driver_test, ConnectionRefusedGivesErrorWithoutCreatingTheSession) {
  // A port that was just free: bind it, learn it, close it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const std::uint16_t port = ntohs(a.sin_port);
  ::close(fd);

  const auto r = run_one(make_job(port, {{read()}}));
  EXPECT_EQ(probe_->created, 0);
  EXPECT_EQ(r.v.result, runner::outcome::error);
  EXPECT_EQ(r.v.reason,
            "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
  ASSERT_EQ(r.transcript.size(), 1u);
  EXPECT_EQ(r.transcript[0].dir, runner::transcript_entry::direction::note);
  EXPECT_EQ(r.transcript[0].text, r.v.reason);
}

TEST_F(driver_test, HostNamesAreResolvedAndEveryAddressTried) {
  const auto port = start_server();  // 127.0.0.1 only: a ::1 answer is refused, then skipped
  auto j = make_job(port, {{read()}, {send("QUIT\r\n"), read()}});
  j.host = "localhost";
  const auto r = run_one(std::move(j));
  EXPECT_EQ(events(), (strings{"start", "S:220 ready", "S:221 bye"}));
  EXPECT_EQ(r.v.result, runner::outcome::pass);
}

TEST_F(driver_test, JobsLimitIsRespectedAndEveryJobReportsOnce) {
  // The server greets after 150 ms, so three sessions are certainly alive at the same time.
  const auto port = start_server(net::transport::plain, 150);
  std::vector<job> jobs;
  for (int i = 0; i < 20; ++i) {
    jobs.push_back(make_job(port, {{read()}, {send("QUIT\r\n"), read()}, {read()}}));
  }
  run_options o;
  o.jobs = 3;
  const auto results = run(jobs, o);
  EXPECT_EQ(probe_->created, 20);
  EXPECT_EQ(probe_->max_alive, 3);
  EXPECT_EQ(probe_->alive, 0);
  ASSERT_EQ(results.size(), 20u);
  std::vector<int> seen(20, 0);
  for (const auto& rec : results) {
    ASSERT_LT(rec.index, 20u);
    ++seen[rec.index];
    EXPECT_EQ(rec.result.v.result, runner::outcome::pass) << rec.result.v.reason;
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 20);
  EXPECT_EQ(std::count(probe_->events.begin(), probe_->events.end(), "closed"), 20);
}

TEST_F(driver_test, HardTimeoutStopsASessionThatDoesNotFinish) {
  const auto port = start_server();
  run_options o;
  o.hard_timeout_ms = 300;
  const auto t0 = steady::now();
  const auto r = run_one(make_job(port, {{read()}, {send("SILENT\r\n"), read(60'000)}}), o);
  EXPECT_LT(steady::now() - t0, std::chrono::seconds(10));
  EXPECT_EQ(r.v.result, runner::outcome::error);
  EXPECT_EQ(r.v.reason, "the session did not finish within 300 ms");
  EXPECT_GE(r.duration_ms, 300u);
  ASSERT_EQ(r.transcript.size(), 3u);  // the session's entries, then the driver's note
  EXPECT_EQ(r.transcript[1].text, "S:220 ready");
  EXPECT_EQ(r.transcript[2].text, r.v.reason);
  EXPECT_EQ(probe_->alive, 0);  // the session was destroyed
}

TEST_F(driver_test, SessionThatAsksForNothingIsAnError) {
  const auto port = start_server();
  // A batch without read or close, and the script not over: the session waits for nothing.
  std::vector<runner::actions> s = {{read()}, {send("NOOP\r\n")}, {read()}};
  const auto r = run_one(make_job(port, s));
  EXPECT_EQ(r.v.result, runner::outcome::error);
  EXPECT_EQ(r.v.reason, "the session stopped without an action and without finishing");
}

TEST_F(driver_test, JobWithoutSessionFactoryIsAnError) {
  const auto port = start_server();
  job j;
  j.host = "127.0.0.1";
  j.port = port;
  const auto r = run_one(std::move(j));
  EXPECT_EQ(r.v.result, runner::outcome::error);
  EXPECT_EQ(r.v.reason, "the job has no session to run (harness bug)");
}

TEST_F(driver_test, NoJobsReturnsAtOnce) {
  EXPECT_TRUE(run({}).empty());
}

}  // namespace
}  // namespace mailtls::client::test
