#include "net/connection_driver.hpp"

#include <algorithm>
#include <utility>

namespace mailtls::net::detail {
namespace {

// After this many actions in one go, yield the thread (post the rest) so one chatty session
// cannot starve the others sharing the io_context threads.
constexpr int actions_per_turn = 1024;
// Plaintext handed to the TLS engine per write_plaintext call (well under engine_limits).
constexpr std::size_t tls_write_chunk = 16 * 1024;

}  // namespace

connection_driver::connection_driver(tcp::socket socket, std::shared_ptr<listener_state> owner,
                                     std::unique_ptr<session::server_session> session, bool counted)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      owner_(std::move(owner)),
      limits_(owner_->config().limits),
      session_(std::move(session)),
      counted_(counted),
      read_buffer_(std::max<std::size_t>(limits_.read_chunk, 512)) {
  boost::system::error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  if (!ec) {
    peer_address_ = remote.address().to_string();
    peer_port_ = remote.port();
    peer_label_ = remote.address().is_v6() ? "[" + peer_address_ + "]" : peer_address_;
    peer_label_ += ":" + std::to_string(peer_port_);
  } else {
    peer_label_ = "?";
  }
}

connection_driver::~connection_driver() {
  if (!released_) owner_->release(this, peer_address_, counted_);
}

void connection_driver::log(session::log_level level, std::string_view text) {
  owner_->log().write(level, owner_->config().name, peer_label_, text);
}

void connection_driver::start() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->log(session::log_level::info, "connected");
    switch (self->owner_->config().mode) {
      case transport::implicit_tls:
        self->begin_tls(true);
        break;
      case transport::implicit_cleartext:
        self->log(session::log_level::warn,
                  "BUG INJECTION implicit-cleartext: no TLS on an implicit-TLS listener");
        self->call_session([&](session::actions& out) {
          session::connection_facts facts{self->peer_address_, self->peer_port_, true};
          self->session_->on_connect(facts, out);
        });
        break;
      case transport::plain:
        self->call_session([&](session::actions& out) {
          session::connection_facts facts{self->peer_address_, self->peer_port_, false};
          self->session_->on_connect(facts, out);
        });
        break;
    }
    self->advance();
  });
}

void connection_driver::start_refused(session::actions refusal) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), r = std::move(refusal)]() mutable {
    for (auto& a : r) {
      // A refused connection only speaks and closes: it never reads or upgrades.
      if (std::holds_alternative<session::send>(a) || std::holds_alternative<session::log>(a)) {
        self->queue_.push_back(std::move(a));
      }
    }
    self->queue_.emplace_back(session::close{});
    self->advance();
  });
}

void connection_driver::notify_shutdown() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->shutdown_notified_ || !self->session_) return;
    switch (self->phase_) {
      case phase::flush_for_close:
      case phase::closing_final:
      case phase::draining:
      case phase::closed:
        return;
      default:
        break;
    }
    if (self->tls_ == tls_state::handshaking && self->implicit_handshake_) {
      // The session has not been connected yet: nothing to finish.
      self->enter_close();
      self->advance();
      return;
    }
    self->shutdown_notified_ = true;
    const std::size_t before = self->queue_.size();
    self->call_session([&](session::actions& out) { self->session_->on_shutdown(out); });
    if (self->queue_.size() != before && self->phase_ == phase::reading) {
      // The session answered (typically a 421/BYE and close): stop waiting for input.
      self->disarm_timer();
      self->phase_ = phase::idle;
    }
    self->advance();
  });
}

void connection_driver::force_close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ != phase::closed) self->hard_close("forced close at shutdown");
  });
}

template <class F>
void connection_driver::call_session(F&& f) {
  if (!session_) return;
  session::actions out;
  f(out);
  for (auto& a : out)
    queue_.push_back(std::move(a));
}

void connection_driver::advance() {
  for (int turn = 0; turn < actions_per_turn; ++turn) {
    switch (phase_) {
      case phase::closed:
      case phase::pausing:
      case phase::draining:
        return;
      case phase::idle: {
        if (queue_.empty()) {
          if (!session_ || session_->closed()) {
            enter_close();
            continue;
          }
          // A batch that ended without read or close: keep listening, with the default deadline.
          queue_.emplace_back(session::read{limits_.default_idle_timeout_ms});
        }
        session::action a = std::move(queue_.front());
        queue_.pop_front();
        perform(a);
        continue;
      }
      case phase::reading:
        if (!in_plain_.empty()) {
          disarm_timer();
          phase_ = phase::idle;
          std::string data;
          data.swap(in_plain_);
          call_session([&](session::actions& out) { session_->on_bytes(data, out); });
          continue;
        }
        if (peer_eof_) {
          log(session::log_level::info, "peer closed the connection");
          enter_close();
          continue;
        }
        if (pending_output() > limits_.max_pending_output) {
          if (!stalled_) {
            stalled_ = true;
            owner_->update_stats([](listener_stats& s) { ++s.stalls; });
            log(session::log_level::debug, "peer is not reading: input paused");
          }
          return;  // on_write resumes
        }
        stalled_ = false;
        start_read();
        return;
      case phase::flush_for_tls:
        if (pending_output() == 0) {
          begin_tls(false);
          continue;
        }
        return;
      case phase::handshaking:
        start_read();
        return;
      case phase::flush_for_close:
        if (pending_output() != 0) return;
        if (tls_ == tls_state::up && !engine_->close_notify_sent() && !engine_->failed()) {
          engine_->shutdown();  // RFC 8446 §6.1 close_notify
          engine_->take_ciphertext(out_);
          start_write();
        }
        phase_ = phase::closing_final;
        continue;
      case phase::closing_final: {
        if (pending_output() != 0) return;
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_send, ignored);
        phase_ = phase::draining;
        arm_timer(std::min<std::uint32_t>(limits_.close_timeout_ms, 2000));
        start_read();
        return;
      }
    }
  }
  // Many actions at once: continue in a later turn.
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->advance(); });
}

