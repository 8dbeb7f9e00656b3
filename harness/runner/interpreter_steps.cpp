// Statements of the scenario interpreter (interpreter_impl.hpp): what each one sends, reads or
// checks. The events and the verdict are in interpreter.cpp.
#include <algorithm>
#include <utility>

#include "runner/cert_check.hpp"
#include "runner/interpreter_impl.hpp"
#include "runner/text.hpp"
#include "runner/tls_alert.hpp"

namespace mailtls::runner {
namespace {

tls_version_limit to_limit(const std::optional<sc::tls_version>& v) {
  if (!v) return tls_version_limit::any;
  switch (*v) {
    case sc::tls_version::tls1_0:
      return tls_version_limit::tls1_0;
    case sc::tls_version::tls1_1:
      return tls_version_limit::tls1_1;
    case sc::tls_version::tls1_2:
      return tls_version_limit::tls1_2;
    case sc::tls_version::tls1_3:
      return tls_version_limit::tls1_3;
  }
  return tls_version_limit::any;
}

}  // namespace

// OpenSSL names TLS 1.0 "TLSv1"; the scenario language says TLSv1.0.
std::string normalized_version(std::string_view v) {
  return v == "TLSv1" ? std::string("TLSv1.0") : std::string(v);
}

std::string describe_tls(const tls_facts& f) {
  std::string s = normalized_version(f.version) + " " + f.cipher;
  s += f.verified ? ", verified" : ", not verified";
  if (!f.verified && !f.verify_error.empty() && f.verify_error != "ok") {
    s += " (" + f.verify_error + ")";
  }
  return s;
}

void interpreter::impl::send(std::string bytes, std::string display, std::uint64_t now,
                             actions& out) {
  if (!transcript_cut_) {
    // Only what the transcript can still hold is redacted and escaped (a 12 MB DATA body must
    // not cost a pass over every byte). The prefix reaches one secret's length past the budget,
    // so a secret that starts inside the budget is redacted whole before anything is cut.
    std::size_t longest_secret = 0;
    for (const auto& name : cfg_.secret_variables) {
      if (const auto it = vars_.find(name); it != vars_.end()) {
        longest_secret = std::max(longest_secret, it->second.size());
      }
    }
    const std::size_t budget = cfg_.limits.max_transcript_bytes -
                               std::min(transcript_bytes_, cfg_.limits.max_transcript_bytes) + 1;
    std::string_view shown = display;
    if (shown.size() > budget + longest_secret) shown = shown.substr(0, budget + longest_secret);
    for (auto& line : display_lines(redacted(shown)))
      log(dir::client, std::move(line), now);
    if (shown.size() < display.size() && !transcript_cut_) {
      transcript_cut_ = true;
      res_.transcript.push_back({since_start(now), dir::note, "transcript truncated"});
    }
  }
  commands_.sent(bytes);
  out.emplace_back(send_bytes{std::move(bytes)});
}

bool interpreter::impl::expand(const sc::text_template& t, std::string& bytes, std::string& display,
                               std::uint64_t now, actions& out) {
  for (const auto& part : t) {
    if (part.kind_ == sc::text_part::kind::literal) {
      bytes += part.value_;
      display += part.value_;
      continue;
    }
    const auto it = vars_.find(part.value_);
    if (it == vars_.end()) {
      if (cfg_.credential_variables.count(part.value_) != 0) {
        notes_.push_back("${" + part.value_ + "} is not defined");
        finish(outcome::skip, "needs credentials (--user, MAILTLS_PASSWORD)", current(), now, out);
      } else {
        finish(outcome::error, "variable ${" + part.value_ + "} is not defined", current(), now,
               out);
      }
      return false;
    }
    bytes += it->second;
    display += cfg_.secret_variables.count(part.value_) != 0 ? "<redacted:" + part.value_ + ">"
                                                             : it->second;
  }
  return true;
}

void interpreter::impl::step(const sc::send_line& st, std::uint64_t now, actions& out) {
  if (!usable(now, out)) return;
  std::string bytes, display;
  if (!expand(st.text_, bytes, display, now, out)) return;
  if (st.crlf_) {
    bytes += "\r\n";
    display += "\r\n";
  }
  send(std::move(bytes), std::move(display), now, out);
  ++pc_;
}

void interpreter::impl::step(const sc::send_raw& st, std::uint64_t now, actions& out) {
  if (!usable(now, out)) return;
  send(st.bytes_, st.bytes_, now, out);
  ++pc_;
}

void interpreter::impl::step(const sc::expect_reply& st, std::uint64_t now, actions& out) {
  if (tls_dead_) {
    fail("no connection: the TLS handshake failed", now, out);
    return;
  }
  if (st.matcher_.kind_ == sc::reply_matcher::kind::imap_tagged && st.matcher_.tag_ == "tag" &&
      commands_.tag().empty()) {
    finish(outcome::error, "'S: tag ...' before any IMAP command: there is no tag to match",
           current(), now, out);
    return;
  }
  reader_.begin(commands_.pop3_expectation());
  got_.clear();
  imap_caps_ = {};
  imap_has_caps_ = false;
  read_reply(st.matcher_, now, out);
}

// Reads messages out of buf_ until the matcher is decided or more bytes are needed.
void interpreter::impl::read_reply(const sc::reply_matcher& m, std::uint64_t now, actions& out) {
  // Bounded: every round consumes bytes of buf_ or leaves.
  while (!buf_.empty()) {
    const read_step r = reader_.read(buf_);
    buf_.erase(0, r.consumed);
    if (r.st == read_step::status::need_more) break;
    log_server(reader_.raw(), now);
    if (r.st == read_step::status::failed) {
      fail(r.reason, now, out, r.limit);
      return;
    }
    if (on_message(m, now, out)) return;  // decided
    reader_.next();
  }
  if (!open_) {
    log_server(reader_.raw(), now);
    fail("connection closed by the server while waiting for a reply", now, out);
    return;
  }
  request_read(wait_kind::reply, step_ms_, now, out);
}

// One complete message for matcher `m`: true when the statement is decided (passed: pc_
// advanced; or the run finished), false when an IMAP completion is still to come.
bool interpreter::impl::on_message(const sc::reply_matcher& m, std::uint64_t now, actions& out) {
  evaluation e;
  const std::string_view raw = reader_.raw();
  const std::string_view first = raw.substr(0, raw.find("\r\n"));
  const bool asserts = !m.capabilities_.empty();
  switch (proto_) {
    case protocol::smtp: {
      const auto& r = reader_.smtp();
      codec::smtp::ehlo_capabilities ehlo;
      capability_list caps;
      bool has_caps = false;
      // RFC 5321 §4.1.1.1: the 250 reply to EHLO lists the extensions.
      if (r.code == 250 && (asserts || commands_.verb() == "EHLO") && !ehlo.parse(r)) {
        caps = capability_list::from_ehlo(ehlo);
        caps.add_names(caps_seen_);
        has_caps = true;
      }
      e = evaluate_smtp(m, r, has_caps ? &caps : nullptr);
      break;
    }
    case protocol::pop3: {
      const auto& r = reader_.pop3();
      commands_.pop3_reply(r);
      capability_list caps;
      bool has_caps = false;
      // RFC 2449 §5: the CAPA list is the multi-line body.
      if (r.is_ok() && r.multi_line && (asserts || commands_.verb() == "CAPA")) {
        caps = capability_list::from_capa(codec::pop3::capabilities::parse(r.body));
        caps.add_names(caps_seen_);
        has_caps = true;
      }
      const auto sp = first.find(' ');
      const auto text = sp == std::string_view::npos ? std::string_view() : first.substr(sp + 1);
      e = evaluate_pop3(m, r, text, has_caps ? &caps : nullptr);
      break;
    }
    case protocol::imap: {
      const auto& r = reader_.imap();
      // RFC 9051 §7.2.2 CAPABILITY data, §7.1 [CAPABILITY] response code.
      if (const auto set = codec::imap::capability_set::from_response(r)) {
        const auto caps = capability_list::from_imap(*set);
        caps.add_names(caps_seen_);
        imap_caps_.merge(caps);
        imap_has_caps_ = true;
      }
      // RFC 9051 §2.2.2: untagged data may come before the tagged completion of a command.
      if (m.kind_ == sc::reply_matcher::kind::imap_tagged &&
          r.kind != codec::imap::response_kind::tagged &&
          r.kind != codec::imap::response_kind::continuation) {
        return false;
      }
      const std::string tag = m.tag_ == "tag" ? commands_.tag() : m.tag_;
      e = evaluate_imap(m, r, first, tag, imap_has_caps_ ? &imap_caps_ : nullptr);
      break;
    }
  }
  if (e.result == evaluation::kind::fail) {
    fail(std::move(e.reason), now, out);
    return true;
  }
  if (e.result == evaluation::kind::error) {
    finish(outcome::error, std::move(e.reason), current(), now, out);
    return true;
  }
  if (!e.note.empty()) notes_.push_back(e.note);
  if (!m.capture_.empty()) vars_[m.capture_] = std::move(e.capture);
  ++pc_;
  wait_ = wait_kind::none;
  return true;
}

void interpreter::impl::step(const sc::starttls& st, std::uint64_t now, actions& out) {
  if (!usable(now, out)) return;
  if (!buf_.empty()) {
    // RFC 3207 §4.2, RFC 2595 §3.1: nothing may be read between the STARTTLS reply and the
    // handshake; bytes already there were injected or pipelined before TLS.
    const auto n = buf_.size();
    got_.clear();
    log_server(buf_, now);
    buf_.clear();
    fail("the server sent " + std::to_string(n) +
             " bytes after its STARTTLS reply, before the TLS handshake",
         now, out);
    return;
  }
  start_tls a;
  a.verify = st.verify_;
  a.sni = st.sni_;
  a.min = to_limit(st.min_);
  a.max = to_limit(st.max_);
  a.ciphers = st.ciphers_;
  a.alpn = st.alpn_;
  if (step_set_) {
    // `timeout D` bounds the handshake too, cut at the scenario's deadline.
    if (now >= deadline_ms_) {
      fail("the scenario did not finish within its timeout of " +
               std::to_string(deadline_ms_ - start_ms_) + " ms",
           now, out, limit_kind::scenario_timeout);
      return;
    }
    a.timeout_ms =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(step_ms_, deadline_ms_ - now));
  }
  tls_optional_ = st.optional_;
  begin_tls(std::move(a), now, out);
}

