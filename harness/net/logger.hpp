// net::logger: one line per event for the operator, on stderr by default.
//
//   2026-11-29T10:31:15.123Z info smtp 127.0.0.1:51234 accepted
//
// Fields: UTC time with milliseconds, level (debug/info/warn/error), listener name, peer
// (address:port), message. An empty listener or peer prints as "-". Control characters in the
// message (CR, LF, NUL... anything a peer could smuggle in) are escaped as \r, \n, \xNN so that
// one event is always exactly one line (no log injection). Thread-safe: a line is written with
// one call under a mutex. Std only (no Asio).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "session/action.hpp"

namespace mailtls::net {

using session::log_level;

// "debug", "info", "warn" (also "warning"), "error"; nothing for anything else.
std::optional<log_level> parse_log_level(std::string_view text) noexcept;

// The whole line including the trailing '\n'.
std::string format_log_line(std::chrono::system_clock::time_point when, log_level level,
                            std::string_view listener, std::string_view peer,
                            std::string_view message);

class logger {
 public:
  // Receives each formatted line (with its '\n'); called under the logger's mutex.
  using sink = std::function<void(std::string_view line)>;

  // Writes to stderr.
  explicit logger(log_level min_level = log_level::info);
  logger(log_level min_level, sink s);

  void set_min_level(log_level level) { min_.store(level, std::memory_order_relaxed); }
  log_level min_level() const { return min_.load(std::memory_order_relaxed); }
  bool enabled(log_level level) const { return level >= min_level(); }

  void write(log_level level, std::string_view listener, std::string_view peer,
             std::string_view message);

 private:
  std::atomic<log_level> min_;
  sink sink_;
  std::mutex mutex_;
};

}  // namespace mailtls::net
