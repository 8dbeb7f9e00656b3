#include "net/listener.hpp"

#include <future>
#include <utility>

#include "net/connection_driver.hpp"

namespace mailtls::net::detail {

// --- listener_state ---

listener_state::admission listener_state::try_admit(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (counted_ >= config_.max_connections) return admission::over_total;
  auto& n = per_address_[address];
  if (n >= config_.max_connections_per_address) {
    if (n == 0) per_address_.erase(address);
    return admission::over_address;
  }
  ++n;
  ++counted_;
  ++stats_.accepted;
  ++stats_.active;
  return admission::admitted;
}

void listener_state::attach(connection_driver* c, std::weak_ptr<connection_driver> w) {
  std::lock_guard lock(mutex_);
  live_.emplace(c, std::move(w));
}

void listener_state::release(connection_driver* c, const std::string& address, bool counted) {
  std::lock_guard lock(mutex_);
  if (live_.erase(c) == 0) return;
  if (counted) {
    --counted_;
    --stats_.active;
    auto it = per_address_.find(address);
    if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
  }
  if (live_.empty()) idle_.notify_all();
}

std::unordered_map<connection_driver*, std::weak_ptr<connection_driver>> listener_state::live()
    const {
  std::lock_guard lock(mutex_);
  return live_;
}

bool listener_state::wait_until_idle(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return idle_.wait_until(lock, deadline, [this] { return live_.empty(); });
}

listener_stats listener_state::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

// --- listener ---

namespace {

std::string endpoint_text(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

std::shared_ptr<listener> listener::open(asio::io_context& io, listener_config config, logger& log,
                                         std::string& error) {
  const std::string where = endpoint_text(config.host, config.port);
  if (!config.factory.make) {
    error = config.name + " " + where + ": no session factory";
    return nullptr;
  }
  if (config.mode == transport::implicit_tls && !config.tls) {
    error = config.name + " " + where + ": implicit TLS needs a TLS context";
    return nullptr;
  }
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(config.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, config.port);
  } else {
    tcp::resolver resolver(io);
    auto results = resolver.resolve(config.host, std::to_string(config.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || results.empty()) {
      error = config.name + " " + where +
              ": cannot resolve host: " + (ec ? ec.message() : std::string("no address"));
      return nullptr;
    }
    endpoint = results.begin()->endpoint();
  }
  auto state = std::make_shared<listener_state>(std::move(config), log);
  auto l = std::make_shared<listener>(io, state);
  auto& acc = l->acceptor_;
  const auto fail = [&](const char* what) {
    error = state->config().name + " " + where + ": " + what + ": " + ec.message();
    return nullptr;
  };
  acc.open(endpoint.protocol(), ec);
  if (ec) return fail("socket");
  acc.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) return fail("setsockopt");
  acc.bind(endpoint, ec);
  if (ec) return fail("bind");
  acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  l->port_ = acc.local_endpoint(ec).port();
  if (ec) return fail("getsockname");
  return l;
}

listener::listener(asio::io_context& io, std::shared_ptr<listener_state> state)
    : io_(io),
      strand_(asio::make_strand(io)),
      acceptor_(strand_),
      retry_(strand_),
      state_(std::move(state)) {}

void listener::start() {
  asio::post(strand_, [self = shared_from_this()] {
    self->state_->log().write(session::log_level::info, self->state_->config().name, {},
                              "listening on " +
                                  endpoint_text(self->state_->config().host, self->port_) + " (" +
                                  to_string(self->state_->config().mode) + ")");
    self->do_accept();
  });
}

void listener::stop_accepting() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->stopped_) return;
    self->stopped_ = true;
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_.cancel();
  });
}

void listener::sync(std::chrono::milliseconds bound) {
  auto done = std::make_shared<std::promise<void>>();
  auto f = done->get_future();
  asio::post(strand_, [done] { done->set_value(); });
  f.wait_for(bound);
}

void listener::notify_shutdown_all() {
  for (auto& [ptr, weak] : state_->live()) {
    if (auto c = weak.lock()) c->notify_shutdown();
  }
}

void listener::force_close_all() {
  for (auto& [ptr, weak] : state_->live()) {
    if (auto c = weak.lock()) c->force_close();
  }
}

void listener::do_accept() {
  if (stopped_) return;
  // Each connection gets its own strand: its socket's executor, hence its handlers'.
  acceptor_.async_accept(
      asio::make_strand(io_),
      [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void listener::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (stopped_) return;
  const auto& cfg = state_->config();
  if (ec) {
    if (ec == asio::error::operation_aborted) return;
    state_->log().write(session::log_level::error, cfg.name, {}, "accept failed: " + ec.message());
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
      if (!e) self->do_accept();
    });
    return;
  }
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  const auto remote = socket.remote_endpoint(ignored);
  const std::string address = remote.address().to_string();
  const auto admission = state_->try_admit(address);
  if (admission == listener_state::admission::admitted) {
    auto session = cfg.factory.make();
    if (!session) {
      state_->log().write(session::log_level::error, cfg.name, address, "session factory failed");
    }
    auto c =
        std::make_shared<connection_driver>(std::move(socket), state_, std::move(session), true);
    state_->attach(c.get(), c);
    c->start();
  } else {
    state_->update_stats([](listener_stats& s) { ++s.refused; });
    const bool total = admission == listener_state::admission::over_total;
    state_->log().write(session::log_level::warn, cfg.name, address,
                        std::string("refused: too many connections ") +
                            (total ? "(listener limit " + std::to_string(cfg.max_connections) + ")"
                                   : "from this address (limit " +
                                         std::to_string(cfg.max_connections_per_address) + ")"));
    session::actions refusal;
    if (cfg.mode != transport::implicit_tls && cfg.factory.refuse) cfg.factory.refuse(refusal);
    auto c = std::make_shared<connection_driver>(std::move(socket), state_, nullptr, false);
    state_->attach(c.get(), c);
    c->start_refused(std::move(refusal));
  }
  do_accept();
}

}  // namespace mailtls::net::detail