void interpreter::impl::begin_tls(start_tls a, std::uint64_t now, actions& out) {
  tls_implicit_ = a.implicit;
  // `connect: plain` on 465/993/995: the statement starts the implicit-TLS handshake itself.
  const char* what = a.implicit                       ? "handshake at connect (implicit TLS)"
                     : info(cfg_.target).implicit_tls ? "handshake on the plain connection"
                                                      : "handshake (STARTTLS)";
  log(dir::tls, what, now);
  out.emplace_back(std::move(a));
  wait_ = wait_kind::tls;
}

void interpreter::impl::step(const sc::expect_close& st, std::uint64_t now, actions& out) {
  if (tls_dead_ || !open_) {  // nothing more can arrive
    ++pc_;
    return;
  }
  alert_buf_.clear();
  close_lines_ = 0;
  close_bytes_ = 0;
  if (!buf_.empty()) {
    got_.clear();
    log_server(buf_, now);
    if (st.skip_lines_ > 0) {
      const std::string pending = std::move(buf_);
      buf_.clear();
      if (!skip_before_close(pending, st, now, out)) return;
      request_read(wait_kind::close, step_ms_, now, out);
      return;
    }
    if (!st.allow_alert_) {
      fail("expected the connection to close, got " + quoted(buf_), now, out);
      return;
    }
    alert_buf_.swap(buf_);
    buf_.clear();
    if (!alerts_only(now, out)) return;
  }
  request_read(wait_kind::close, step_ms_, now, out);
}

