#include "session/imap/imap_session.hpp"

#include <algorithm>

#include "codec/imap/errc.hpp"
#include "codec/imap/lexer.hpp"
#include "codec/line_reader.hpp"

namespace mailtls::server::imap {

namespace {

// How many leading bytes of a message are kept to find the tag of a message that failed framing.
constexpr std::size_t message_start_keep = 80;

bool is_imap_category(const std::error_code& ec) {
  return ec.category() == cimap::make_error_code(cimap::imap_errc::invalid_tag).category();
}

// Errors the framer reports before the command is tokenized: the parser's command() is stale.
bool is_framing_error(const std::error_code& ec) {
  if (!is_imap_category(ec)) return true;  // line_errc: bare LF/CR, NUL, over-long line
  return ec == cimap::imap_errc::literal_too_large || ec == cimap::imap_errc::message_too_large ||
         ec == cimap::imap_errc::nul_in_literal;
}

}  // namespace

const char* to_string(listener_kind k) noexcept {
  return k == listener_kind::imap ? "imap" : "imaps";
}

imap_config imap_config::for_listener(listener_kind k, std::string host) {
  imap_config c;
  c.listener = k;
  c.host_name = std::move(host);
  c.require_tls_for_login = true;  // 143: STARTTLS first; 993: TLS is always up
  return c;
}

namespace {

cimap::imap_limits effective_limits(const imap_session_limits& l) {
  cimap::imap_limits p = l.parser;
  // APPEND carries a whole message in one literal: its bound is the message size limit.
  p.max_literal = std::min(p.max_literal, l.max_message_size);
  p.max_message = std::max(p.max_message, p.max_literal + p.max_line);
  return p;
}

}  // namespace

imap_session::imap_session(backend& b, imap_config config)
    : backend_(b), config_(std::move(config)), parser_(effective_limits(config_.limits)) {}

imap_session::~imap_session() = default;

void imap_session::send(act::actions& out, std::string text) {
  out.push_back(act::send{std::move(text)});
}

void imap_session::tagged(act::actions& out, std::string_view tag, std::string_view text) {
  std::string line;
  line.reserve(tag.size() + text.size() + 3);
  line.append(tag.empty() ? std::string_view("*") : tag);
  line.push_back(' ');
  line.append(text);
  line.append("\r\n");
  send(out, std::move(line));
}

void imap_session::bad(act::actions& out, std::string_view tag, std::string_view text) {
  std::string t = "BAD ";
  t.append(text);
  tagged(out, tag, t);
  ++bad_count_;
  if (config_.limits.max_bad_commands != 0 && bad_count_ >= config_.limits.max_bad_commands) {
    log(out, act::log_level::info,
        "too many invalid commands (" + std::to_string(bad_count_) + ")");
    bye_and_close(out, "Too many invalid commands");
  }
}

void imap_session::bye_and_close(act::actions& out, std::string_view text) {
  if (closed_) return;
  send(out, "* BYE " + std::string(text) + "\r\n");
  out.push_back(act::close{});
  closed_ = true;
  state_ = state::logout;
}

void imap_session::log(act::actions& out, act::log_level level, std::string text) {
  out.push_back(act::log{level, std::move(text)});
}

void imap_session::on_connect(const act::connection_facts& facts, act::actions& out) {
  connected_ = true;
  tls_active_ = facts.implicit_tls;
  // The implicit-cleartext bug makes 993 speak plaintext; the session then behaves as the buggy
  // server would: as if TLS were up.
  secure_ = tls_active_ ||
            (config_.listener == listener_kind::imaps && config_.bugs.has(bug::implicit_cleartext));
  log(out, act::log_level::info,
      std::string("connection from ") + facts.peer_address + ":" + std::to_string(facts.peer_port) +
          " on " + to_string(config_.listener) + (tls_active_ ? " (TLS)" : ""));
  if (!config_.bugs.empty()) {
    std::string names;
    for (const auto& b : all_bugs()) {
      if (!config_.bugs.has(b.id)) continue;
      if (!names.empty()) names += ", ";
      names += b.name;
    }
    log(out, act::log_level::warn, "injected bugs: " + names);
  }
  // RFC 9051 §7.1.4: PREAUTH only for connections authenticated by other means; never here
  // unless the imap-preauth bug is on.
  if (config_.listener == listener_kind::imap && config_.bugs.has(bug::imap_preauth)) {
    state_ = state::authenticated;
    logged_in_ = true;
  }
  send(out, greeting());
  out.push_back(act::read{config_.limits.idle_timeout_ms});
}

void imap_session::on_bytes(std::string_view bytes, act::actions& out) {
  if (closed_ || !connected_) return;
  if (awaiting_tls_) {
    // The net layer must not feed bytes while the handshake is pending (server_session.hpp).
    log(out, act::log_level::error,
        "ignored " + std::to_string(bytes.size()) + " bytes received during the TLS handshake");
    return;
  }
  process(bytes, out);
  if (!closed_ && !awaiting_tls_) out.push_back(act::read{config_.limits.idle_timeout_ms});
}

void imap_session::process(std::string_view bytes, act::actions& out) {
  // Bounded: every round consumes at least one byte or leaves the loop.
  const std::size_t max_rounds = bytes.size() + 1;
  for (std::size_t round = 0; round < max_rounds && !bytes.empty(); ++round) {
    if (closed_ || awaiting_tls_) break;
    if (message_start_.size() < message_start_keep)
      message_start_.append(
          bytes.substr(0, std::min(bytes.size(), message_start_keep - message_start_.size())));
    const codec::parse_result r = parser_.parse(bytes);
    if (r.is_need_more()) {
      // RFC 9051 §4.3, §7.5: the client waits for "+" before sending a synchronizing literal.
      if (parser_.needs_continuation()) send(out, "+ Ready for literal data\r\n");
      bytes = {};
      break;
    }
    const std::size_t used = std::min(r.consumed, bytes.size());
    bytes.remove_prefix(used);
    if (r.is_complete())
      on_message(bytes, out);
    else
      on_parse_error(r, out);
    message_start_.clear();
    if (used == 0) break;
  }
  if (awaiting_tls_ && !bytes.empty()) {
    if (config_.bugs.has(bug::imap_starttls_injection)) {
      injected_.append(bytes);
      log(out, act::log_level::warn,
          "kept " + std::to_string(bytes.size()) +
              " bytes pipelined after STARTTLS (imap-starttls-injection)");
    } else {
      // RFC 3207 §4.2 / RFC 2595 §3.1: nothing sent before TLS is acted on after it.
      log(out, act::log_level::warn,
          "discarded " + std::to_string(bytes.size()) + " bytes pipelined after STARTTLS");
    }
  }
}

void imap_session::on_message(std::string_view /*rest*/, act::actions& out) {
  if (sub_mode_ == sub_mode::idle) {
    on_idle_done(out);
    return;
  }
  if (sub_mode_ == sub_mode::authenticate) {
    on_sasl_line(parser_.continuation(), out);
    return;
  }
  dispatch(parser_.get(), out);
}

std::string imap_session::tag_of_failed_message() const {
  std::size_t n = 0;
  while (n < message_start_.size() &&
         cimap::is_tag_char(static_cast<unsigned char>(message_start_[n])))
    ++n;
  if (n == 0 || n >= message_start_.size() || message_start_[n] != ' ') return {};
  return message_start_.substr(0, n);
}

void imap_session::on_parse_error(const codec::parse_result& r, act::actions& out) {
  const std::error_code ec = r.error;
  if (sub_mode_ == sub_mode::idle) {
    // RFC 2177 §3: only DONE ends IDLE; anything else is refused and IDLE goes on.
    bad(out, "", "Expected DONE");
    return;
  }
  if (sub_mode_ == sub_mode::authenticate) {
    // RFC 9051 §6.2.2: an undecodable response is rejected with a tagged BAD.
    const std::string tag = sub_tag_;
    sub_mode_ = sub_mode::none;
    parser_.set_mode(cimap::client_mode::command);
    sasl_.reset();
    bad(out, tag, "Invalid AUTHENTICATE response");
    return;
  }
  const bool framing = is_framing_error(ec);
  const std::string tag = framing ? tag_of_failed_message() : parser_.get().tag;
  if (!framing && parser_.get().kind == cimap::command_kind::starttls &&
      ec == cimap::imap_errc::unexpected_argument) {
    cmd_starttls(parser_.get(), true, out);
    return;
  }
  if (ec == cimap::imap_errc::literal_too_large || ec == cimap::imap_errc::message_too_large) {
    // RFC 9051 §7.1 TOOBIG; RFC 7888 §4. The framer skips non-synchronizing data.
    bad(out, tag, "[TOOBIG] Literal too large");
  } else if (ec == codec::line_errc::line_too_long) {
    bad(out, tag, "Line too long");
  } else {
    bad(out, tag, "Syntax error: " + ec.message());
  }
}

void imap_session::dispatch(const cimap::command& c, act::actions& out) {
  using k = cimap::command_kind;
  const bool auth = state_ == state::authenticated || state_ == state::selected;
  const bool sel = state_ == state::selected;
  switch (c.kind) {
    // Any state (RFC 9051 §6.1).
    case k::capability:
      return cmd_capability(c, out);
    case k::noop:
    case k::check:
      return cmd_noop(c, out);
    case k::logout:
      return cmd_logout(c, out);
    case k::id:
      return cmd_id(c, out);
    // Not authenticated state (§6.2).
    case k::starttls:
      return cmd_starttls(c, false, out);
    case k::login:
      return cmd_login(c, out);
    case k::authenticate:
      return cmd_authenticate(c, out);
    default:
      break;
  }
  if (c.kind == k::unknown) return bad(out, c.tag, "Unknown command");
  if (!auth) return bad(out, c.tag, "Not authenticated");
  switch (c.kind) {
    // Authenticated state (§6.3).
    case k::enable:
      if (sel) return bad(out, c.tag, "ENABLE is only valid before SELECT");  // RFC 5161 §3.1
      return cmd_enable(c, out);
    case k::select:
      return cmd_select(c, false, out);
    case k::examine:
      return cmd_select(c, true, out);
    case k::list:
    case k::lsub:
      return cmd_list(c, out);
    case k::namespace_:
      return cmd_namespace(c, out);
    case k::status:
      return cmd_status(c, out);
    case k::append:
      return cmd_append(c, out);
    case k::idle:
      return cmd_idle(c, out);
    case k::subscribe:
    case k::unsubscribe:
      return tagged(out, c.tag, "OK " + std::string(cimap::to_string(c.kind)) + " completed");
    case k::create:
    case k::delete_:
    case k::rename:
      return tagged(out, c.tag, "NO [CANNOT] Mailbox management is not supported");
    default:
      break;
  }
  if (!sel) return bad(out, c.tag, "No mailbox selected");
  switch (c.kind) {
    // Selected state (§6.4).
    case k::close:
      return cmd_close(c, true, out);
    case k::unselect:
      return cmd_close(c, false, out);
    case k::expunge:
      return cmd_expunge(c, out);
    case k::search:
      return cmd_search(c, out);
    case k::fetch:
      return cmd_fetch(c, out);
    case k::store:
      return cmd_store(c, out);
    case k::copy:
    case k::move:
      return cmd_copy(c, out);
    default:
      return bad(out, c.tag, "Unknown command");
  }
}

void imap_session::reset_after_tls() {
  // RFC 9051 §6.2.1: the client must discard what it learned before TLS; the server forgets any
  // state too (RFC 3207 §4.2 by analogy): a fresh parser, nothing enabled, no exchange pending.
  parser_.reset();
  parser_.set_mode(cimap::client_mode::command);
  sub_mode_ = sub_mode::none;
  sasl_.reset();
  rev2_ = false;
  message_start_.clear();
}

void imap_session::on_tls_established(const act::tls_facts& facts, act::actions& out) {
  if (closed_) return;
  awaiting_tls_ = false;
  tls_active_ = true;
  secure_ = true;
  reset_after_tls();
  log(out, act::log_level::info, "TLS established: " + facts.version + " " + facts.cipher);
  // The client speaks first after the handshake (RFC 9051 §6.2.1): nothing to send.
  if (!injected_.empty()) {
    // imap-starttls-injection: answer the plaintext that came with STARTTLS inside TLS.
    const std::string kept = std::move(injected_);
    injected_.clear();
    process(kept, out);
  }
  if (!closed_ && !awaiting_tls_) out.push_back(act::read{config_.limits.idle_timeout_ms});
}

void imap_session::on_tls_failed(std::string_view reason, act::actions& out) {
  if (closed_) return;
  awaiting_tls_ = false;
  log(out, act::log_level::warn, "TLS handshake failed: " + std::string(reason));
  out.push_back(act::close{});
  closed_ = true;
  state_ = state::logout;
}

void imap_session::on_timeout(act::actions& out) {
  if (closed_) return;
  if (awaiting_tls_) {
    out.push_back(act::close{});
    closed_ = true;
    return;
  }
  log(out, act::log_level::info, "idle timeout");
  // RFC 9051 §5.4: autologout after at least 30 minutes of inactivity.
  bye_and_close(out, "Autologout; idle for too long");
}

void imap_session::on_shutdown(act::actions& out) {
  if (closed_) return;
  if (awaiting_tls_) {  // nothing can be said in cleartext any more
    out.push_back(act::close{});
    closed_ = true;
    return;
  }
  bye_and_close(out, "Server shutting down");
}

}  // namespace mailtls::server::imap
