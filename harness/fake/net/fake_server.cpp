// The fake server's socket side: one accepted connection, driven action by action. Asio is used
// in its "blocking with a deadline" form (asio/example/cpp11/timeouts/blocking_tcp_client.cpp):
// start one asynchronous operation, run the io_context for at most the time left, cancel it when
// the time is up. Everything runs on the caller's thread.
#include "fake/net/fake_server.hpp"

#include <chrono>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include "net/asio.hpp"
#include "tls/engine.hpp"

namespace mailtls::fake::net {

namespace asio = mailtls::net::detail::asio;
using tcp = mailtls::net::detail::tcp;
using steady = std::chrono::steady_clock;

struct fake_server::impl {
  explicit impl(server_options o) : opt(std::move(o)) {}
  server_options opt;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::uint16_t port = 0;
};

namespace {

// Runs `io` until `done` or `ms` passed; on expiry calls cancel() and lets the cancelled
// operation complete. True when the operation completed within the time.
template <class Cancel>
bool run_for(asio::io_context& io, const bool& done, std::uint32_t ms, Cancel cancel) {
  io.restart();
  io.run_for(std::chrono::milliseconds(ms));
  if (done) return true;
  cancel();
  io.restart();
  io.run();
  return false;
}

runner::scenario_result error_result(std::string reason) {
  runner::scenario_result r;
  r.v.result = runner::outcome::error;
  r.v.reason = std::move(reason);
  return r;
}

class connection {
 public:
  connection(fake_server::impl& m, tcp::socket socket, session& s, const tls_provider& tls,
             steady::time_point start)
      : m_(m), socket_(std::move(socket)), s_(s), tls_(tls), start_(start) {
    buffer_.resize(m_.opt.read_chunk == 0 ? 1 : m_.opt.read_chunk);
  }

  runner::scenario_result run();

 private:
  enum class got { data, eof, timeout, error };

  std::uint64_t now() const {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start_).count());
  }
  std::uint32_t hard_left() const {
    const auto n = now();
    return n >= m_.opt.hard_timeout_ms ? 0 : static_cast<std::uint32_t>(m_.opt.hard_timeout_ms - n);
  }
  std::uint32_t capped(std::uint32_t ms) const {
    return std::max<std::uint32_t>(1, std::min(ms, hard_left()));
  }

  got read_some(std::uint32_t ms, std::string& out, std::string& why);
  bool write_all(std::string_view bytes, std::string& why);
  bool flush_tls(std::string& why);
  void perform(action& a);
  void do_send(const send_bytes& a);
  void do_read(const read_bytes& a);
  void do_tls(const start_tls& a);
  void do_close();
  void io_failed(const std::string& why);
  template <class F>
  void call(F&& f) {
    actions out;
    f(out);
    for (auto& a : out)
      queue_.push_back(std::move(a));
  }

  fake_server::impl& m_;
  tcp::socket socket_;
  session& s_;
  const tls_provider& tls_;
  steady::time_point start_;
  std::vector<char> buffer_;
  std::deque<action> queue_;
  std::optional<tls::engine> engine_;
  bool tls_up_ = false;
  std::string in_plain_;  // decrypted with the handshake's end, not yet delivered
  bool closed_ = false;
};

connection::got connection::read_some(std::uint32_t ms, std::string& out, std::string& why) {
  bool done = false;
  boost::system::error_code ec;
  std::size_t n = 0;
  socket_.async_read_some(asio::buffer(buffer_),
                          [&](const boost::system::error_code& e, std::size_t k) {
                            ec = e;
                            n = k;
                            done = true;
                          });
  run_for(m_.io, done, capped(ms), [&] { socket_.cancel(); });
  if (n > 0) {
    out.assign(buffer_.data(), n);
    return got::data;
  }
  if (ec == asio::error::operation_aborted || !ec) return got::timeout;
  if (ec == asio::error::eof) return got::eof;
  why = ec.message();
  return got::error;
}