bool interpreter::impl::alerts_only(std::uint64_t now, actions& out) {
  if (scan_tls_alerts(alert_buf_).st != alert_scan::status::not_alert) return true;
  fail("expected the connection to close (TLS alerts allowed), got " + quoted(alert_buf_), now,
       out);
  return false;
}

void interpreter::impl::step(const sc::expect_silence& st, std::uint64_t now, actions& out) {
  if (tls_dead_) {
    fail("no connection: the TLS handshake failed", now, out);
    return;
  }
  if (!open_) {
    notes_.push_back("silence: the connection was already closed");
    ++pc_;
    return;
  }
  if (!buf_.empty()) {
    got_.clear();
    log_server(buf_, now);
    fail("expected silence for " + std::to_string(st.ms_) + " ms, got " + quoted(buf_), now, out);
    return;
  }
  request_read(wait_kind::silence, st.ms_, now, out);
}

// The TLS expectations look at the last handshake.
bool interpreter::impl::tls_up(std::uint64_t now, actions& out) {
  if (!usable(now, out)) return false;
  if (!tls_ok_) {
    fail("no TLS session: no handshake succeeded", now, out);
    return false;
  }
  return true;
}

void interpreter::impl::step(const sc::expect_tls_version& st, std::uint64_t now, actions& out) {
  if (!tls_up(now, out)) return;
  const auto got = normalized_version(res_.tls.version);
  if (got != sc::to_name(st.version_)) {
    fail("expected " + std::string(sc::to_name(st.version_)) + ", got " + got, now, out);
    return;
  }
  ++pc_;
}

