// The scenario interpreter: events from the driver, waits, the transcript and the verdict. The
// statements are in interpreter_steps.cpp, the shared state in interpreter_impl.hpp.
#include "runner/interpreter.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "runner/interpreter_impl.hpp"
#include "runner/text.hpp"
#include "runner/tls_alert.hpp"
#include "scenario/printer.hpp"

namespace mailtls::runner {

void interpreter::impl::log(dir d, std::string text, std::uint64_t now) {
  if (transcript_cut_) return;
  if (transcript_bytes_ + text.size() > cfg_.limits.max_transcript_bytes) {
    transcript_cut_ = true;
    res_.transcript.push_back({since_start(now), dir::note, "transcript truncated"});
    return;
  }
  transcript_bytes_ += text.size();
  res_.transcript.push_back({since_start(now), d, std::move(text)});
}

void interpreter::impl::log_server(std::string_view bytes, std::uint64_t now) {
  for (auto& line : display_lines(redacted(bytes))) {
    if (got_.size() < 64) got_.push_back(line);
    log(dir::server, std::move(line), now);
  }
}

void interpreter::impl::finish(outcome o, std::string reason, const sc::statement* st,
                               std::uint64_t now, actions& out, limit_kind limit) {
  if (finished_) return;
  verdict v;
  v.result = o;
  v.reason = std::move(reason);
  v.limit = limit;
  v.file = s_.files_.empty() ? std::string() : s_.files_.front();
  if (st != nullptr) {
    if (st->file_ < s_.files_.size()) v.file = s_.files_[st->file_];
    v.line = st->line_;
    sc::print(st->body_, v.expected);
    v.expected = redacted(v.expected);
  }
  for (std::size_t i = 0; o != outcome::pass && i < got_.size(); ++i) {
    if (i > 0) v.got.push_back('\n');
    v.got += got_[i];
  }
  v.notes = std::move(notes_);
  // `requires:` — RFC-level prerequisites the server does not advertise make it a skip. Only once
  // the server has advertised something: a run that failed before any capability list (a failed
  // implicit-TLS handshake, a wrong greeting) stays a fail.
  if (o == outcome::fail && !caps_seen_.empty()) {
    for (const auto& name : s_.requires_) {
      if (caps_seen_.count(to_upper(name)) == 0) {
        v.notes.push_back("would have failed: " + v.reason);
        v.result = outcome::skip;
        v.reason = "the server does not offer " + name;
        break;
      }
    }
  }
  if (transcript_cut_) {
    v.notes.push_back("transcript truncated at " +
                      std::to_string(cfg_.limits.max_transcript_bytes) + " bytes");
    if (v.limit == limit_kind::none) v.limit = limit_kind::transcript_size;
  }
  res_.v = std::move(v);
  res_.duration_ms = since_start(now);
  wait_ = wait_kind::none;
  finished_ = true;
  // The server's close or reset needs no answer; anything else is closed by us.
  if (open_) out.emplace_back(close_connection{});
}

void interpreter::impl::fail(std::string reason, std::uint64_t now, actions& out,
                             limit_kind limit) {
  finish(outcome::fail, std::move(reason), current(), now, out, limit);
}

bool interpreter::impl::request_read(wait_kind w, std::uint32_t want, std::uint64_t now,
                                     actions& out) {
  if (now >= deadline_ms_) {
    fail("the scenario did not finish within its timeout of " +
             std::to_string(deadline_ms_ - start_ms_) + " ms",
         now, out, limit_kind::scenario_timeout);
    return false;
  }
  const std::uint64_t left = deadline_ms_ - now;
  wait_capped_ = left < want;
  wait_ms_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(want, left));
  wait_ = w;
  out.emplace_back(read_bytes{wait_ms_});
  return true;
}

