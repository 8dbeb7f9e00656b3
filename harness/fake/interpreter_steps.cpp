// The statements of a server-role scenario (docs/scenario-format.md, "Server role").
#include <utility>

#include "fake/interpreter_impl.hpp"
#include "runner/text.hpp"

namespace mailtls::fake {

void interpreter::impl::send(std::string bytes, std::uint64_t now, actions& out) {
  for (auto& line : runner::display_lines(redacted(bytes)))
    log(dir::server, std::move(line), now);
  mon_.server_sent(bytes);
  pending_ += bytes;
  (void)out;
}

bool interpreter::impl::expand(const sc::text_template& t, std::string& bytes, std::uint64_t now,
                               actions& out) {
  for (const auto& part : t) {
    if (part.kind_ == sc::text_part::kind::literal) {
      bytes += part.value_;
      continue;
    }
    const auto it = vars_.find(part.value_);
    if (it == vars_.end()) {
      finish(outcome::error,
             "variable ${" + part.value_ + "} is not defined" +
                 (part.value_ == "tag" ? " (no IMAP command read yet)" : ""),
             current(), now, out);
      return false;
    }
    bytes += it->second;
  }
  return true;
}

// A statement that writes needs a live connection; the client may have stopped already.
bool interpreter::impl::connected(std::uint64_t now, actions& out) {
  if (open_ && !tls_dead_) return true;
  client_stopped(tls_dead_ ? "the TLS handshake failed" : "the client closed the connection", now,
                 out);
  return false;
}

void interpreter::impl::step(const sc::server_send& st, std::uint64_t now, actions& out) {
  if (!connected(now, out)) return;
  std::string bytes;
  if (!expand(st.text_, bytes, now, out)) return;
  if (st.crlf_) bytes += "\r\n";
  send(std::move(bytes), now, out);
  ++pc_;
}

void interpreter::impl::step(const sc::send_raw& st, std::uint64_t now, actions& out) {
  if (!connected(now, out)) return;
  send(st.bytes_, now, out);
  ++pc_;
}

void interpreter::impl::step(const sc::expect_command& st, std::uint64_t now, actions& out) {
  if (lines_.empty()) {
    if (!connected(now, out)) return;
    request_read(wait_kind::line, step_ms_, now, out);
    return;
  }
  std::string line = std::move(lines_.front());
  lines_.pop_front();
  lines_bytes_ -= std::min(lines_bytes_, line.size());
  got_.clear();
  got_.push_back(redacted(runner::escape(line)));
  if (proto_ == runner::protocol::imap) {
    // RFC 9051 §2.2.1: the tag is the first word; `S: ${tag} OK ...` answers it.
    vars_["tag"] = line.substr(0, line.find(' '));
  }
  if (st.pattern_.kind_ == sc::text_pattern::kind::glob &&
      !runner::glob_match(st.pattern_.value_, line)) {
    const auto info = monitor(proto_).client_line(line);
    fail("expected a line matching '" + st.pattern_.value_ + "', got " +
             runner::quoted(redacted(info.summary)),
         now, out);
    return;
  }
  if (!st.capture_.empty()) vars_[st.capture_] = line;
  ++pc_;
}

void interpreter::impl::begin_tls(start_tls a, std::size_t next, std::uint64_t now, actions& out) {
  if (step_set_) {
    const std::uint64_t left = deadline_ms_ > now ? deadline_ms_ - now : 1;
    a.timeout_ms = static_cast<std::uint32_t>(std::min<std::uint64_t>(step_ms_, left));
  }
  pending_cert_ = a.cert;
  tls_next_ = next;
  log(dir::tls,
      "handshake (" + std::string(a.implicit ? "implicit, " : "") + "certificate " +
          std::string(sc::to_name(a.cert)) + ")",
      now);
  flush_sends(out);
  wait_ = wait_kind::tls;
  out.emplace_back(std::move(a));
}

void interpreter::impl::step(const sc::serve_tls& st, std::uint64_t now, actions& out) {
  if (!connected(now, out)) return;
  if (tls_up_) {
    finish(outcome::error, "a second TLS handshake on one connection is not supported", current(),
           now, out);
    return;
  }
  if (!lines_.empty() || !partial_.empty() || (tls_garbage_ && garbage_bytes_ > 0)) {
    // RFC 2595 §3.1, RFC 3207 §4.2: nothing may follow STARTTLS before the handshake.
    std::size_t n = partial_.size() + garbage_bytes_;
    for (const auto& l : lines_)
      n += l.size() + 1;
    const std::string first = lines_.empty() ? partial_ : lines_.front();
    fail("the client sent " + std::to_string(n) +
             " bytes after STARTTLS before the TLS handshake: " +
             runner::quoted(redacted(first), 60),
         now, out);
    return;
  }
  start_tls a;
  a.cert = st.cert_;
  a.min = to_limit(st.min_);
  a.max = to_limit(st.max_);
  begin_tls(a, pc_ + 1, now, out);
}

void interpreter::impl::step(const sc::expect_abort&, std::uint64_t now, actions& out) {
  if (!open_ || tls_dead_) {
    ++pc_;
    return;
  }
  if (drain_for_stop(now, out)) return;
  request_read(wait_kind::abort, step_ms_, now, out);
}

void interpreter::impl::step(const sc::expect_close&, std::uint64_t now, actions& out) {
  if (!open_ || tls_dead_) {
    ++pc_;
    return;
  }
  if (drain_for_stop(now, out)) return;
  request_read(wait_kind::close, step_ms_, now, out);
}

void interpreter::impl::step(const sc::expect_silence& st, std::uint64_t now, actions& out) {
  if (!lines_.empty() || !partial_.empty()) {
    fail("expected silence for " + std::to_string(st.ms_) + " ms, got " +
             runner::quoted(redacted(lines_.empty() ? partial_ : lines_.front())),
         now, out);
    return;
  }
  if (!open_ || tls_dead_) {
    ++pc_;
    return;
  }
  request_read(wait_kind::silence, st.ms_, now, out);
}

void interpreter::impl::step(const sc::expect_tls_fail&, std::uint64_t now, actions& out) {
  // Reached with a completed handshake (a failed one skips this statement): the client may still
  // check the certificate after the handshake and close; it must not use the session.
  if (!tls_up_) {
    finish(outcome::error, "'expect tls fail' without a TLS handshake before it", current(), now,
           out);
    return;
  }
  if (cert_ == sc::cert_kind::good) must_reject_ = true;
  if (!open_) {
    ++pc_;
    return;
  }
  request_read(wait_kind::reject, step_ms_, now, out);
}

void interpreter::impl::step(const sc::set_timeout& st, std::uint64_t now, actions&) {
  step_ms_ = st.ms_;
  step_set_ = true;
  note("waits from here on: up to " + std::to_string(st.ms_) + " ms", now);
  ++pc_;
}

void interpreter::impl::step(const sc::set_variable& st, std::uint64_t, actions&) {
  vars_[st.name_] = st.value_;
  ++pc_;
}

void interpreter::impl::client_only(std::uint64_t now, actions& out) {
  finish(outcome::error, "a client-role statement cannot run on the fake server", current(), now,
         out);
}

}  // namespace mailtls::fake