bool connection::write_all(std::string_view bytes, std::string& why) {
  if (bytes.empty()) return true;
  bool done = false;
  boost::system::error_code ec;
  asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                    [&](const boost::system::error_code& e, std::size_t) {
                      ec = e;
                      done = true;
                    });
  if (!run_for(m_.io, done, capped(m_.opt.write_timeout_ms), [&] { socket_.cancel(); })) {
    why = "the client did not read our bytes within " + std::to_string(m_.opt.write_timeout_ms) +
          " ms";
    return false;
  }
  if (ec) {
    why = ec.message();
    return false;
  }
  return true;
}

bool connection::flush_tls(std::string& why) {
  std::string out;
  engine_->take_ciphertext(out);
  return write_all(out, why);
}

void connection::io_failed(const std::string& why) {
  closed_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  call([&](actions& out) { s_.on_io_error(why, now(), out); });
}

void connection::do_send(const send_bytes& a) {
  std::string why;
  bool ok = true;
  if (engine_ && tls_up_) {
    ok = !engine_->write_plaintext(a.bytes) && flush_tls(why);
    if (!ok && why.empty()) why = engine_->error_reason();
  } else {
    ok = write_all(a.bytes, why);
  }
  if (!ok) io_failed(why.empty() ? "write failed" : why);
}

void connection::do_read(const read_bytes& a) {
  if (!in_plain_.empty()) {
    const std::string bytes = std::exchange(in_plain_, {});
    call([&](actions& out) { s_.on_bytes(bytes, now(), out); });
    return;
  }
  const auto deadline = now() + a.timeout_ms;
  // Each round reads once; under TLS a read may decrypt nothing (a record split, a ticket).
  for (int round = 0; round < 100'000; ++round) {
    const auto n = now();
    if (n >= deadline || hard_left() == 0) break;
    std::string data, why;
    switch (read_some(static_cast<std::uint32_t>(deadline - n), data, why)) {
      case got::timeout:
        continue;
      case got::eof:
        closed_ = true;
        call([&](actions& out) { s_.on_closed(now(), out); });
        return;
      case got::error:
        io_failed(why);
        return;
      case got::data:
        break;
    }
    if (!engine_) {
      call([&](actions& out) { s_.on_bytes(data, now(), out); });
      return;
    }
    engine_->feed_ciphertext(data);
    std::string plain;
    engine_->read_plaintext(plain);
    std::string ignored;
    flush_tls(ignored);  // post-handshake messages, alerts
    if (!plain.empty()) {
      call([&](actions& out) { s_.on_bytes(plain, now(), out); });
      return;
    }
    if (engine_->peer_closed()) {
      call([&](actions& out) { s_.on_closed(now(), out); });
      return;
    }
    if (engine_->failed()) {
      io_failed("TLS: " + engine_->error_reason());
      return;
    }
  }
  call([&](actions& out) { s_.on_timeout(now(), out); });
}

void connection::do_tls(const start_tls& a) {
  runner::tls_facts f;
  f.attempted = true;
  f.implicit = a.implicit;
  auto ctx = tls_(a);
  if (!ctx) {
    f.client_error = true;
    f.failure = "no server TLS context: " + ctx.detail;
    call([&](actions& out) { s_.on_tls_done(f, now(), out); });
    return;
  }
  engine_.emplace(*ctx);
  const std::uint32_t bound = a.timeout_ms != 0 ? a.timeout_ms : m_.opt.handshake_timeout_ms;
  const auto deadline = now() + bound;
  auto describe = [&] {
    if (const auto& alert = engine_->alert_received()) {
      return "the client sent the TLS alert '" + alert->text + "'";
    }
    return engine_->error_reason().empty() ? std::string("handshake failed")
                                           : engine_->error_reason();
  };
  for (int round = 0; round < 100'000; ++round) {
    std::string why;
    if (!flush_tls(why)) {
      f.failure = why;
      break;
    }
    if (engine_->handshake_done()) {
      tls_up_ = true;
      f.established = true;
      const auto info = engine_->info();
      f.version = info.version;
      f.cipher = info.cipher;
      f.alpn = info.alpn;
      engine_->read_plaintext(in_plain_);
      break;
    }
    if (engine_->failed()) {
      f.failure = describe();
      break;
    }
    const auto n = now();
    if (n >= deadline || hard_left() == 0) {
      f.failure = "no TLS handshake within " + std::to_string(bound) + " ms";
      break;
    }
    std::string data;
    const auto r = read_some(static_cast<std::uint32_t>(deadline - n), data, why);
    if (r == got::timeout) continue;
    if (r == got::eof) {
      engine_->transport_closed();
      f.failure = engine_->alert_received()
                      ? describe()
                      : "the client closed the connection during the TLS handshake";
      closed_ = true;
      break;
    }
    if (r == got::error) {
      f.failure = engine_->alert_received() ? describe() : why;
      closed_ = true;
      break;
    }
    engine_->feed_ciphertext(data);
  }
  if (!f.established && f.failure.empty()) f.failure = "handshake did not finish";
  call([&](actions& out) { s_.on_tls_done(f, now(), out); });
}

