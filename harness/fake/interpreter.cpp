// The fake-server interpreter: events from the driver, client bytes and the monitor, waits, the
// transcript and the verdict. The statements are in interpreter_steps.cpp.
#include "fake/interpreter.hpp"

#include <algorithm>
#include <utility>

#include "fake/interpreter_impl.hpp"
#include "runner/text.hpp"
#include "scenario/printer.hpp"

namespace mailtls::fake {

std::string with_article(sc::cert_kind k) {
  const auto name = sc::to_name(k);
  const bool vowel = name.front() == 'e' || name.front() == 'u';
  return std::string(vowel ? "an " : "a ") + std::string(name);
}

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

void interpreter::impl::finish(outcome o, std::string reason, const sc::statement* st,
                               std::uint64_t now, actions& out, limit_kind limit) {
  if (finished_) return;
  runner::verdict v;
  v.result = o;
  v.reason = redacted(reason);
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
  if (transcript_cut_) {
    v.notes.push_back("transcript truncated at " +
                      std::to_string(cfg_.limits.max_transcript_bytes) + " bytes");
    if (v.limit == limit_kind::none) v.limit = limit_kind::transcript_size;
  }
  res_.v = std::move(v);
  if (open_ && !tls_dead_) flush_sends(out);
  pending_.clear();
  res_.duration_ms = since_start(now);
  wait_ = wait_kind::none;
  finished_ = true;
  if (open_) out.emplace_back(close_connection{});
}

bool interpreter::impl::request_read(wait_kind w, std::uint32_t want, std::uint64_t now,
                                     actions& out) {
  if (now >= deadline_ms_) {
    wait_ = w;
    wait_capped_ = true;
    wait_ms_ = 0;
    on_timeout(now, out);
    return false;
  }
  const std::uint64_t left = deadline_ms_ - now;
  wait_capped_ = left < want;
  wait_ms_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(want, left));
  flush_sends(out);
  wait_ = w;
  out.emplace_back(read_bytes{wait_ms_});
  return true;
}

void interpreter::impl::run(std::uint64_t now, actions& out) {
  while (!finished_ && wait_ == wait_kind::none) {
    const sc::statement* st = current();
    if (st == nullptr) {
      finish(outcome::pass, {}, nullptr, now, out);
      return;
    }
    got_.clear();
    std::visit(
        [&](const auto& body) {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, sc::server_send> || std::is_same_v<T, sc::send_raw> ||
                        std::is_same_v<T, sc::expect_command> || std::is_same_v<T, sc::serve_tls> ||
                        std::is_same_v<T, sc::expect_abort> ||
                        std::is_same_v<T, sc::expect_close> ||
                        std::is_same_v<T, sc::expect_silence> ||
                        std::is_same_v<T, sc::expect_tls_fail> ||
                        std::is_same_v<T, sc::set_timeout> || std::is_same_v<T, sc::set_variable>) {
            step(body, now, out);
          } else {
            client_only(now, out);
          }
        },
        st->body_);
  }
}

void interpreter::impl::client_stopped(std::string why, std::uint64_t now, actions& out) {
  wait_ = wait_kind::none;
  for (std::size_t i = pc_; i < s_.statements_.size(); ++i) {
    const auto& b = s_.statements_[i].body_;
    if (std::holds_alternative<sc::expect_abort>(b) ||
        std::holds_alternative<sc::expect_tls_fail>(b)) {
      notes_.push_back(why + ", before the scenario expected it to; it sent nothing flagged");
      finish(outcome::pass, {}, nullptr, now, out);
      return;
    }
  }
  fail(std::move(why), now, out);
}

// ---- client bytes -------------------------------------------------------------------------------

