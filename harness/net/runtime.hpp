// net::runtime: one io_context run by N threads, the listeners on it, signals and shutdown.
//
//   net::logger log(log_level::info);
//   net::runtime rt(log, {.threads = 4});
//   auto bound = rt.add_listener(std::move(config));   // binds now; bound.port, bound.error
//   rt.on_signals({SIGINT, SIGTERM}, [&](int) { stop_requested.set_value(); });
//   rt.start();
//   ...wait for stop_requested...
//   rt.shutdown(std::chrono::seconds(10));              // stop accepting, on_shutdown, wait, force
//   rt.stop();                                           // joins the threads
//
// Threading: every connection has its own strand, so its session is never called concurrently,
// but different connections run in parallel (session calls may block briefly in the store's
// fsync). Asio stays inside the net layer's .cpp files: this header does not include it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/config.hpp"
#include "net/logger.hpp"

namespace mailtls::net {

struct runtime_options {
  unsigned threads = 0;  // 0: std::thread::hardware_concurrency() (at least 1)
};

struct bind_result {
  std::uint16_t port = 0;  // the bound port (the kernel's choice when 0 was asked)
  std::size_t index = 0;   // for stats()
  std::string error;       // set on failure, naming the listener and address
  explicit operator bool() const { return error.empty(); }
};

class runtime {
 public:
  explicit runtime(logger& log, runtime_options options = {});
  ~runtime();  // shutdown(0) and stop() if still running
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  // Binds and listens immediately (before start(): accepting begins with start()).
  bind_result add_listener(listener_config config);
  // Handler runs on an I/O thread each time one of the signals arrives. Call before start().
  void on_signals(std::vector<int> signals, std::function<void(int)> handler);

  void start();
  unsigned thread_count() const;

  // Closes every listening socket (existing connections go on).
  void stop_accepting();
  // Graceful stop: stop_accepting(), on_shutdown() to every session, wait up to `grace` for the
  // connections to close, then close the rest hard. Blocks; call it from a thread that is not
  // one of the runtime's. Returns how many connections had to be closed hard.
  std::size_t shutdown(std::chrono::milliseconds grace);
  // Stops the io_context and joins the threads (after shutdown(), or to abandon everything).
  void stop();

  std::size_t listener_count() const;
  listener_stats stats(std::size_t index) const;
  const std::string& listener_name(std::size_t index) const;
  std::uint16_t port(std::size_t index) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mailtls::net