void connection::do_close() {
  if (closed_) return;
  closed_ = true;
  std::string ignored;
  if (engine_ && tls_up_ && !engine_->shutdown()) flush_tls(ignored);
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void connection::perform(action& a) {
  std::visit(
      [&](auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, send_bytes>) {
          if (!closed_) do_send(x);
        } else if constexpr (std::is_same_v<T, read_bytes>) {
          if (closed_) {
            call([&](actions& out) { s_.on_closed(now(), out); });
          } else {
            do_read(x);
          }
        } else if constexpr (std::is_same_v<T, start_tls>) {
          do_tls(x);
        } else {
          do_close();
        }
      },
      a);
}

runner::scenario_result connection::run() {
  call([&](actions& out) { s_.start(now(), out); });
  // Every action is performed once; a session asks for at most a few per event.
  for (std::size_t n = 0; n < 1'000'000 && !queue_.empty(); ++n) {
    if (hard_left() == 0) break;
    action a = std::move(queue_.front());
    queue_.pop_front();
    perform(a);
  }
  do_close();
  if (!s_.finished()) {
    auto r = s_.result();
    r.v.result = runner::outcome::error;
    r.v.reason = "the connection did not finish within " + std::to_string(m_.opt.hard_timeout_ms) +
                 " ms (hard timeout)";
    return r;
  }
  return s_.result();
}

}  // namespace

fake_server::fake_server(std::unique_ptr<impl> m) : impl_(std::move(m)) {}
fake_server::~fake_server() = default;

std::uint16_t fake_server::port() const {
  return impl_->port;
}

std::unique_ptr<fake_server> fake_server::open(const server_options& options, std::string& error) {
  auto m = std::make_unique<impl>(options);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) {
    error = "bad address " + options.host + ": " + ec.message();
    return nullptr;
  }
  const tcp::endpoint ep(address, options.port);
  const std::string where = options.host + ":" + std::to_string(options.port);
  m->acceptor.open(ep.protocol(), ec);
  if (!ec) m->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) m->acceptor.bind(ep, ec);
  if (!ec) m->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "bind " + where + ": " + ec.message();
    return nullptr;
  }
  m->port = m->acceptor.local_endpoint(ec).port();
  return std::unique_ptr<fake_server>(new fake_server(std::move(m)));
}

runner::scenario_result fake_server::serve_one(session& s, const tls_provider& tls,
                                               const give_up_fn& give_up) {
  auto& m = *impl_;
  const auto start = steady::now();
  bool done = false;
  boost::system::error_code ec;
  tcp::socket peer(m.io);
  m.acceptor.async_accept(peer, [&](const boost::system::error_code& e) {
    ec = e;
    done = true;
  });
  // Wait in slices so that a client command that exits without connecting is noticed.
  m.io.restart();
  for (int slice = 0; slice < 1'000'000 && !done; ++slice) {
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
    if (waited.count() >= m.opt.accept_timeout_ms) break;
    if (give_up && give_up()) break;
    m.io.run_for(std::chrono::milliseconds(50));
  }
  if (!done) {
    m.acceptor.cancel(ec);
    m.io.restart();
    m.io.run();
  }
  if (ec || !peer.is_open()) {
    return error_result(give_up && give_up() ? "the client exited without connecting"
                                             : "no client connected within " +
                                                   std::to_string(m.opt.accept_timeout_ms) + " ms");
  }
  connection c(m, std::move(peer), s, tls, steady::now());
  return c.run();
}

}  // namespace mailtls::fake::net
