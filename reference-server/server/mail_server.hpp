// The assembled mailtls-server: Maildir backend, TLS contexts, one listener per service with the
// protocol's session and the seed port policy, signals and graceful shutdown.
//
//   net::logger log(opts.log_level);
//   int code = 0; std::string error;
//   auto srv = mail_server::create(opts, log, code, error);   // binds every port
//   if (!srv) { std::cerr << error; return code; }
//   srv->handle_signals();                                      // SIGINT/SIGTERM: stop
//   if (!srv->start(error)) ...                                 // threads, then the ports file
//   srv->wait();                                                // until a signal or request_stop
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "net/logger.hpp"
#include "net/runtime.hpp"
#include "server/options.hpp"

namespace mailtls::server::store {
class maildir_backend;
}

namespace mailtls::server::app {

class mail_server {
 public:
  // Opens the store, prepares TLS and binds every enabled listener. On failure: nullptr,
  // exit_code 2 (configuration: accounts file, certificate files, options) or 1 (runtime: a
  // port that cannot be bound, an unwritable state directory), and `error` says what and where.
  static std::unique_ptr<mail_server> create(const server_options& opts, net::logger& log,
                                             int& exit_code, std::string& error);
  ~mail_server();
  mail_server(const mail_server&) = delete;
  mail_server& operator=(const mail_server&) = delete;

  // SIGINT/SIGTERM: request_stop(); SIGHUP: reload the accounts file. Call before start().
  void handle_signals();
  // Starts the I/O threads, then writes the ports file (if configured).
  bool start(std::string& error);
  // Service name -> bound port, for the services that run.
  const std::map<std::string, std::uint16_t>& ports() const { return ports_; }
  // The private CA's certificate (empty when --cert/--key were given).
  const std::string& ca_certificate() const { return ca_certificate_; }

  void request_stop();  // thread-safe, idempotent
  // Blocks until request_stop() (or a signal), then shuts down gracefully: stop accepting,
  // on_shutdown to every session, up to shutdown_timeout for them to finish, then force.
  // Returns how many connections had to be closed hard.
  std::size_t wait();

 private:
  mail_server(const server_options& opts, net::logger& log);

  server_options opts_;
  net::logger& log_;
  std::unique_ptr<store::maildir_backend> backend_;  // outlives the runtime's sessions
  std::unique_ptr<net::runtime> runtime_;
  std::map<std::string, std::uint16_t> ports_;
  std::string ca_certificate_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_requested_ = false;
  bool stopped_ = false;
};

}  // namespace mailtls::server::app