bool interpreter::impl::take_line(std::string line, std::uint64_t now, actions& out) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto info = mon_.client_line(line);
  auto shown = redacted(runner::escape(info.summary));
  if (shown.size() > 512) shown = shown.substr(0, 512) + "...";
  if (got_.size() < 16) got_.push_back(shown);
  log(dir::client, shown, now);
  if (must_reject_ || (tls_up_ && cert_ != sc::cert_kind::good)) {
    // RFC 8314 §5.3-5.4, RFC 7817 §3: a certificate that does not verify ends the connection.
    fail(tls_up_ && cert_ != sc::cert_kind::good
             ? "client accepted " + with_article(cert_) + " certificate: it sent " +
                   runner::quoted(shown) + " over TLS"
             : "client used a TLS session it should have rejected (" + res_.tls.version +
                   "): it sent " + runner::quoted(shown),
         now, out);
    return false;
  }
  if (!tls_up_ && info.kind != exposure::none) {
    // RFC 3207 §4.1 / RFC 8314 §5.2 / RFC 2595 §2.2: a client that requires TLS stops here.
    fail("client sent " + std::string(info.kind == exposure::credentials ? "credentials" : "mail") +
             " in cleartext: " + shown,
         now, out);
    return false;
  }
  if (lines_.size() >= 1024 || lines_bytes_ + line.size() > cfg_.limits.max_reply_bytes) {
    fail("the client sent more than " + std::to_string(cfg_.limits.max_reply_bytes) +
             " bytes that the scenario did not read",
         now, out, limit_kind::reply_size);
    return false;
  }
  lines_bytes_ += line.size();
  lines_.push_back(std::move(line));
  return true;
}

bool interpreter::impl::take_bytes(std::string_view bytes, std::uint64_t now, actions& out) {
  if (bytes.empty()) return true;
  if (!tls_up_ && !tls_garbage_ && partial_.empty() && bytes.size() >= 2 && bytes[0] == '\x16' &&
      bytes[1] == '\x03') {
    // A TLS record where a command belongs: the client began a handshake on a cleartext stream
    // (implicit TLS against a cleartext server, or after a refused STARTTLS).
    tls_garbage_ = true;
    note("the client sent a TLS record in cleartext (a ClientHello?)", now);
  }
  if (tls_garbage_) {
    garbage_bytes_ += bytes.size();
    return true;
  }
  if (tls_up_ && cert_ != sc::cert_kind::good && partial_.empty() && lines_.empty()) {
    // Any application data over a session with a bad certificate, even an incomplete line.
    const auto nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      partial_.append(bytes);
      return take_line(std::exchange(partial_, {}), now, out);
    }
  }
  partial_.append(bytes);
  while (true) {
    const auto nl = partial_.find('\n');
    if (nl == std::string::npos) break;
    std::string line = partial_.substr(0, nl);
    partial_.erase(0, nl + 1);
    if (!take_line(std::move(line), now, out)) return false;
  }
  if (partial_.size() > cfg_.limits.max_line_length) {
    log(dir::client, runner::quoted(redacted(partial_), 120), now);
    fail("the client sent a line longer than " + std::to_string(cfg_.limits.max_line_length) +
             " bytes",
         now, out, limit_kind::line_length);
    return false;
  }
  return true;
}

bool interpreter::impl::answer_quit(const std::string& line, std::uint64_t now, actions& out) {
  const auto info = mon_.client_line(line);
  mon_.reset();
  std::string reply;
  if (proto_ == runner::protocol::imap) {
    if (info.verb != "LOGOUT") return false;
    const auto sp = line.find(' ');
    reply = "* BYE logging out\r\n" + line.substr(0, sp) + " OK LOGOUT completed\r\n";
  } else {
    if (info.verb != "QUIT") return false;
    reply = proto_ == runner::protocol::smtp ? "221 2.0.0 Bye\r\n" : "+OK Bye\r\n";
  }
  send(reply, now, out);
  notes_.push_back("the client sent " + info.verb + " (answered, connection closed)");
  ++pc_;
  finish(outcome::pass, {}, nullptr, now, out);
  return true;
}

bool interpreter::impl::drain_for_stop(std::uint64_t now, actions& out) {
  while (!lines_.empty()) {
    std::string line = std::move(lines_.front());
    lines_.pop_front();
    lines_bytes_ -= std::min(lines_bytes_, line.size());
    if (answer_quit(line, now, out)) return true;
    if (!tls_dead_) notes_.push_back("the client sent " + runner::quoted(redacted(line), 60));
  }
  return false;
}

// ---- events
// --------------------------------------------------------------------------------------

