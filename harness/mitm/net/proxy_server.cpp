// The one translation unit of the MITM proxy that uses Asio (from mailtls_net, compiled once in
// harness/net/asio_impl.cpp).
#include "mitm/net/proxy_server.hpp"

#include <array>
#include <chrono>
#include <csignal>
#include <deque>
#include <optional>
#include <set>
#include <utility>
#include <variant>

#include "net/asio.hpp"

// After net/asio.hpp, which selects separate compilation.
#include <boost/asio/connect.hpp>

namespace mailtls::mitm {
namespace {

namespace asio = net::detail::asio;
using tcp = net::detail::tcp;
using error_code = boost::system::error_code;

}  // namespace

class proxy_connection;

struct proxy_server::impl {
  server_options opt;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::steady_timer accept_retry{io};
  std::optional<asio::signal_set> signals;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  std::size_t accepted = 0;
  std::size_t ended = 0;
  bool stopping = false;
  std::function<void(const connection_report&)> on_done;
  std::set<std::shared_ptr<proxy_connection>> live;

  std::uint64_t now_ms() const {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count());
  }
  void do_accept();
  void ended_one(const std::shared_ptr<proxy_connection>& c, const connection_report& r);
  void stop_all();
  void maybe_exit();
};

// One proxied client: its socket, the upstream socket, the session, one timer.
class proxy_connection : public std::enable_shared_from_this<proxy_connection> {
 public:
  proxy_connection(proxy_server::impl& srv, tcp::socket client, std::size_t index)
      : srv_(srv),
        client_(std::move(client), srv.opt.max_read_chunk),
        server_(tcp::socket(srv.io), srv.opt.max_read_chunk),
        resolver_(srv.io),
        timer_(srv.io),
        session_(srv.opt.session) {
    report_.index = index;
    report_.started_ms = srv.now_ms();
    error_code ec;
    const tcp::endpoint peer = client_.sock.remote_endpoint(ec);
    if (!ec) report_.client = peer.address().to_string() + ":" + std::to_string(peer.port());
  }