void interpreter::impl::run(std::uint64_t now, actions& out) {
  // Every round runs one statement to its end (pc_ advances), starts a wait, or finishes.
  while (!finished_ && wait_ == wait_kind::none) {
    const sc::statement* st = current();
    if (st == nullptr) {
      finish(outcome::pass, {}, nullptr, now, out);
      return;
    }
    got_.clear();  // the evidence of a verdict is what its own statement read
    std::visit(
        [&](const auto& body) {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, sc::server_send> ||
                        std::is_same_v<T, sc::expect_command> || std::is_same_v<T, sc::serve_tls> ||
                        std::is_same_v<T, sc::expect_abort>) {
            // `role: server` files are for `mailtls client-check`; lint reports them elsewhere.
            finish(outcome::error, "a server-role statement cannot run against a server", st, now,
                   out);
          } else {
            step(body, now, out);
          }
        },
        st->body_);
  }
}

// Whether the connection can still carry a statement; fails the run otherwise.
bool interpreter::impl::usable(std::uint64_t now, actions& out) {
  if (tls_dead_) {
    fail("no connection: the TLS handshake failed", now, out);
    return false;
  }
  if (!open_) {
    fail("no connection: the server closed it", now, out);
    return false;
  }
  return true;
}

void interpreter::impl::on_bytes(std::string_view bytes, std::uint64_t now, actions& out) {
  switch (wait_) {
    case wait_kind::reply: {
      wait_ = wait_kind::none;
      buf_.append(bytes);
      const auto* st = current();
      if (st == nullptr) return;
      read_reply(std::get<sc::expect_reply>(st->body_).matcher_, now, out);
      run(now, out);
      return;
    }
    case wait_kind::close: {
      got_.clear();
      log_server(bytes, now);
      const auto& st = std::get<sc::expect_close>(current()->body_);
      if (st.skip_lines_ > 0) {
        wait_ = wait_kind::none;
        if (!skip_before_close(bytes, st, now, out)) return;
        request_read(wait_kind::close, step_ms_, now, out);
        return;
      }
      if (!st.allow_alert_) {
        fail("expected the connection to close, got " + quoted(bytes), now, out);
        return;
      }
      // TLS alert records may come before the close: keep reading while that is all there is.
      wait_ = wait_kind::none;
      const std::size_t cap = cfg_.limits.max_reply_bytes + 1;
      if (alert_buf_.size() < cap) alert_buf_.append(bytes.substr(0, cap - alert_buf_.size()));
      if (!alerts_only(now, out)) return;
      if (alert_buf_.size() > cfg_.limits.max_reply_bytes) {
        fail("expected the connection to close, got more than " +
                 std::to_string(cfg_.limits.max_reply_bytes) + " bytes of TLS alerts",
             now, out, limit_kind::reply_size);
        return;
      }
      request_read(wait_kind::close, step_ms_, now, out);
      return;
    }
    case wait_kind::silence: {
      got_.clear();
      log_server(bytes, now);
      const auto ms = std::get<sc::expect_silence>(current()->body_).ms_;
      // RFC 3207 §4.2 / CVE-2011-0411: an answer here is to a command sent before TLS.
      fail("expected silence for " + std::to_string(ms) + " ms, got " + quoted(bytes), now, out);
      return;
    }
    case wait_kind::none:
    case wait_kind::tls:
      // Not asked for: keep it for the next reply (bounded like one).
      if (buf_.size() < cfg_.limits.max_reply_bytes + 1) {
        buf_.append(bytes.substr(0, cfg_.limits.max_reply_bytes + 1 - buf_.size()));
      }
      return;
  }
}

