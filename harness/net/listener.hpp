// Internal to harness/net: the accept loop of one listening endpoint.
//
// Binds synchronously (so the caller learns the bound port, or which address failed, before
// anything runs), then accepts on its own strand. Each accepted socket gets its own strand and a
// connection_driver. Over a limit (total or per client address) the connection is refused: the
// factory's refuse() actions are sent (not on implicit-TLS listeners) and it is closed. Accept
// errors such as EMFILE are logged and retried after a short back-off instead of spinning.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "net/asio.hpp"
#include "net/listener_state.hpp"

namespace mailtls::net::detail {

class listener : public std::enable_shared_from_this<listener> {
 public:
  // Binds and listens; on failure returns null and sets `error` ("bind 127.0.0.1:25: ...").
  static std::shared_ptr<listener> open(asio::io_context& io, listener_config config, logger& log,
                                        std::string& error);

  listener(asio::io_context& io, std::shared_ptr<listener_state> state);

  std::uint16_t port() const { return port_; }
  const std::shared_ptr<listener_state>& state() const { return state_; }

  void start();           // begins accepting (thread-safe)
  void stop_accepting();  // closes the acceptor (thread-safe)
  // Waits (bounded) until the handlers queued on the accept strand so far have run: after
  // stop_accepting(), every accepted connection is then registered in state().
  void sync(std::chrono::milliseconds bound);
  void notify_shutdown_all();
  void force_close_all();

 private:
  void do_accept();
  void on_accept(const boost::system::error_code& ec, tcp::socket socket);

  asio::io_context& io_;
  strand strand_;
  tcp::acceptor acceptor_;
  asio::steady_timer retry_;
  std::shared_ptr<listener_state> state_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace mailtls::net::detail