  void start() {
    auto self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(srv_.opt.connect_timeout_ms));
    timer_.async_wait([self](const error_code& ec) {
      if (!ec && !self->connected_ && !self->done_)
        self->fail("cannot connect to the upstream " + self->upstream() + ": timed out");
    });
    resolver_.async_resolve(
        srv_.opt.upstream_host, std::to_string(srv_.opt.upstream_port),
        [self](const error_code& ec, const tcp::resolver::results_type& results) {
          if (self->done_) return;
          if (ec) return self->fail("cannot resolve " + self->upstream() + ": " + ec.message());
          asio::async_connect(
              self->server_.sock, results,
              [self](const error_code& cec, const tcp::endpoint&) { self->on_connected(cec); });
        });
  }

  // run() is ending: close now and report what was seen so far.
  void abort() {
    if (done_) return;
    report_.error = "stopped";
    finish();
  }

 private:
  struct side {
    side(tcp::socket s, std::size_t chunk) : sock(std::move(s)), buf(chunk == 0 ? 1 : chunk) {}
    tcp::socket sock;
    std::vector<char> buf;
    std::deque<std::string> queue;
    std::size_t queued = 0;
    bool writing = false;
    bool reading = false;
    bool close_after_write = false;
    bool open = true;
  };

  std::string upstream() const {
    return srv_.opt.upstream_host + ":" + std::to_string(srv_.opt.upstream_port);
  }

  void on_connected(const error_code& ec) {
    if (done_) return;
    if (ec) return fail("cannot connect to the upstream " + upstream() + ": " + ec.message());
    connected_ = true;
    timer_.cancel();
    actions out;
    session_.start(srv_.now_ms(), out);
    apply(out);
  }

  void fail(const std::string& why) {
    report_.error = why;
    finish();
  }

  void apply(const actions& list) {
    for (const action& a : list) {
      if (const auto* c = std::get_if<to_client>(&a)) {
        enqueue(client_, c->bytes);
      } else if (const auto* s = std::get_if<to_server>(&a)) {
        enqueue(server_, s->bytes);
      } else if (std::holds_alternative<close_client>(a)) {
        client_.close_after_write = true;
        if (client_.queue.empty()) close_side(client_);
      } else if (std::holds_alternative<close_server>(a)) {
        server_.close_after_write = true;
        if (server_.queue.empty()) close_side(server_);
      } else if (const auto* r = std::get_if<read_both>(&a)) {
        arm_timer(r->timeout_ms);
      }
    }
    if (session_.finished()) {
      finishing_ = true;
      maybe_finish();
      return;
    }
    ensure_reads();
  }

  void enqueue(side& s, const std::string& bytes) {
    if (!s.open || bytes.empty()) return;
    s.queued += bytes.size();
    s.queue.push_back(bytes);
    pump_write(s);
  }

  void pump_write(side& s) {
    if (s.writing || s.queue.empty() || !s.open) return;
    s.writing = true;
    auto self = shared_from_this();
    const bool is_client = &s == &client_;
    asio::async_write(s.sock, asio::buffer(s.queue.front()),
                      [self, is_client](const error_code& ec, std::size_t) {
                        self->on_written(is_client ? self->client_ : self->server_, ec);
                      });
  }

  void on_written(side& s, const error_code& ec) {
    s.writing = false;
    if (done_) return;
    if (ec) return peer_gone(s);
    s.queued -= s.queue.front().size();
    s.queue.pop_front();
    if (s.queue.empty() && s.close_after_write) close_side(s);
    pump_write(s);
    if (finishing_) return maybe_finish();
    ensure_reads();  // backpressure may be over
  }

  void ensure_reads() {
    if (done_ || session_.finished()) return;
    // A side is read only while its peer's write queue is short (backpressure).
    if (!client_.reading && client_.open && !client_.close_after_write &&
        server_.queued < srv_.opt.max_pending_write)
      start_read(client_);
    if (!server_.reading && server_.open && !server_.close_after_write &&
        client_.queued < srv_.opt.max_pending_write)
      start_read(server_);
  }

  void start_read(side& s) {
    s.reading = true;
    auto self = shared_from_this();
    const bool is_client = &s == &client_;
    s.sock.async_read_some(asio::buffer(s.buf),
                           [self, is_client](const error_code& ec, std::size_t n) {
                             self->on_read(is_client, ec, n);
                           });
  }

  void on_read(bool is_client, const error_code& ec, std::size_t n) {
    side& s = is_client ? client_ : server_;
    s.reading = false;
    if (done_ || session_.finished()) return;
    if (ec) return peer_gone(s);
    actions out;
    const std::string_view bytes(s.buf.data(), n);
    if (is_client) {
      session_.on_client_bytes(bytes, srv_.now_ms(), out);
    } else {
      session_.on_server_bytes(bytes, srv_.now_ms(), out);
    }
    apply(out);
  }

  // EOF, reset or a failed write on one side.
  void peer_gone(side& s) {
    const bool is_client = &s == &client_;
    close_side(s);
    if (session_.finished()) return maybe_finish();
    actions out;
    if (is_client) {
      session_.on_client_closed(srv_.now_ms(), out);
    } else {
      session_.on_server_closed(srv_.now_ms(), out);
    }
    apply(out);
  }

  void arm_timer(std::uint32_t ms) {
    const std::uint64_t gen = ++timer_gen_;
    timer_.expires_after(std::chrono::milliseconds(ms));
    auto self = shared_from_this();
    timer_.async_wait([self, gen](const error_code& ec) {
      if (ec || gen != self->timer_gen_ || self->done_ || self->session_.finished()) return;
      actions out;
      self->session_.on_timeout(self->srv_.now_ms(), out);
      self->apply(out);
    });
  }

  void close_side(side& s) {
    if (!s.open) return;
    s.open = false;
    error_code ec;
    s.sock.shutdown(tcp::socket::shutdown_both, ec);
    s.sock.close(ec);
    s.queue.clear();
    s.queued = 0;
  }

  void maybe_finish() {
    const bool flushed =
        (!client_.open || client_.queue.empty()) && (!server_.open || server_.queue.empty());
    if (flushed) finish();
  }

  void finish() {
    if (done_) return;
    done_ = true;
    close_side(client_);
    close_side(server_);
    timer_.cancel();
    resolver_.cancel();
    report_.duration_ms = srv_.now_ms() - report_.started_ms;
    report_.findings = session_.result().list();
    report_.dropped_findings = session_.result().dropped();
    report_.verdict = session_.verdict();
    if (!report_.error.empty() && report_.error != "stopped")
      report_.verdict = {verdict::error, report_.error};
    srv_.ended_one(shared_from_this(), report_);
  }

  proxy_server::impl& srv_;
  side client_;
  side server_;
  tcp::resolver resolver_;
  asio::steady_timer timer_;
  proxy_session session_;
  connection_report report_;
  std::uint64_t timer_gen_ = 0;
  bool connected_ = false;
  bool finishing_ = false;
  bool done_ = false;
};