void interpreter::impl::on_closed(std::uint64_t now, actions& out) {
  const bool was_open = open_;
  open_ = false;
  if (was_open) note("connection closed by the server", now);
  switch (wait_) {
    case wait_kind::reply: {
      wait_ = wait_kind::none;
      const auto* st = current();
      if (st == nullptr) return;
      read_reply(std::get<sc::expect_reply>(st->body_).matcher_, now, out);
      run(now, out);
      return;
    }
    case wait_kind::close:
      wait_ = wait_kind::none;
      if (close_lines_ > 0) {
        notes_.push_back(std::to_string(close_lines_) + (close_lines_ == 1 ? " line" : " lines") +
                         " before the close");
      }
      if (!alert_buf_.empty()) {
        const auto scan = scan_tls_alerts(alert_buf_);
        if (scan.st != alert_scan::status::alerts) {
          fail("expected the connection to close after whole TLS alert records, got " +
                   quoted(alert_buf_),
               now, out);
          return;
        }
        for (const auto& a : scan.alerts)
          notes_.push_back("TLS alert before the close: " + a);
        alert_buf_.clear();
      }
      ++pc_;
      run(now, out);
      return;
    case wait_kind::silence:
      wait_ = wait_kind::none;
      notes_.push_back("silence: the server closed the connection");
      ++pc_;
      run(now, out);
      return;
    case wait_kind::tls:
      tls_failed("connection closed by the server during the TLS handshake", now, out);
      return;
    case wait_kind::none:
      return;
  }
}

void interpreter::impl::on_timeout(std::uint64_t now, actions& out) {
  const auto limit = timeout_kind(now);
  const std::string scenario_note = limit == limit_kind::scenario_timeout
                                        ? " (the scenario's timeout of " +
                                              std::to_string(deadline_ms_ - start_ms_) +
                                              " ms passed)"
                                        : std::string();
  switch (wait_) {
    case wait_kind::reply:
      log_server(reader_.raw(), now);
      fail("no reply within " + std::to_string(wait_ms_) + " ms" + scenario_note, now, out, limit);
      return;
    case wait_kind::close:
      fail("expected the connection to close within " + std::to_string(wait_ms_) +
               " ms, it stayed open" + scenario_note,
           now, out, limit);
      return;
    case wait_kind::silence:
      if (limit == limit_kind::scenario_timeout) {
        fail("silence cut short" + scenario_note, now, out, limit);
        return;
      }
      note("nothing arrived for " + std::to_string(wait_ms_) + " ms", now);
      wait_ = wait_kind::none;
      ++pc_;
      run(now, out);
      return;
    case wait_kind::tls:
      fail("no TLS handshake result within the time allowed", now, out, limit);
      return;
    case wait_kind::none:
      return;
  }
}

void interpreter::impl::on_tls_done(const tls_facts& facts, std::uint64_t now, actions& out) {
  if (wait_ != wait_kind::tls) return;
  wait_ = wait_kind::none;
  res_.tls = facts;
  res_.tls.attempted = true;
  res_.tls.implicit = tls_implicit_;
  tls_attempted_ = true;
  // The statement after the handshake: the first one for implicit TLS, else the one after
  // `starttls`.
  const std::size_t next = tls_implicit_ ? pc_ : pc_ + 1;
  if (facts.established) {
    tls_ok_ = true;
    log(dir::tls, describe_tls(facts), now);
    // A new byte stream: the replies now come over TLS.
    reader_.reset_stream();
    buf_.clear();
    commands_.reset();
    pc_ = next;
    run(now, out);
    return;
  }
  if (facts.client_error) {
    // Nothing reached the server: whatever the scenario expected (`expect tls fail`, `optional`),
    // this run says nothing about it. A cipher list or version this OpenSSL cannot offer.
    tls_ok_ = false;
    tls_dead_ = true;
    log(dir::tls, "handshake not started: " + facts.failure, now);
    finish(outcome::error, "the TLS handshake could not start on our side: " + facts.failure,
           tls_implicit_ ? nullptr : current(), now, out);
    return;
  }
  tls_failed(facts.failure, now, out);
}