void connection_driver::perform(session::action& a) {
  if (auto* s = std::get_if<session::send>(&a)) {
    queue_output(s->bytes);
  } else if (auto* r = std::get_if<session::read>(&a)) {
    phase_ = phase::reading;
    arm_timer(r->timeout_ms != 0 ? r->timeout_ms : limits_.default_idle_timeout_ms);
  } else if (auto* p = std::get_if<session::pause>(&a)) {
    phase_ = phase::pausing;
    arm_timer(p->ms);
  } else if (std::holds_alternative<session::start_tls>(a)) {
    if (tls_ != tls_state::off) {
      log(session::log_level::error, "start_tls while TLS is already active: refused");
      call_session(
          [&](session::actions& out) { session_->on_tls_failed("TLS is already active", out); });
    } else if (!owner_->config().tls) {
      log(session::log_level::error, "start_tls without a TLS context on this listener");
      call_session(
          [&](session::actions& out) { session_->on_tls_failed("TLS is not configured", out); });
    } else {
      phase_ = phase::flush_for_tls;
      arm_timer(limits_.close_timeout_ms);
    }
  } else if (std::holds_alternative<session::close>(a)) {
    enter_close();
  } else if (auto* l = std::get_if<session::log>(&a)) {
    log(l->level, l->text);
  }
}

void connection_driver::queue_output(std::string_view plaintext) {
  if (plaintext.empty()) return;
  switch (tls_) {
    case tls_state::off:
      out_.append(plaintext);
      break;
    case tls_state::up:
      while (!plaintext.empty() && !engine_->failed()) {
        const auto piece = plaintext.substr(0, tls_write_chunk);
        if (engine_->write_plaintext(piece)) break;
        engine_->take_ciphertext(out_);
        plaintext.remove_prefix(piece.size());
      }
      engine_->take_ciphertext(out_);
      break;
    case tls_state::handshaking:
    case tls_state::failed:
      log(session::log_level::debug, "send dropped: no TLS channel");
      return;
  }
  const auto pending = static_cast<std::uint64_t>(pending_output());
  owner_->update_stats([pending](listener_stats& s) {
    s.peak_pending_output = std::max(s.peak_pending_output, pending);
  });
  start_write();
}

void connection_driver::begin_tls(bool implicit) {
  const auto& ctx = owner_->config().tls;
  implicit_handshake_ = implicit;
  if (!ctx) {
    tls_failed("TLS is not configured");
    return;
  }
  if (!in_plain_.empty()) {
    // Never reached with a conforming session (it consumed everything before start_tls); the
    // bytes predate the upgrade and must not be mistaken for TLS-protected input.
    log(session::log_level::warn,
        "discarded " + std::to_string(in_plain_.size()) + " plaintext bytes before TLS");
    in_plain_.clear();
  }
  tls::engine_options options;
  options.limits = limits_.tls;
  engine_.emplace(*ctx, std::move(options));
  tls_ = tls_state::handshaking;
  phase_ = phase::handshaking;
  arm_timer(limits_.handshake_timeout_ms);
  if (engine_->failed()) tls_failed(engine_->error_reason());
}

void connection_driver::tls_succeeded() {
  disarm_timer();
  tls_ = tls_state::up;
  const auto info = engine_->info();
  owner_->update_stats([](listener_stats& s) { ++s.tls_established; });
  log(session::log_level::info, "TLS established: " + info.version + " " + info.cipher);
  // Records glued to the client's Finished were sent under the new keys: they are input.
  engine_->read_plaintext(in_plain_);
  if (engine_->peer_closed()) peer_eof_ = true;
  phase_ = phase::idle;
  session::tls_facts tf{info.version, info.cipher};
  if (implicit_handshake_) {
    call_session([&](session::actions& out) {
      session::connection_facts facts{peer_address_, peer_port_, true};
      session_->on_connect(facts, out);
    });
  } else {
    call_session([&](session::actions& out) { session_->on_tls_established(tf, out); });
  }
}

void connection_driver::tls_failed(const std::string& reason) {
  disarm_timer();
  tls_ = tls_state::failed;
  owner_->update_stats([](listener_stats& s) { ++s.tls_failed; });
  log(session::log_level::warn, "TLS handshake failed: " + reason);
  if (engine_) engine_->take_ciphertext(out_);  // the alert, if any
  start_write();
  if (implicit_handshake_) {
    enter_close();  // the session was never connected
  } else {
    phase_ = phase::idle;
    call_session([&](session::actions& out) { session_->on_tls_failed(reason, out); });
  }
}