void interpreter::impl::step(const sc::expect_tls_cipher& st, std::uint64_t now, actions& out) {
  if (!tls_up(now, out)) return;
  if (!glob_match(st.pattern_, res_.tls.cipher)) {
    fail("expected a cipher matching '" + st.pattern_ + "', got " + res_.tls.cipher, now, out);
    return;
  }
  ++pc_;
}

void interpreter::impl::step(const sc::expect_tls_cert& st, std::uint64_t now, actions& out) {
  if (!tls_up(now, out)) return;
  if (res_.tls.verified != st.verified_) {
    fail(st.verified_ ? "expected a verified certificate, got an unverified one (" +
                            res_.tls.verify_error + ")"
                      : "expected an unverified certificate, got a verified one",
         now, out);
    return;
  }
  ++pc_;
}

void interpreter::impl::step(const sc::expect_tls_cert_name& st, std::uint64_t now, actions& out) {
  if (!tls_up(now, out)) return;
  std::string name, display;
  if (!expand(st.name_, name, display, now, out)) return;
  if (!res_.tls.has_certificate) {
    fail("expected a certificate for " + display + ", the server presented none", now, out);
    return;
  }
  const auto m =
      match_certificate_name(name, res_.tls.dns_names, res_.tls.ip_addresses, res_.tls.subject_cn);
  if (!m.ok) {
    fail("expected a certificate for " + display + ": " + m.reason, now, out);
    return;
  }
  note("certificate name " + display + " matches " + m.reason, now);
  ++pc_;
}

void interpreter::impl::step(const sc::expect_tls_cert_check& st, std::uint64_t now, actions& out) {
  if (!tls_up(now, out)) return;
  const auto& f = res_.tls;
  if (!f.has_certificate) {
    fail("expected a certificate, the server presented none", now, out);
    return;
  }
  check_outcome c;
  if (st.kind_ == sc::expect_tls_cert_check::kind::not_expired) {
    // The driver judged it with its clock (time_valid); the text comes from the same dates.
    c = check_validity(f.not_before, f.not_after, f.checked_at);
    if (!f.time_valid && c.ok) c = {false, "the certificate is outside its validity period"};
    if (f.time_valid) c.ok = true;
  } else {
    c = check_key_strength(f.key_type, f.key_bits);
  }
  if (!c.ok) {
    fail(c.reason, now, out);
    return;
  }
  note("certificate: " + c.reason, now);
  ++pc_;
}

void interpreter::impl::step(const sc::set_timeout& st, std::uint64_t now, actions&) {
  step_ms_ = st.ms_;
  step_set_ = true;
  note("waits from here on: up to " + std::to_string(st.ms_) + " ms", now);
  ++pc_;
}

void interpreter::impl::step(const sc::expect_tls_fail&, std::uint64_t now, actions& out) {
  if (tls_attempted_ && !tls_ok_) {
    ++pc_;
    return;
  }
  fail(tls_ok_ ? "expected the TLS handshake to fail, it succeeded: " + describe_tls(res_.tls)
               : std::string("expected a failed TLS handshake, none was attempted"),
       now, out);
}

void interpreter::impl::step(const sc::set_variable& st, std::uint64_t, actions&) {
  vars_[st.name_] = st.value_;  // literal: ${...} in the value is not substituted
  ++pc_;
}

}  // namespace mailtls::runner

namespace mailtls::runner {

bool interpreter::impl::skip_before_close(std::string_view bytes, const sc::expect_close& st,
                                          std::uint64_t now, actions& out) {
  close_bytes_ += bytes.size();
  for (const char c : bytes)
    close_lines_ += c == '\n' ? 1 : 0;
  if (close_lines_ > st.skip_lines_) {
    fail("expected the connection to close within " + std::to_string(st.skip_lines_) +
             " lines, got more",
         now, out);
    return false;
  }
  if (close_bytes_ > cfg_.limits.max_reply_bytes) {
    fail("expected the connection to close, got more than " +
             std::to_string(cfg_.limits.max_reply_bytes) + " bytes",
         now, out, limit_kind::reply_size);
    return false;
  }
  return true;
}

}  // namespace mailtls::runner
