#include "net/logger.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace mailtls::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

TEST(logger, FormatsOneLineWithUtcMilliseconds) {
  const system_clock::time_point t{milliseconds(1'795'948'275'123)};  // 2026-11-29T10:31:15.123Z
  EXPECT_EQ(format_log_line(t, log_level::info, "smtp", "127.0.0.1:51234", "accepted"),
            "2026-11-29T10:31:15.123Z info smtp 127.0.0.1:51234 accepted\n");
  EXPECT_EQ(format_log_line(system_clock::time_point{}, log_level::warn, "", "", "x"),
            "1970-01-01T00:00:00.000Z warn - - x\n");
}

TEST(logger, EscapesControlCharactersSoEveryEventIsOneLine) {
  const system_clock::time_point t{milliseconds(5)};
  EXPECT_EQ(format_log_line(t, log_level::error, "imap", "p", "a\r\nb\tc\x01\x7f"),
            "1970-01-01T00:00:00.005Z error imap p a\\r\\nb\\tc\\x01\\x7F\n");
}

TEST(logger, MinimumLevelFilters) {
  std::vector<std::string> lines;
  logger log(log_level::warn, [&](std::string_view l) { lines.emplace_back(l); });
  log.write(log_level::debug, "a", "b", "dropped");
  log.write(log_level::info, "a", "b", "dropped");
  log.write(log_level::warn, "a", "b", "kept");
  log.write(log_level::error, "a", "b", "kept too");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(" warn a b kept\n"), std::string::npos);
  EXPECT_NE(lines[1].find(" error a b kept too\n"), std::string::npos);
  log.set_min_level(log_level::debug);
  EXPECT_TRUE(log.enabled(log_level::debug));
}

TEST(logger, ParsesLevels) {
  EXPECT_EQ(parse_log_level("debug"), log_level::debug);
  EXPECT_EQ(parse_log_level("info"), log_level::info);
  EXPECT_EQ(parse_log_level("warn"), log_level::warn);
  EXPECT_EQ(parse_log_level("warning"), log_level::warn);
  EXPECT_EQ(parse_log_level("error"), log_level::error);
  EXPECT_EQ(parse_log_level("INFO"), std::nullopt);
  EXPECT_EQ(parse_log_level(""), std::nullopt);
}

}  // namespace
}  // namespace mailtls::net
