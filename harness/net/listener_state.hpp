// Internal to harness/net: what a listener and its connections share (config, logger, counts,
// the set of live connections for shutdown). Thread-safe; no Asio.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "net/config.hpp"
#include "net/logger.hpp"

namespace mailtls::net::detail {

class connection_driver;

class listener_state {
 public:
  listener_state(listener_config config, logger& log) : config_(std::move(config)), log_(log) {}

  const listener_config& config() const { return config_; }
  logger& log() const { return log_; }

  enum class admission { admitted, over_total, over_address };
  // Counts the connection in when it is within both limits.
  admission try_admit(const std::string& address);
  // Tracks a live connection (admitted or being refused) for shutdown.
  void attach(connection_driver* c, std::weak_ptr<connection_driver> w);
  // The connection is gone; `counted` when try_admit admitted it. Idempotent per connection.
  void release(connection_driver* c, const std::string& address, bool counted);

  std::unordered_map<connection_driver*, std::weak_ptr<connection_driver>> live() const;
  // Until no connection is live or the deadline passes; true when none is left.
  bool wait_until_idle(std::chrono::steady_clock::time_point deadline);

  template <class F>
  void update_stats(F&& f) {
    std::lock_guard lock(mutex_);
    f(stats_);
  }
  listener_stats stats() const;

 private:
  listener_config config_;
  logger& log_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  std::map<std::string, std::size_t> per_address_;
  std::size_t counted_ = 0;
  std::unordered_map<connection_driver*, std::weak_ptr<connection_driver>> live_;
  listener_stats stats_;
};

}  // namespace mailtls::net::detail