void interpreter::impl::on_bytes(std::string_view bytes, std::uint64_t now, actions& out) {
  const auto w = wait_;
  if (w == wait_kind::tls) return;  // the driver gives TLS bytes to the engine, not to us
  wait_ = wait_kind::none;
  if (w == wait_kind::silence) {
    log(dir::client, runner::quoted(redacted(bytes), 200), now);
    const auto ms = std::get<sc::expect_silence>(current()->body_).ms_;
    // RFC 2595 §3.1, RFC 3207 §4.2: nothing may follow STARTTLS before the server's answer.
    fail("expected silence for " + std::to_string(ms) + " ms, got " +
             runner::quoted(redacted(bytes)),
         now, out);
    return;
  }
  if (!take_bytes(bytes, now, out)) return;
  switch (w) {
    case wait_kind::line:
      run(now, out);
      return;
    case wait_kind::abort:
    case wait_kind::close:
    case wait_kind::reject:
      if (drain_for_stop(now, out)) return;
      request_read(w, step_ms_, now, out);
      return;
    case wait_kind::none:
    case wait_kind::tls:
    case wait_kind::silence:
      return;
  }
}

void interpreter::impl::on_closed(std::uint64_t now, actions& out) {
  const bool was_open = open_;
  open_ = false;
  if (was_open) note("connection closed by the client", now);
  if (!partial_.empty() && !tls_garbage_) {
    // A last line without its line ending.
    if (!take_line(std::exchange(partial_, {}), now, out)) return;
  }
  if (tls_garbage_ && garbage_bytes_ > 0) {
    notes_.push_back(std::to_string(garbage_bytes_) + " bytes of TLS records in cleartext");
    garbage_bytes_ = 0;
  }
  switch (wait_) {
    case wait_kind::line:
      wait_ = wait_kind::none;
      if (!lines_.empty()) {
        run(now, out);
        return;
      }
      client_stopped("the client closed the connection", now, out);
      return;
    case wait_kind::abort:
    case wait_kind::close:
    case wait_kind::reject: {
      const auto w = wait_;
      wait_ = wait_kind::none;
      if (drain_for_stop(now, out)) return;
      if (w == wait_kind::reject) {
        notes_.push_back(
            "the TLS handshake completed, then the client closed without sending "
            "anything");
      }
      ++pc_;
      run(now, out);
      return;
    }
    case wait_kind::silence:
      wait_ = wait_kind::none;
      notes_.push_back("silence: the client closed the connection");
      ++pc_;
      run(now, out);
      return;
    case wait_kind::tls: {
      runner::tls_facts f;
      f.failure = "the client closed the connection during the TLS handshake";
      on_tls_done(f, now, out);
      return;
    }
    case wait_kind::none:
      return;
  }
}

