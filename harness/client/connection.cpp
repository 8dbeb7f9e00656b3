// connection: the session's actions, TLS, reading, writing, timers and the end of a job.
#include "client/connection.hpp"

#include <algorithm>
#include <utility>

namespace mailtls::client::detail {
namespace {

// After this many actions in one go, let the other connections run (post the rest).
constexpr int actions_per_turn = 1024;
// Plaintext handed to the TLS engine per write_plaintext call (well under engine_limits).
constexpr std::size_t tls_write_chunk = 16 * 1024;

}  // namespace

void connection::begin_session() {
  if (job_.make_session) session_ = job_.make_session();
  if (!session_) {
    finish(session_error("the job has no session to run (harness bug)"));
    return;
  }
  phase_ = phase::idle;
  call_session([&](runner::actions& out) { session_->start(now_ms(), out); });
  advance();
}

// --- Actions ------------------------------------------------------------------------------------

template <class F>
void connection::call_session(F&& f) {
  if (!session_ || phase_ == phase::done) return;
  runner::actions out;
  f(out);
  for (auto& a : out)
    queue_.push_back(std::move(a));
}

void connection::advance() {
  for (int turn = 0; turn < actions_per_turn; ++turn) {
    switch (phase_) {
      case phase::connecting:
      case phase::reading:
      case phase::handshaking:
      case phase::done:
        return;
      case phase::idle: {
        if (queue_.empty()) {
          if (session_->finished()) {
            finish();  // e.g. after on_closed: nothing left to say
          } else {
            finish(session_error("the session stopped without an action and without finishing"));
          }
          return;
        }
        runner::action a = std::move(queue_.front());
        queue_.pop_front();
        perform(a);
        continue;
      }
      case phase::flush_for_tls:
        if (writes_pending()) return;  // on_write comes back here
        begin_tls();
        continue;
      case phase::flush_for_close:
        if (writes_pending()) return;
        if (tls_ == tls_state::up && !engine_->close_notify_sent() && !engine_->failed()) {
          engine_->shutdown();  // RFC 8446 §6.1 close_notify
          std::string bytes;
          engine_->take_ciphertext(bytes);
          queue_write(std::move(bytes));
          phase_ = phase::closing;
          continue;
        }
        finish();
        return;
      case phase::closing:
        if (writes_pending()) return;
        finish();
        return;
    }
  }
  // Many actions at once: let the other connections have a turn.
  asio::post(run_.io, [self = shared_from_this()] { self->advance(); });
}

void connection::perform(runner::action& a) {
  if (auto* s = std::get_if<runner::send_bytes>(&a)) {
    // A send on a broken connection is dropped: the session was told (on_io_error).
    if (!broken_) queue_send(s->bytes);
  } else if (auto* r = std::get_if<runner::read_bytes>(&a)) {
    if (broken_) {
      if (request_after_break()) return;
      call_session(
          [&](runner::actions& out) { session_->on_io_error(broken_reason_, now_ms(), out); });
      return;
    }
    if (!in_plain_.empty() || peer_eof_) {
      deliver_plaintext();
      return;
    }
    phase_ = phase::reading;
    arm_timer(r->timeout_ms != 0 ? r->timeout_ms : default_read_timeout_ms);
    start_wait_readable();
  } else if (auto* t = std::get_if<runner::start_tls>(&a)) {
    tls_action_ = *t;
    phase_ = phase::flush_for_tls;
    // Bounds the wait for earlier writes; begin_tls() re-arms it for the handshake.
    arm_timer(handshake_timeout_ms);
  } else if (std::holds_alternative<runner::close_connection>(a)) {
    queue_.clear();  // no event follows a close
    if (broken_) {
      finish();
      return;
    }
    phase_ = phase::flush_for_close;
    arm_timer(handshake_timeout_ms);
  }
}

void connection::queue_send(const std::string& plaintext) {
  if (plaintext.empty()) return;
  switch (tls_) {
    case tls_state::off:
      queue_write(plaintext);
      return;
    case tls_state::up: {
      // The whole send becomes one write of ciphertext (one or more records).
      std::string bytes;
      std::string_view rest = plaintext;
      while (!rest.empty()) {
        const auto piece = rest.substr(0, tls_write_chunk);
        if (const auto ec = engine_->write_plaintext(piece)) {
          io_failed("TLS: " +
                    (engine_->error_reason().empty() ? ec.message() : engine_->error_reason()));
          return;
        }
        engine_->take_ciphertext(bytes);
        rest.remove_prefix(piece.size());
      }
      queue_write(std::move(bytes));
      return;
    }
    case tls_state::handshaking:
    case tls_state::failed:
      // No channel: after a failed handshake the stream carries no plaintext (the session got
      // on_tls_done with the failure and decides what that means).
      return;
  }
}

bool connection::request_after_break() {
  if (++requests_after_break_ <= max_requests_after_io_error) return false;
  finish(session_error("the session kept using a broken connection (" + broken_reason_ + ")"));
  return true;
}

// --- TLS ----------------------------------------------------------------------------------------

void connection::begin_tls() {
  const runner::start_tls& a = tls_action_;
  // client_error: our side cannot start this handshake at all (not the server's doing).
  auto refuse = [&](std::string why, bool client_error = false) {
    disarm_timer();
    phase_ = phase::idle;
    runner::tls_facts facts = failed_facts(std::move(why), a.implicit);
    facts.client_error = client_error;
    call_session([&](runner::actions& out) { session_->on_tls_done(facts, now_ms(), out); });
  };
  if (broken_) {
    if (request_after_break()) return;
    refuse("the connection is closed (" + broken_reason_ + ")");
    return;
  }
  if (tls_ == tls_state::up) return refuse("TLS is already active on this connection", true);
  if (tls_ == tls_state::failed)
    return refuse("an earlier TLS handshake failed on this connection", true);
  if (peer_eof_) return refuse("the server closed the connection before the handshake");

  const auto& ctx = run_.contexts.get(a, job_.tls);
  if (!ctx) {
    std::string why = "cannot set up TLS: " + ctx.error.message();
    if (!ctx.detail.empty()) why += " (" + ctx.detail + ")";
    refuse(std::move(why), true);
    return;
  }
  tls::engine_options options;
  options.server_name = server_name_for(a, job_);
  engine_.emplace(*ctx, std::move(options));
  tls_implicit_ = a.implicit;
  tls_ = tls_state::handshaking;
  phase_ = phase::handshaking;
  if (engine_->failed()) {
    // No ClientHello could be built (no cipher or version this OpenSSL offers with these
    // options): nothing reached the server.
    runner::tls_facts facts = facts_from(*engine_, tls_implicit_);
    facts.client_error = true;
    tls_done(std::move(facts));
    return;
  }
  arm_timer(tls_timeout_ms());
  std::string hello;
  engine_->take_ciphertext(hello);  // the ClientHello
  queue_write(std::move(hello));
  start_wait_readable();
}

void connection::tls_done(runner::tls_facts facts) {
  disarm_timer();
  phase_ = phase::idle;
  if (facts.established) {
    tls_ = tls_state::up;
  } else {
    tls_ = tls_state::failed;
    if (engine_) {
      std::string alert;
      engine_->take_ciphertext(alert);  // our alert, if any
      queue_write(std::move(alert));
      engine_.reset();  // nothing more goes through it: give its memory back now
    }
  }
  facts_ = std::move(facts);
  call_session([&](runner::actions& out) { session_->on_tls_done(facts_, now_ms(), out); });
}

// --- Reading ------------------------------------------------------------------------------------

void connection::start_wait_readable() {
  if (wait_outstanding_ || broken_ || phase_ == phase::done) return;
  wait_outstanding_ = true;
  socket_.async_wait(
      tcp::socket::wait_read,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void connection::on_readable(const boost::system::error_code& ec) {
  wait_outstanding_ = false;
  if (phase_ == phase::done || broken_) return;
  if (ec) {
    if (ec != asio::error::operation_aborted) io_failed(ec.message());
    advance();
    return;
  }
  // A wait left over from a read that timed out: nobody wants input now, and the driver never
  // reads ahead (the bytes stay in the kernel until the session asks).
  if (phase_ != phase::reading && phase_ != phase::handshaking) return;

  auto& buffer = run_.read_buffer;
  boost::system::error_code rec;
  const std::size_t n = socket_.read_some(asio::buffer(buffer), rec);
  if (rec == asio::error::would_block || rec == asio::error::try_again) {
    start_wait_readable();
    return;
  }
  if (rec == asio::error::eof) {
    on_eof();
  } else if (rec) {
    io_failed(rec.message());
  } else {
    on_data(std::string_view(buffer.data(), n));
  }
  advance();
}

void connection::on_data(std::string_view bytes) {
  switch (tls_) {
    case tls_state::off:
      disarm_timer();
      phase_ = phase::idle;
      call_session([&](runner::actions& out) { session_->on_bytes(bytes, now_ms(), out); });
      return;
    case tls_state::failed:
      // Records after a failed handshake are not plaintext: wait on for close or the deadline.
      start_wait_readable();
      return;
    case tls_state::handshaking:
    case tls_state::up:
      break;
  }
  const auto fed = engine_->feed_ciphertext(bytes);
  std::string reply;
  engine_->take_ciphertext(reply);  // handshake flight, alerts, key updates
  queue_write(std::move(reply));
  if (tls_ == tls_state::handshaking) {
    if (engine_->failed()) {
      tls_done(facts_from(*engine_, tls_implicit_));
    } else if (engine_->handshake_done()) {
      // Records that came with the server's last flight are already protected: keep them for
      // the session's next read.
      engine_->read_plaintext(in_plain_);
      if (engine_->peer_closed()) peer_eof_ = true;
      tls_done(facts_from(*engine_, tls_implicit_));
    } else {
      start_wait_readable();
    }
    return;
  }
  if (engine_->failed() || fed) {
    io_failed("TLS: " +
              (engine_->error_reason().empty() ? fed.message() : engine_->error_reason()));
    return;
  }
  engine_->read_plaintext(in_plain_);
  if (engine_->peer_closed()) peer_eof_ = true;
  if (in_plain_.empty() && !peer_eof_) {
    start_wait_readable();  // a record without application data (e.g. a session ticket)
    return;
  }
  disarm_timer();
  phase_ = phase::idle;
  deliver_plaintext();
}

void connection::on_eof() {
  peer_eof_ = true;
  if (tls_ == tls_state::handshaking) {
    engine_->transport_closed();
    runner::tls_facts facts = facts_from(*engine_, tls_implicit_);
    facts.failure = "the server closed the connection during the handshake";
    tls_done(std::move(facts));
    return;
  }
  // RFC 8446 §6.1: EOF without close_notify is a truncation; the session hears "closed" either
  // way (the engine records which).
  if (tls_ == tls_state::up) engine_->transport_closed();
  disarm_timer();
  phase_ = phase::idle;
  call_session([&](runner::actions& out) { session_->on_closed(now_ms(), out); });
}

void connection::deliver_plaintext() {
  if (!in_plain_.empty()) {
    std::string data;
    data.swap(in_plain_);
    call_session([&](runner::actions& out) { session_->on_bytes(data, now_ms(), out); });
    return;
  }
  if (peer_eof_) {
    call_session([&](runner::actions& out) { session_->on_closed(now_ms(), out); });
  }
}

// --- Writing ------------------------------------------------------------------------------------

void connection::queue_write(std::string bytes) {
  if (bytes.empty() || broken_) return;
  writes_.push_back(std::move(bytes));
  start_write();
}

void connection::start_write() {
  if (write_outstanding_ || writes_.empty() || broken_ || phase_ == phase::done) return;
  write_outstanding_ = true;
  writing_ = std::move(writes_.front());
  writes_.pop_front();
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->on_write(ec);
                    });
}

void connection::on_write(const boost::system::error_code& ec) {
  write_outstanding_ = false;
  std::string().swap(writing_);  // give the memory back
  if (phase_ == phase::done || broken_) return;
  if (ec) {
    io_failed(ec.message());
  } else {
    start_write();
  }
  advance();
}

// --- Timers -------------------------------------------------------------------------------------

void connection::arm_timer(std::uint32_t ms) {
  const auto generation = ++timer_generation_;
  timer_.expires_after(std::chrono::milliseconds(ms));
  timer_.async_wait([self = shared_from_this(), generation](const boost::system::error_code& ec) {
    if (ec || generation != self->timer_generation_) return;
    self->on_timer();
  });
}

void connection::disarm_timer() {
  ++timer_generation_;
  timer_.cancel();
}

void connection::on_timer() {
  switch (phase_) {
    case phase::connecting:
      if (resolving_) {
        // getaddrinfo cannot be interrupted: its late answer finds the job finished.
        resolver_->cancel();
        connect_failed("name resolution timed out after " +
                       ms_text(run_.options.connect_timeout_ms));
      } else {
        attempt_timed_out_ = true;
        boost::system::error_code ignored;
        socket_.close(ignored);  // on_connected sees operation_aborted, tries the next address
      }
      return;
    case phase::reading:
      // The readiness wait stays: nothing was read, nothing is lost.
      phase_ = phase::idle;
      call_session([&](runner::actions& out) { session_->on_timeout(now_ms(), out); });
      break;
    case phase::handshaking: {
      runner::tls_facts facts = facts_from(*engine_, tls_implicit_);
      facts.failure = "the handshake did not finish within " + ms_text(tls_timeout_ms());
      tls_done(std::move(facts));
      break;
    }
    case phase::flush_for_tls:
      io_failed("the server did not take our data within " + ms_text(handshake_timeout_ms));
      break;
    case phase::flush_for_close:
    case phase::closing:
      finish();
      return;
    case phase::idle:
    case phase::done:
      return;
  }
  advance();
}

void connection::on_hard_timeout() {
  if (phase_ == phase::done) return;
  finish(
      session_error("the session did not finish within " + ms_text(run_.options.hard_timeout_ms)));
}

// --- Ending -------------------------------------------------------------------------------------

void connection::io_failed(const std::string& what) {
  if (broken_ || phase_ == phase::done) return;
  broken_ = true;
  broken_reason_ = what;
  close_socket();
  writes_.clear();
  if (engine_ && tls_ == tls_state::handshaking) {
    runner::tls_facts facts = facts_from(*engine_, tls_implicit_);
    facts.failure = what;
    tls_done(std::move(facts));
    return;
  }
  switch (phase_) {
    case phase::flush_for_close:
    case phase::closing:
      finish();
      return;
    default:
      break;
  }
  disarm_timer();
  phase_ = phase::idle;
  call_session([&](runner::actions& out) { session_->on_io_error(what, now_ms(), out); });
}

void connection::close_socket() {
  boost::system::error_code ignored;
  if (socket_.is_open()) {
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
}

runner::scenario_result connection::session_error(const std::string& reason) const {
  runner::scenario_result r;
  if (session_) r = session_->result();
  r.v.result = runner::outcome::error;
  r.v.reason = reason;
  r.v.limit = runner::limit_kind::none;
  r.transcript.push_back({now_ms(), runner::transcript_entry::direction::note, reason});
  return r;
}

void connection::finish(std::optional<runner::scenario_result> override_result) {
  if (phase_ == phase::done) return;
  phase_ = phase::done;
  disarm_timer();
  hard_timer_.cancel();
  if (resolver_) resolver_->cancel();
  close_socket();
  writes_.clear();
  queue_.clear();
  runner::scenario_result r;
  if (override_result) {
    r = std::move(*override_result);
  } else if (session_) {
    r = session_->result();
  }
  // The session's facts (from on_tls_done) win; the driver's fill in when it recorded none.
  if (!r.tls.attempted && facts_.attempted) r.tls = facts_;
  r.duration_ms = now_ms();
  // Free what the job held now, not when the last cancelled handler has run.
  session_.reset();
  engine_.reset();
  std::string().swap(in_plain_);
  asio::post(run_.io, [&run = run_, index = index_, result = std::move(r)]() mutable {
    run.finished(index, std::move(result));
  });
}

}  // namespace mailtls::client::detail