void proxy_server::impl::do_accept() {
  if (stopping || !acceptor.is_open()) return;
  acceptor.async_accept([this](const error_code& ec, tcp::socket sock) {
    if (stopping || !acceptor.is_open()) return;
    if (ec) {  // EMFILE and friends: back off instead of spinning
      accept_retry.expires_after(std::chrono::milliseconds(100));
      accept_retry.async_wait([this](const error_code& wec) {
        if (!wec) do_accept();
      });
      return;
    }
    if (live.size() >= opt.max_connections) {
      error_code ignored;
      sock.close(ignored);  // over the bound: refused
    } else {
      ++accepted;
      auto c = std::make_shared<proxy_connection>(*this, std::move(sock), accepted);
      live.insert(c);
      c->start();
      if (opt.count != 0 && accepted >= opt.count) {  // --count: no more clients
        error_code ignored;
        acceptor.close(ignored);
        return;
      }
    }
    do_accept();
  });
}

void proxy_server::impl::ended_one(const std::shared_ptr<proxy_connection>& c,
                                   const connection_report& r) {
  live.erase(c);
  ++ended;
  if (on_done) on_done(r);
  maybe_exit();
}

void proxy_server::impl::maybe_exit() {
  const bool all_counted = opt.count != 0 && ended >= opt.count;
  if ((all_counted || stopping) && live.empty()) {
    error_code ignored;
    acceptor.close(ignored);
    accept_retry.cancel();
    if (signals) signals->cancel(ignored);
    io.stop();
  }
}

void proxy_server::impl::stop_all() {
  stopping = true;
  error_code ignored;
  acceptor.close(ignored);
  const auto copy = live;  // abort() removes from `live`
  for (const auto& c : copy)
    c->abort();
  maybe_exit();
}

proxy_server::proxy_server(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
proxy_server::~proxy_server() = default;

std::unique_ptr<proxy_server> proxy_server::open(const server_options& options,
                                                 std::string& error) {
  auto p = std::make_unique<impl>();
  p->opt = options;
  if (p->opt.max_connections == 0) p->opt.max_connections = 1;
  error_code ec;
  const auto address = asio::ip::make_address(options.listen_host, ec);
  const std::string where = options.listen_host + ":" + std::to_string(options.listen_port);
  if (ec) {
    error = "listen " + where + ": not an IP address";
    return nullptr;
  }
  const tcp::endpoint ep(address, options.listen_port);
  p->acceptor.open(ep.protocol(), ec);
  if (!ec) p->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) p->acceptor.bind(ep, ec);
  if (!ec) p->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "listen " + where + ": " + ec.message();
    return nullptr;
  }
  return std::unique_ptr<proxy_server>(new proxy_server(std::move(p)));
}

std::uint16_t proxy_server::port() const {
  error_code ec;
  const auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

std::size_t proxy_server::run(const std::function<void(const connection_report&)>& on_done) {
  impl& s = *impl_;
  s.on_done = on_done;
  s.t0 = std::chrono::steady_clock::now();
  if (s.opt.stop_on_signals) {
    s.signals.emplace(s.io, SIGINT, SIGTERM);
    s.signals->async_wait([&s](const error_code& ec, int) {
      if (!ec) s.stop_all();
    });
  }
  s.do_accept();
  s.io.run();
  s.io.restart();
  return s.accepted;
}

void proxy_server::stop() {
  impl* s = impl_.get();
  asio::post(s->io, [s] { s->stop_all(); });
}

}  // namespace mailtls::mitm