void interpreter::impl::on_timeout(std::uint64_t now, actions& out) {
  const auto limit = timeout_kind(now);
  const auto w = wait_;
  wait_ = wait_kind::none;
  switch (w) {
    case wait_kind::line: {
      const auto& st = std::get<sc::expect_command>(current()->body_);
      const auto pattern = st.pattern_.kind_ == sc::text_pattern::kind::any
                               ? "a line"
                               : "'" + st.pattern_.value_ + "'";
      // A client that stops talking where a scenario expects it to stop later passes.
      for (std::size_t i = pc_; i < s_.statements_.size(); ++i) {
        if (std::holds_alternative<sc::expect_abort>(s_.statements_[i].body_)) {
          notes_.push_back("the client sent nothing for " + std::to_string(wait_ms_) +
                           " ms where the scenario waited for " + pattern +
                           "; it sent nothing flagged");
          finish(outcome::pass, {}, nullptr, now, out);
          return;
        }
      }
      fail("no line from the client within " + std::to_string(wait_ms_) + " ms (expected " +
               pattern + ")",
           now, out, limit);
      return;
    }
    case wait_kind::abort:
    case wait_kind::reject:
      note("nothing arrived for " + std::to_string(wait_ms_) + " ms", now);
      notes_.push_back(w == wait_kind::reject
                           ? "the TLS handshake completed, then the client sent nothing for " +
                                 std::to_string(wait_ms_) + " ms"
                           : "the client sent nothing more for " + std::to_string(wait_ms_) +
                                 " ms");
      ++pc_;
      run(now, out);
      return;
    case wait_kind::close:
      fail(
          "expected the client to close within " + std::to_string(wait_ms_) + " ms, it stayed open",
          now, out, limit);
      return;
    case wait_kind::silence:
      if (limit == limit_kind::scenario_timeout) {
        fail("silence cut short by the scenario's timeout", now, out, limit);
        return;
      }
      note("nothing arrived for " + std::to_string(wait_ms_) + " ms", now);
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

void interpreter::impl::on_tls_done(const runner::tls_facts& facts, std::uint64_t now,
                                    actions& out) {
  if (wait_ != wait_kind::tls) return;
  wait_ = wait_kind::none;
  res_.tls = facts;
  res_.tls.attempted = true;
  res_.tls.implicit = tls_implicit_;
  const std::size_t next = tls_next_;
  const bool expects_failure =
      next < s_.statements_.size() &&
      std::holds_alternative<sc::expect_tls_fail>(s_.statements_[next].body_);
  if (facts.established) {
    tls_up_ = true;
    cert_ = pending_cert_;
    log(dir::tls,
        facts.version + " " + facts.cipher + ", certificate: " + std::string(sc::to_name(cert_)),
        now);
    mon_.reset();
    lines_.clear();
    lines_bytes_ = 0;
    partial_.clear();
    tls_garbage_ = false;
    pc_ = next;
    run(now, out);
    return;
  }
  tls_dead_ = true;
  open_ = open_ && !facts.client_error;
  log(dir::tls, "handshake failed: " + facts.failure, now);
  if (facts.client_error) {
    // Our side could not start (no certificate, a version this OpenSSL cannot offer).
    finish(outcome::error, "the TLS handshake could not start on our side: " + facts.failure,
           current(), now, out);
    return;
  }
  if (expects_failure) {
    notes_.push_back("the client rejected the TLS handshake: " + facts.failure);
    pc_ = next + 1;
    run(now, out);
    return;
  }
  pc_ = next;
  client_stopped("the TLS handshake failed: " + facts.failure, now, out);
}

void interpreter::impl::on_io_error(std::string_view what, std::uint64_t now, actions& out) {
  note("connection error: " + std::string(what), now);
  const auto w = wait_;
  if (w == wait_kind::abort || w == wait_kind::close || w == wait_kind::reject ||
      w == wait_kind::silence || w == wait_kind::line || w == wait_kind::tls) {
    // A reset is the client going away, like a close.
    notes_.push_back("the client reset the connection: " + std::string(what));
    on_closed(now, out);
    return;
  }
  open_ = false;
  fail("connection error: " + std::string(what), now, out);
}

// ---- public
// --------------------------------------------------------------------------------------

interpreter::interpreter(const scenario::scenario& s, run_config config)
    : impl_(std::make_unique<impl>(s, std::move(config))) {}

interpreter::~interpreter() = default;

void interpreter::start(std::uint64_t now_ms, actions& out) {
  auto& m = *impl_;
  if (m.started_ || m.finished_) return;
  m.started_ = true;
  m.start_ms_ = now_ms;
  m.deadline_ms_ = now_ms + m.s_.timeout_ms_.value_or(m.cfg_.limits.scenario_timeout_ms);
  // RFC 8314 §3: submissions, pop3s and imaps are TLS from the first byte; `connect: plain`
  // serves cleartext there instead (a client must not go on), `connect: tls` TLS anywhere. A
  // first statement `starttls ...` gives the options of that handshake.
  const auto mode = m.s_.connect_;
  const bool implicit =
      mode ? *mode == scenario::connect_mode::tls : runner::info(m.cfg_.target).implicit_tls;
  if (implicit) {
    start_tls a;
    a.implicit = true;
    std::size_t next = 0;
    if (!m.s_.statements_.empty()) {
      if (const auto* st = std::get_if<sc::serve_tls>(&m.s_.statements_.front().body_)) {
        a.cert = st->cert_;
        a.min = to_limit(st->min_);
        a.max = to_limit(st->max_);
        next = 1;
      }
    }
    m.tls_implicit_ = true;
    m.begin_tls(a, next, now_ms, out);
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

void interpreter::on_tls_done(const runner::tls_facts& facts, std::uint64_t now_ms, actions& out) {
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

const runner::scenario_result& interpreter::result() const {
  return impl_->res_;
}

}  // namespace mailtls::fake
