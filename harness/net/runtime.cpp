#include "net/runtime.hpp"

#include <optional>
#include <thread>

#include "net/asio.hpp"
#include "net/listener.hpp"

namespace mailtls::net {

const char* to_string(transport t) noexcept {
  switch (t) {
    case transport::plain:
      return "plain";
    case transport::implicit_tls:
      return "implicit TLS";
    case transport::implicit_cleartext:
      return "implicit-TLS port in CLEARTEXT (bug injection)";
  }
  return "?";
}

struct runtime::impl {
  explicit impl(logger& l, runtime_options o) : log(l), options(o) {}

  logger& log;
  runtime_options options;
  detail::asio::io_context io;
  std::optional<detail::asio::executor_work_guard<detail::asio::io_context::executor_type>> work;
  std::vector<std::shared_ptr<detail::listener>> listeners;
  std::vector<std::unique_ptr<detail::asio::signal_set>> signal_sets;
  std::vector<std::thread> threads;
  bool started = false;
  bool shut_down = false;
};

namespace {

void wait_signal(detail::asio::signal_set& set, std::function<void(int)> handler) {
  set.async_wait([&set, handler = std::move(handler)](const boost::system::error_code& ec,
                                                      int signal) mutable {
    if (ec) return;
    handler(signal);
    wait_signal(set, std::move(handler));
  });
}

}  // namespace

runtime::runtime(logger& log, runtime_options options)
    : impl_(std::make_unique<impl>(log, options)) {}

runtime::~runtime() {
  if (impl_->started && !impl_->shut_down) shutdown(std::chrono::milliseconds(0));
  stop();
}

bind_result runtime::add_listener(listener_config config) {
  bind_result r;
  auto l = detail::listener::open(impl_->io, std::move(config), impl_->log, r.error);
  if (!l) return r;
  r.port = l->port();
  r.index = impl_->listeners.size();
  if (impl_->started) l->start();
  impl_->listeners.push_back(std::move(l));
  return r;
}

void runtime::on_signals(std::vector<int> signals, std::function<void(int)> handler) {
  auto set = std::make_unique<detail::asio::signal_set>(impl_->io);
  for (int s : signals)
    set->add(s);
  wait_signal(*set, std::move(handler));
  impl_->signal_sets.push_back(std::move(set));
}

void runtime::start() {
  if (impl_->started) return;
  impl_->started = true;
  impl_->work.emplace(impl_->io.get_executor());
  for (auto& l : impl_->listeners)
    l->start();
  unsigned n = impl_->options.threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
}

unsigned runtime::thread_count() const {
  return static_cast<unsigned>(impl_->threads.size());
}

void runtime::stop_accepting() {
  for (auto& l : impl_->listeners)
    l->stop_accepting();
}

std::size_t runtime::shutdown(std::chrono::milliseconds grace) {
  impl_->shut_down = true;
  stop_accepting();
  if (impl_->started) {
    for (auto& l : impl_->listeners)
      l->sync(std::chrono::seconds(1));
  }
  const auto deadline = std::chrono::steady_clock::now() + grace;
  for (auto& l : impl_->listeners)
    l->notify_shutdown_all();
  std::size_t forced = 0;
  for (auto& l : impl_->listeners) {
    if (l->state()->wait_until_idle(deadline)) continue;
    const auto remaining = l->state()->live().size();
    forced += remaining;
    impl_->log.write(log_level::warn, l->state()->config().name, {},
                     "shutdown: closing " + std::to_string(remaining) +
                         " connection(s) that did not finish in time");
    l->force_close_all();
  }
  // Forced closes complete on the I/O threads; give them a bounded moment.
  const auto forced_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (auto& l : impl_->listeners)
    l->state()->wait_until_idle(forced_deadline);
  for (auto& s : impl_->signal_sets) {
    boost::system::error_code ignored;
    s->cancel(ignored);
  }
  return forced;
}

void runtime::stop() {
  impl_->work.reset();
  impl_->io.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_->threads.clear();
}

std::size_t runtime::listener_count() const {
  return impl_->listeners.size();
}

listener_stats runtime::stats(std::size_t index) const {
  return impl_->listeners.at(index)->state()->stats();
}

const std::string& runtime::listener_name(std::size_t index) const {
  return impl_->listeners.at(index)->state()->config().name;
}

std::uint16_t runtime::port(std::size_t index) const {
  return impl_->listeners.at(index)->port();
}

}  // namespace mailtls::net
