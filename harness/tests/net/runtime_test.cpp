// Graceful shutdown: stop accepting, on_shutdown to every session, in-flight work finishes,
// then a hard deadline.
#include <future>

#include "net_fixture.hpp"

namespace mailtls::net::test {
namespace {

using namespace std::chrono_literals;

class runtime_test : public net_fixture {};

TEST_F(runtime_test, ThreadsDefaultToHardware) {
  logger quiet(log_level::error, [](std::string_view) {});
  runtime rt(quiet);
  rt.start();
  EXPECT_GE(rt.thread_count(), 1u);
  rt.shutdown(0ms);
  rt.stop();
}

TEST_F(runtime_test, ShutdownLetsInFlightTransactionsFinish) {
  const auto port = start_echo();
  test_client idle(port), busy(port);
  ASSERT_EQ(idle.read_line(), "hello\r\n");
  ASSERT_EQ(busy.read_line(), "hello\r\n");
  ASSERT_TRUE(busy.send("BEGIN\r\n"));
  ASSERT_EQ(busy.read_line(), "OK\r\n");

  auto forced = std::async(std::launch::async, [&] { return rt_.shutdown(5000ms); });
  EXPECT_EQ(idle.read_line(), "SHUTDOWN\r\n");
  EXPECT_TRUE(idle.wait_eof());
  // New connections are no longer accepted.
  EXPECT_TRUE(eventually([&] {
    test_client late(port);
    return !late.connected() || late.wait_eof(1000ms);
  }));
  // The busy session finishes its transaction, then says goodbye.
  ASSERT_TRUE(busy.send("END\r\n"));
  EXPECT_EQ(busy.read_line(), "DONE\r\n");
  EXPECT_EQ(busy.read_line(), "SHUTDOWN\r\n");
  EXPECT_TRUE(busy.wait_eof());
  ASSERT_EQ(forced.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(forced.get(), 0u);
}

TEST_F(runtime_test, ShutdownForceClosesAfterTheGracePeriod) {
  const auto port = start_echo();
  test_client busy(port);
  ASSERT_EQ(busy.read_line(), "hello\r\n");
  ASSERT_TRUE(busy.send("BEGIN\r\n"));
  ASSERT_EQ(busy.read_line(), "OK\r\n");
  const auto t0 = clock::now();
  EXPECT_EQ(rt_.shutdown(200ms), 1u);
  EXPECT_LT(clock::now() - t0, 3s);
  EXPECT_TRUE(busy.wait_eof());
  EXPECT_EQ(stats().active, 0u);
  EXPECT_EQ(stats().forced_closes, 1u);
  EXPECT_TRUE(logged("closing 1 connection(s) that did not finish in time"));
}

TEST_F(runtime_test, SignalHandlerRuns) {
  std::promise<int> got;
  rt_.on_signals({SIGUSR1}, [&](int s) { got.set_value(s); });
  rt_.start();
  ::raise(SIGUSR1);
  auto f = got.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), SIGUSR1);
}

}  // namespace
}  // namespace mailtls::net::test
