#include "mitm/proxy_session.hpp"

#include <utility>

#include "codec/line_reader.hpp"
#include "mitm/errc.hpp"
#include "mitm/protocol_rules.hpp"

namespace mailtls::mitm {
namespace {

// An over-long line: the codec skips the rest of it up to its LF (codec/line_reader.hpp); the
// session forwards that rest as it comes.
bool is_overlong(const codec::parse_result& r) {
  return r.is_error() && r.error == codec::line_errc::line_too_long;
}

}  // namespace

std::error_code check_config(const proxy_config& cfg) noexcept {
  if (cfg.implicit_tls && !applies_to_implicit_tls(cfg.atk))
    return make_error_code(mitm_errc::attack_needs_starttls);  // RFC 8314 §5.2
  return {};
}

proxy_session::proxy_session(const proxy_config& cfg)
    : cfg_(cfg),
      rules_(make_rules(cfg.proto, rules_limits{cfg.limits.max_line, cfg.limits.max_buffer})),
      findings_(cfg.limits.max_findings) {}

proxy_session::~proxy_session() = default;
proxy_session::proxy_session(proxy_session&&) noexcept = default;
proxy_session& proxy_session::operator=(proxy_session&&) noexcept = default;

std::size_t proxy_session::buffered() const {
  return client_.in.size() + client_.msg.size() + server_.in.size() + server_.msg.size();
}

void proxy_session::note(finding_kind k, std::string_view detail) {
  findings_.add(now_ms_ - start_ms_, k, detail);
}

void proxy_session::emit_client(std::string_view bytes, actions& out) {
  if (bytes.empty() || !client_.open) return;
  if (out.size() > first_new_action_) {
    if (auto* w = std::get_if<to_client>(&out.back())) {  // one write: glued replies stay glued
      w->bytes.append(bytes);
      return;
    }
  }
  out.push_back(to_client{std::string(bytes)});
}

void proxy_session::emit_server(std::string_view bytes, actions& out) {
  if (bytes.empty() || !server_.open) return;
  if (out.size() > first_new_action_) {
    if (auto* w = std::get_if<to_server>(&out.back())) {
      w->bytes.append(bytes);
      return;
    }
  }
  out.push_back(to_server{std::string(bytes)});
}

void proxy_session::start(std::uint64_t now_ms, actions& out) {
  if (started_) return;
  started_ = true;
  start_ms_ = now_ms;
  now_ms_ = now_ms;
  first_new_action_ = out.size();
  if (check_config(cfg_)) {
    note(finding_kind::protocol_error, check_config(cfg_).message());
    close_all(out);
    return;
  }
  if (cfg_.implicit_tls) {  // RFC 8314 §5: TLS from the first byte
    if (cfg_.atk == attack::downgrade) {
      phase_ = proxy_phase::await_handshake;
    } else {
      go_opaque(out);
    }
  }
  finish_read(out);
}

bool proxy_session::over_limit(const side& s, std::size_t more, std::string_view who,
                               actions& out) {
  if (s.in.size() + s.msg.size() + more <= cfg_.limits.max_buffer) return false;
  note(finding_kind::limit,
       std::string(who) + " buffer over " + std::to_string(cfg_.limits.max_buffer) + " bytes");
  close_all(out);
  return true;
}

void proxy_session::on_client_bytes(std::string_view bytes, std::uint64_t now_ms, actions& out) {
  if (finished() || !started_) return;
  now_ms_ = now_ms;
  first_new_action_ = out.size();
  switch (phase_) {
    case proxy_phase::opaque:
      emit_server(bytes, out);
      break;
    case proxy_phase::await_handshake:
    case proxy_phase::fallback:
      downgrade_bytes(bytes, out);
      break;
    case proxy_phase::cleartext:
      if (over_limit(client_, bytes.size(), "client", out)) return;
      client_.in.append(bytes);
      pump_client(out);
      break;
    case proxy_phase::done:
      return;
  }
  finish_read(out);
}

void proxy_session::on_server_bytes(std::string_view bytes, std::uint64_t now_ms, actions& out) {
  if (finished() || !started_) return;
  now_ms_ = now_ms;
  first_new_action_ = out.size();
  switch (phase_) {
    case proxy_phase::cleartext:
      if (over_limit(server_, bytes.size(), "server", out)) return;
      server_.in.append(bytes);
      pump_server(out);
      pump_client(out);  // a reply may have released held client bytes
      break;
    case proxy_phase::fallback:
      break;  // the server side is closed
    default:
      emit_client(bytes, out);
      break;
  }
  finish_read(out);
}

void proxy_session::pump_client(actions& out) {
  // Bounded: every round consumes bytes, or ends a message and changes the rules' state; the
  // round cap guards against a parser that completes empty messages forever.
  const std::size_t max_rounds = client_.in.size() + 2;
  for (std::size_t round = 0; round < max_rounds && !client_.in.empty() && !finished() &&
                              (phase_ == proxy_phase::fallback ||
                               (phase_ == proxy_phase::cleartext && !rules_->client_blocked()));
       ++round) {
    const codec::parse_result r = rules_->parse_client(client_.in);
    const std::size_t n = r.consumed < client_.in.size() ? r.consumed : client_.in.size();
    client_.msg.append(client_.in, 0, n);
    client_.in.erase(0, n);
    if (!r.is_need_more()) client_.discarding = is_overlong(r);
    if (r.is_need_more()) {
      if (rules_->client_flush_partial() || client_.discarding ||
          client_.msg.size() >= cfg_.limits.max_buffer) {
        if (phase_ == proxy_phase::cleartext) emit_server(client_.msg, out);
        client_.msg.clear();
      }
      break;
    }
    client_message(r, out);
  }
}

void proxy_session::client_message(const codec::parse_result& r, actions& out) {
  const client_info info = rules_->client_message(r);
  std::string raw = std::move(client_.msg);
  client_.msg.clear();
  if (!info.problem.empty()) note(finding_kind::protocol_error, "client " + info.problem);
  if (info.event != client_event::content) {
    findings_.count_client_command();
    last_command_ = info.summary;
  }
  const bool forward = phase_ == proxy_phase::cleartext;
  switch (info.event) {
    case client_event::starttls:
      note(finding_kind::starttls_sent, info.summary);
      if (cfg_.atk == attack::reject_starttls && forward) {
        const std::string refusal = rules_->refuse_starttls();
        note(finding_kind::attack_applied, "answered " + info.summary + " with " +
                                               std::string(refusal.substr(0, refusal.size() - 2)));
        emit_client(refusal, out);
        return;
      }
      break;
    case client_event::credentials:
      note(finding_kind::cleartext_credentials, info.summary);
      break;
    case client_event::mail:
      note(finding_kind::cleartext_mail, info.summary);
      break;
    case client_event::quit:
      note(finding_kind::client_quit, info.summary);
      break;
    default:
      break;
  }
  if (forward) emit_server(raw, out);
}

void proxy_session::pump_server(actions& out) {
  const std::size_t max_rounds = server_.in.size() + 2;
  for (std::size_t round = 0;
       round < max_rounds && !server_.in.empty() && phase_ == proxy_phase::cleartext; ++round) {
    const codec::parse_result r = rules_->parse_server(server_.in);
    const std::size_t n = r.consumed < server_.in.size() ? r.consumed : server_.in.size();
    server_.msg.append(server_.in, 0, n);
    server_.in.erase(0, n);
    if (!r.is_need_more()) server_.discarding = is_overlong(r);
    if (r.is_need_more()) {
      if (server_.discarding || server_.msg.size() >= cfg_.limits.max_buffer) {  // pass it on
        emit_client(server_.msg, out);
        server_.msg.clear();
      }
      break;
    }
    server_message(r, out);
  }
}

void proxy_session::server_message(const codec::parse_result& r, actions& out) {
  const server_info info = rules_->server_message(r);
  std::string raw = std::move(server_.msg);
  server_.msg.clear();
  if (!info.problem.empty()) note(finding_kind::protocol_error, "server " + info.problem);
  switch (info.event) {
    case server_event::capabilities:
      if (info.offers_starttls && cfg_.atk == attack::strip_starttls) {
        std::string stripped = rules_->strip_starttls(raw);
        if (stripped != raw) {
          note(finding_kind::attack_applied, "removed STARTTLS from the capabilities");
          emit_client(stripped, out);
          return;
        }
      }
      if (info.offers_starttls) note(finding_kind::starttls_offered);
      break;
    case server_event::starttls_ok:
      switch (cfg_.atk) {
        case attack::inject_response:
          note(finding_kind::attack_applied, "glued forged replies to the STARTTLS answer");
          emit_client(rules_->inject(raw), out);
          go_opaque(out);
          return;
        case attack::tamper:
          note(finding_kind::attack_applied, "added responses to the STARTTLS answer");
          emit_client(rules_->tamper(raw), out);
          go_opaque(out);
          return;
        case attack::downgrade:
          emit_client(raw, out);
          phase_ = proxy_phase::await_handshake;
          // Client bytes held so far are its first TLS bytes (or cleartext it sent too early).
          if (!client_.in.empty()) {
            std::string held = std::move(client_.in);
            client_.in.clear();
            downgrade_bytes(held, out);
          }
          return;
        default:
          emit_client(raw, out);
          go_opaque(out);
          return;
      }
    default:
      break;
  }
  emit_client(raw, out);
}

void proxy_session::go_opaque(actions& out) {
  phase_ = proxy_phase::opaque;
  note(finding_kind::tls_started);
  out.push_back(relay_opaque{});
  // RFC 3207 §4.2: bytes after the STARTTLS exchange belong to TLS (or are an injection the
  // endpoint must discard): copied as they are.
  emit_client(server_.msg, out);
  emit_client(server_.in, out);
  emit_server(client_.msg, out);
  emit_server(client_.in, out);
  server_.msg.clear();
  server_.in.clear();
  client_.msg.clear();
  client_.in.clear();
}

void proxy_session::downgrade_bytes(std::string_view bytes, actions& out) {
  if (phase_ == proxy_phase::await_handshake) {
    // The client's first bytes after the STARTTLS answer (or at connect, implicit TLS): refuse
    // the handshake in cleartext and see whether the client falls back.
    const std::string reply = rules_->downgrade_reply();
    note(finding_kind::attack_applied,
         "answered the TLS handshake with " + reply.substr(0, reply.size() - 2));
    emit_client(reply, out);
    if (server_.open) {
      out.push_back(close_server{});
      server_.open = false;
    }
    rules_->restart_client();
    phase_ = proxy_phase::fallback;
  }
  bytes.remove_prefix(skipper_.skip(bytes));
  fallback_bytes_ += bytes.size();
  if (fallback_bytes_ > cfg_.limits.max_fallback_bytes) {
    note(finding_kind::limit, "more than " + std::to_string(cfg_.limits.max_fallback_bytes) +
                                  " bytes after the downgrade");
    close_all(out);
    return;
  }
  client_.in.append(bytes);
  pump_client(out);
}

void proxy_session::on_client_closed(std::uint64_t now_ms, actions& out) {
  if (finished() || !started_) return;
  now_ms_ = now_ms;
  first_new_action_ = out.size();
  note(finding_kind::client_closed,
       last_command_.empty() ? "before any command" : "after " + last_command_);
  if (phase_ == proxy_phase::cleartext || phase_ == proxy_phase::opaque) {
    emit_server(client_.msg, out);  // transparent: what was read goes on
    emit_server(client_.in, out);
  }
  close_all(out);
}

void proxy_session::on_server_closed(std::uint64_t now_ms, actions& out) {
  if (finished() || !started_) return;
  now_ms_ = now_ms;
  first_new_action_ = out.size();
  if (phase_ == proxy_phase::fallback || !server_.open) {
    finish_read(out);
    return;
  }
  note(finding_kind::server_closed);
  emit_client(server_.msg, out);
  emit_client(server_.in, out);
  server_.open = false;
  close_all(out);
}

void proxy_session::on_timeout(std::uint64_t now_ms, actions& out) {
  if (finished() || !started_) return;
  now_ms_ = now_ms;
  first_new_action_ = out.size();
  note(finding_kind::timeout, phase_ == proxy_phase::fallback
                                  ? "no more client bytes after the downgrade"
                                  : "idle for " + std::to_string(cfg_.idle_timeout_ms) + "ms");
  close_all(out);
}

void proxy_session::close_all(actions& out) {
  if (server_.open) out.push_back(close_server{});
  if (client_.open) out.push_back(close_client{});
  server_.open = false;
  client_.open = false;
  client_.in.clear();
  client_.msg.clear();
  server_.in.clear();
  server_.msg.clear();
  phase_ = proxy_phase::done;
}

void proxy_session::finish_read(actions& out) {
  if (finished()) return;
  out.push_back(
      read_both{phase_ == proxy_phase::fallback ? cfg_.fallback_timeout_ms : cfg_.idle_timeout_ms});
}

}  // namespace mailtls::mitm