void interpreter::impl::tls_failed(const std::string& failure, std::uint64_t now, actions& out) {
  wait_ = wait_kind::none;
  tls_ok_ = false;
  tls_dead_ = true;
  tls_attempted_ = true;
  res_.tls.attempted = true;
  res_.tls.established = false;
  if (res_.tls.failure.empty()) res_.tls.failure = failure;
  log(dir::tls, "handshake failed: " + failure, now);
  const std::size_t next = tls_implicit_ ? pc_ : pc_ + 1;
  if (next < s_.statements_.size() &&
      std::holds_alternative<sc::expect_tls_fail>(s_.statements_[next].body_)) {
    pc_ = next + 1;
    run(now, out);
    return;
  }
  if (!tls_implicit_ && tls_optional_) {
    // `starttls ... optional`: bytes injected before the handshake may break it; that is a
    // safe outcome (nothing was executed in the clear), so the scenario ends here as a pass.
    notes_.push_back("the TLS handshake failed, which is acceptable here: " + failure);
    note("handshake failure accepted (starttls optional)", now);
    finish(outcome::pass, {}, nullptr, now, out);
    return;
  }
  finish(outcome::fail, "TLS handshake failed: " + failure, tls_implicit_ ? nullptr : current(),
         now, out);
}

void interpreter::impl::on_io_error(std::string_view what, std::uint64_t now, actions& out) {
  open_ = false;
  note("connection error: " + std::string(what), now);
  if (wait_ == wait_kind::close && (std::get<sc::expect_close>(current()->body_).allow_alert_ ||
                                    std::get<sc::expect_close>(current()->body_).skip_lines_ > 0)) {
    // `expect close allow-alert`: a server that drops the connection after cleartext reached its
    // TLS layer may reset it rather than close it; either way nothing was answered.
    notes_.push_back("the server reset the connection: " + std::string(what));
    on_closed(now, out);
    return;
  }
  if (wait_ == wait_kind::reply) log_server(reader_.raw(), now);
  fail("connection reset by the server: " + std::string(what), now, out);
}

interpreter::interpreter(const scenario::scenario& s, run_config config)
    : impl_(std::make_unique<impl>(s, std::move(config))) {}

interpreter::~interpreter() = default;

void interpreter::start(std::uint64_t now_ms, actions& out) {
  auto& m = *impl_;
  if (m.started_ || m.finished_) return;
  m.started_ = true;
  m.start_ms_ = now_ms;
  m.deadline_ms_ = now_ms + m.s_.timeout_ms_.value_or(m.cfg_.limits.scenario_timeout_ms);
  // RFC 8314 §3: submissions, pop3s and imaps speak TLS from the first byte; `connect: plain`
  // connects without it (a cleartext probe of a TLS port), `connect: tls` asks for it anywhere.
  const auto mode = m.s_.connect_;
  const bool implicit =
      mode ? *mode == scenario::connect_mode::tls : info(m.cfg_.target).implicit_tls;
  if (implicit) {
    start_tls a;
    a.implicit = true;
    m.begin_tls(std::move(a), now_ms, out);
    return;
  }
  m.run(now_ms, out);
}

void interpreter::on_bytes(std::string_view bytes, std::uint64_t now_ms, actions& out) {
  if (!impl_->started_ || impl_->finished_) return;
  impl_->on_bytes(bytes, now_ms, out);
}

void interpreter::on_closed(std::uint64_t now_ms, actions& out) {
  if (!impl_->started_ || impl_->finished_) return;
  impl_->on_closed(now_ms, out);
}

void interpreter::on_timeout(std::uint64_t now_ms, actions& out) {
  if (!impl_->started_ || impl_->finished_) return;
  impl_->on_timeout(now_ms, out);
}

void interpreter::on_tls_done(const tls_facts& facts, std::uint64_t now_ms, actions& out) {
  if (!impl_->started_ || impl_->finished_) return;
  impl_->on_tls_done(facts, now_ms, out);
}

void interpreter::on_io_error(std::string_view what, std::uint64_t now_ms, actions& out) {
  if (!impl_->started_ || impl_->finished_) return;
  impl_->on_io_error(what, now_ms, out);
}

bool interpreter::finished() const {
  return impl_->finished_;
}

const scenario_result& interpreter::result() const {
  return impl_->res_;
}

}  // namespace mailtls::runner