void connection_driver::enter_close() {
  if (phase_ == phase::closed || phase_ == phase::flush_for_close ||
      phase_ == phase::closing_final || phase_ == phase::draining) {
    return;
  }
  phase_ = phase::flush_for_close;
  queue_.clear();
  arm_timer(limits_.close_timeout_ms);
}

void connection_driver::start_read() {
  if (read_outstanding_ || phase_ == phase::closed) return;
  read_outstanding_ = true;
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      std::size_t n) { self->on_read(ec, n); });
}

void connection_driver::on_read(const boost::system::error_code& ec, std::size_t n) {
  read_outstanding_ = false;
  if (phase_ == phase::closed) return;
  if (phase_ == phase::draining) {
    if (ec) {
      hard_close({});
    } else {
      start_read();  // discard until EOF or the linger deadline
    }
    return;
  }
  if (ec) {
    if (ec != asio::error::eof) {
      log(session::log_level::info, "read failed: " + ec.message());
      hard_close({});
      return;
    }
    peer_eof_ = true;
    if (engine_ && tls_ != tls_state::failed) engine_->transport_closed();
    if (tls_ == tls_state::handshaking) {
      tls_failed("connection closed during the handshake");
    }
    advance();
    return;
  }
  const std::string_view bytes(read_buffer_.data(), n);
  switch (tls_) {
    case tls_state::off:
      in_plain_.append(bytes);
      break;
    case tls_state::failed:
      break;  // whatever follows a failed handshake is meaningless
    case tls_state::handshaking:
    case tls_state::up: {
      const auto fed = engine_->feed_ciphertext(bytes);
      engine_->take_ciphertext(out_);
      start_write();
      if (tls_ == tls_state::handshaking) {
        if (engine_->failed()) {
          tls_failed(engine_->error_reason().empty() ? engine_->error().message()
                                                     : engine_->error_reason());
        } else if (engine_->handshake_done()) {
          tls_succeeded();
        }
        break;
      }
      if (engine_->failed() || fed == tls::errc::input_buffer_full) {
        log(session::log_level::warn,
            "TLS error: " +
                (engine_->error_reason().empty() ? fed.message() : engine_->error_reason()));
        tls_ = tls_state::failed;
        enter_close();
        break;
      }
      engine_->read_plaintext(in_plain_);
      if (engine_->peer_closed()) peer_eof_ = true;
      break;
    }
  }
  advance();
}

void connection_driver::start_write() {
  if (write_outstanding_ || out_.empty() || phase_ == phase::closed) return;
  write_outstanding_ = true;
  writing_.swap(out_);
  out_.clear();
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->on_write(ec);
                    });
}

void connection_driver::on_write(const boost::system::error_code& ec) {
  write_outstanding_ = false;
  writing_.clear();
  if (phase_ == phase::closed) return;
  if (ec) {
    log(session::log_level::info, "write failed: " + ec.message());
    hard_close({});
    return;
  }
  start_write();
  advance();
}

void connection_driver::arm_timer(std::uint32_t ms) {
  const auto generation = ++timer_generation_;
  timer_.expires_after(std::chrono::milliseconds(ms));
  timer_.async_wait([self = shared_from_this(), generation](const boost::system::error_code& ec) {
    if (ec || generation != self->timer_generation_) return;
    self->on_timer();
  });
}

void connection_driver::disarm_timer() {
  ++timer_generation_;
  timer_.cancel();
}

void connection_driver::on_timer() {
  switch (phase_) {
    case phase::reading:
      phase_ = phase::idle;
      owner_->update_stats([](listener_stats& s) { ++s.timeouts; });
      log(session::log_level::info, "idle timeout");
      call_session([&](session::actions& out) { session_->on_timeout(out); });
      advance();
      return;
    case phase::pausing:
      phase_ = phase::idle;
      advance();
      return;
    case phase::handshaking:
      tls_failed("handshake timed out");
      advance();
      return;
    case phase::flush_for_tls:
    case phase::flush_for_close:
    case phase::closing_final:
      hard_close("peer did not take our output in time");
      return;
    case phase::draining:
      hard_close({});
      return;
    case phase::idle:
    case phase::closed:
      return;
  }
}

void connection_driver::hard_close(std::string_view why) {
  if (phase_ == phase::closed) return;
  const bool graceful = why.empty();
  phase_ = phase::closed;
  disarm_timer();
  boost::system::error_code ignored;
  socket_.close(ignored);
  queue_.clear();
  if (!graceful) {
    owner_->update_stats([](listener_stats& s) { ++s.forced_closes; });
    log(session::log_level::warn, std::string("closed hard: ") + std::string(why));
  } else {
    log(session::log_level::info, "closed");
  }
  if (!released_) {
    released_ = true;
    owner_->release(this, peer_address_, counted_);
  }
}

}  // namespace mailtls::net::detail
