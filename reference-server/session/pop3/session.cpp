#include "session/pop3/session.hpp"

#include <utility>
#include <variant>

#include "codec/line_reader.hpp"
#include "codec/pop3/capabilities.hpp"
#include "codec/pop3/errc.hpp"
#include "codec/pop3/response.hpp"
#include "codec/sasl/errc.hpp"

namespace mailtls::server::pop3 {
namespace {

using codec::pop3::command;
using codec::pop3::command_kind;

// Dovecot's wording (seed policy); RFC 3206 §4 [AUTH], RFC 2595 §2.3.
constexpr std::string_view plaintext_refused =
    "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";
constexpr std::string_view auth_failed = "-ERR [AUTH] Authentication failed";
constexpr std::string_view no_such_message = "-ERR No such message";
constexpr std::string_view wrong_state_auth = "-ERR Command not valid in AUTHORIZATION state";
constexpr std::string_view wrong_state_trans = "-ERR Command not valid in TRANSACTION state";

// "STLS" followed by a space, any case: what the parser reported as unexpected_argument.
bool is_stls_with_argument(std::string_view line) {
  if (line.size() < 5 || line[4] != ' ') return false;
  constexpr std::string_view kw = "STLS";
  for (std::size_t i = 0; i < kw.size(); ++i) {
    char c = line[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != kw[i]) return false;
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string bug_names(const bug_set& bugs) {
  std::string names;
  for (const auto& b : all_bugs()) {
    if (!bugs.has(b.id)) continue;
    if (!names.empty()) names += ", ";
    names += b.name;
  }
  return names;
}

std::string counts(std::size_t n, std::uint64_t octets) {
  return std::to_string(n) + " messages (" + std::to_string(octets) + " octets)";
}

}  // namespace

pop3_session::pop3_session(backend& store, config cfg)
    : store_(store),
      cfg_(std::move(cfg)),
      parser_(codec::pop3::command_limits{.max_line = cfg_.limits.max_line,
                                          .max_auth_line = cfg_.limits.max_auth_line,
                                          .max_argument = cfg_.limits.max_argument}) {}

pop3_session::~pop3_session() = default;

// --- events ---------------------------------------------------------------------------------

void pop3_session::on_connect(const act::connection_facts& facts, act::actions& out) {
  if (state_ != state::not_connected) {
    log(act::log_level::error, "on_connect called twice", out);
    return;
  }
  peer_ = facts.peer_address + ":" + std::to_string(facts.peer_port);
  tls_active_ = facts.implicit_tls;
  state_ = state::authorization;
  log(act::log_level::info,
      "connect from " + peer_ +
          " listener=" + (cfg_.listener == listener_kind::pop3 ? "pop3" : "pop3s") +
          (tls_active_ ? " tls=yes" : " tls=no"),
      out);
  std::string greeting = "+OK mailtls POP3 ready";
  if (cfg_.offer_apop) {
    // RFC 1939 §7: a timestamp unique to this greeting, in msg-id form.
    greeting += " <" + std::to_string(store_.now()) + "." + std::to_string(facts.peer_port) + "@" +
                cfg_.host_name + ">";
  }
  if (!cfg_.bugs.empty()) {
    const std::string names = bug_names(cfg_.bugs);
    log(act::log_level::warn, "INJECTED BUGS: " + names, out);
    greeting += " (INJECTED BUGS: " + names + ")";
  }
  reply(greeting, out);
  out.push_back(act::read{cfg_.limits.idle_timeout_ms});
}

void pop3_session::on_bytes(std::string_view bytes, act::actions& out) {
  if (state_ == state::closed) return;
  if (state_ == state::not_connected || state_ == state::awaiting_tls) {
    log(act::log_level::error,
        "ignored " + std::to_string(bytes.size()) + " bytes received while not reading", out);
    return;
  }
  process(bytes, out);
  if (state_ != state::closed && state_ != state::awaiting_tls)
    out.push_back(act::read{cfg_.limits.idle_timeout_ms});
}

void pop3_session::on_tls_established(const act::tls_facts& facts, act::actions& out) {
  if (state_ != state::awaiting_tls) {  // the net layer broke the contract: change nothing
    log(act::log_level::error, "TLS established while not expected", out);
    if (state_ != state::closed && state_ != state::not_connected)
      out.push_back(act::read{cfg_.limits.idle_timeout_ms});
    return;
  }
  tls_active_ = true;
  // RFC 2595 §4: the STLS exchange resets what was learned before (a USER is forgotten).
  state_ = state::authorization;
  reset_authorization();
  parser_.reset();
  log(act::log_level::info, "TLS established " + facts.version + " " + facts.cipher, out);
  if (!pending_.empty()) {
    // Injected bug pop3-stls-injection: answer the plaintext pipelined after STLS inside TLS.
    const std::string kept = std::move(pending_);
    pending_.clear();
    process(kept, out);
  }
  if (state_ != state::closed && state_ != state::awaiting_tls)
    out.push_back(act::read{cfg_.limits.idle_timeout_ms});
}

void pop3_session::on_tls_failed(std::string_view reason, act::actions& out) {
  if (state_ == state::closed) return;
  log(act::log_level::warn, "TLS handshake failed: " + std::string(reason), out);
  close(out);
}

void pop3_session::on_timeout(act::actions& out) {
  if (state_ == state::closed || state_ == state::not_connected) return;
  log(act::log_level::info, "idle timeout", out);
  // RFC 1939 §3: the autologout timer closes without entering the UPDATE state.
  if (state_ != state::awaiting_tls) reply("-ERR Autologout; idle for too long", out);
  close(out);
}

void pop3_session::on_shutdown(act::actions& out) {
  if (state_ == state::closed || state_ == state::not_connected) return;
  log(act::log_level::info, "server shutting down", out);
  // No UPDATE: deletions are not applied (RFC 1939 §6 applies them only after QUIT).
  if (state_ != state::awaiting_tls) reply("-ERR [SYS/TEMP] Server shutting down", out);
  close(out);
}

// --- input ----------------------------------------------------------------------------------

void pop3_session::process(std::string_view bytes, act::actions& out) {
  // Every round consumes at least one byte or leaves the loop, so this bound is never reached.
  const std::size_t max_rounds = bytes.size() + 1;
  for (std::size_t rounds = 0; !bytes.empty() && rounds < max_rounds; ++rounds) {
    if (state_ == state::closed || state_ == state::awaiting_tls) return;
    const codec::parse_result r = parser_.parse(bytes);
    if (r.is_need_more() || r.consumed == 0) return;
    bytes.remove_prefix(r.consumed);
    if (r.is_error()) {
      on_parse_error(r.error, bytes, out);
    } else {
      dispatch(parser_.message(), bytes, out);
    }
  }
}

void pop3_session::on_parse_error(const std::error_code& ec, std::string_view rest,
                                  act::actions& out) {
  if (state_ == state::sasl) {
    // RFC 5034 §4: a response that is not base64 ends the exchange with a negative reply.
    log(act::log_level::info, "SASL exchange failed: " + ec.message(), out);
    reset_authorization();
    reply("-ERR Invalid SASL response", out);
    return;
  }
  using codec::pop3::pop3_errc;
  if (ec == pop3_errc::unexpected_argument && is_stls_with_argument(parser_.line().text)) {
    // RFC 2595 §4: STLS takes no parameters.
    if (cfg_.bugs.has(bug::starttls_argument_accepted)) {
      do_stls(rest, out);
    } else {
      bad_command("-ERR Syntax error: STLS takes no arguments", out);
    }
    return;
  }
  if (ec == pop3_errc::unknown_command) {
    bad_command("-ERR Unknown command", out);
  } else if (ec == pop3_errc::empty_line) {
    bad_command("-ERR Empty command", out);
  } else if (ec == codec::line_errc::line_too_long) {
    bad_command("-ERR Line too long", out);  // RFC 2449 §4: 255 octets
  } else {
    bad_command("-ERR Syntax error: " + ec.message(), out);
  }
}

void pop3_session::dispatch(const command& c, std::string_view rest, act::actions& out) {
  if (state_ == state::sasl) {
    do_sasl_line(c, out);
    return;
  }
  if (state_ == state::transaction) {
    if (c.kind == command_kind::stls) {
      do_stls(rest, out);
    } else {
      do_transaction(c, out);
    }
    return;
  }
  switch (c.kind) {  // AUTHORIZATION state, RFC 1939 §4
    case command_kind::capa:
      do_capa(out);
      return;
    case command_kind::stls:
      do_stls(rest, out);
      return;
    case command_kind::user:
      do_user(c, out);
      return;
    case command_kind::pass:
      do_pass(c, out);
      return;
    case command_kind::auth:
      do_auth(c, out);
      return;
    case command_kind::apop:
      // RFC 1939 §7. Refused like the other login commands before TLS (seed policy).
      reply(auth_allowed() ? "-ERR APOP not supported" : plaintext_refused, out);
      return;
    case command_kind::quit:
      // RFC 1939 §4: QUIT in the AUTHORIZATION state does not enter UPDATE.
      reply("+OK mailtls POP3 server signing off", out);
      close(out);
      return;
    default:
      bad_command(wrong_state_auth, out);
      return;
  }
}

// --- AUTHORIZATION --------------------------------------------------------------------------

bool pop3_session::auth_allowed() const {
  return tls_active_ || cfg_.listener == listener_kind::pop3s || !cfg_.require_tls_for_auth ||
         cfg_.bugs.has(bug::pop3_auth_before_tls);
}

bool pop3_session::offers_user() const {
  return cfg_.offer_user && auth_allowed();
}

bool pop3_session::offers_sasl() const {
  return cfg_.offer_sasl && auth_allowed();
}

bool pop3_session::offers_stls() const {
  // RFC 2595 §4: STLS only before TLS, never on the implicit-TLS port.
  if (tls_active_) return cfg_.bugs.has(bug::starttls_readvertised);
  return cfg_.listener == listener_kind::pop3;
}

void pop3_session::do_capa(act::actions& out) {
  // RFC 2449 §5: the same list in AUTHORIZATION and TRANSACTION; it depends on TLS only.
  codec::pop3::capabilities caps;
  if (offers_stls()) caps.add("STLS");
  caps.add("TOP").add("UIDL").add("RESP-CODES").add("AUTH-RESP-CODE").add("PIPELINING");
  if (offers_user()) caps.add("USER");
  if (offers_sasl()) caps.add("SASL", {"PLAIN", "LOGIN"});
  caps.add("IMPLEMENTATION", {"mailtls"});
  codec::pop3::response r{.text = "Capability list follows", .multi_line = true};
  caps.append_body(r.body);
  std::string bytes;
  serialize(r, bytes);
  out.push_back(act::send{std::move(bytes)});
}

void pop3_session::do_stls(std::string_view rest, act::actions& out) {
  if (state_ == state::transaction) {  // RFC 2595 §4: only in the AUTHORIZATION state
    bad_command(wrong_state_trans, out);
    return;
  }
  if ((tls_active_ || cfg_.listener == listener_kind::pop3s) &&
      !cfg_.bugs.has(bug::second_starttls_accepted)) {
    reply("-ERR Command not permitted when TLS active", out);
    return;
  }
  reply("+OK Begin TLS negotiation", out);
  out.push_back(act::start_tls{});
  state_ = state::awaiting_tls;
  parser_.reset();
  if (rest.empty()) return;
  if (cfg_.bugs.has(bug::pop3_stls_injection)) {
    pending_.assign(rest);
    log(act::log_level::warn,
        "kept " + std::to_string(rest.size()) +
            " bytes pipelined after STLS (injected bug pop3-stls-injection)",
        out);
  } else {
    // RFC 2595 §4 / RFC 3207 §4.2: plaintext received before the handshake is not acted on.
    log(act::log_level::warn,
        "discarded " + std::to_string(rest.size()) + " bytes pipelined after STLS", out);
  }
}

void pop3_session::do_user(const command& c, act::actions& out) {
  if (!auth_allowed()) {
    reply(plaintext_refused, out);
    return;
  }
  if (!cfg_.offer_user) {
    reply("-ERR USER/PASS not available, use AUTH", out);
    return;
  }
  user_ = c.argument;  // RFC 1939 §7
  reply("+OK Password required", out);
}

void pop3_session::do_pass(const command& c, act::actions& out) {
  if (!auth_allowed()) {
    reply(plaintext_refused, out);
    return;
  }
  if (!user_) {  // RFC 1939 §7: PASS only right after a successful USER
    bad_command("-ERR No user name given, send USER first", out);
    return;
  }
  const std::string name = std::move(*user_);
  user_.reset();
  login(name, c.argument, "USER", "", out);
}

void pop3_session::do_auth(const command& c, act::actions& out) {
  if (!auth_allowed()) {
    reply(plaintext_refused, out);
    return;
  }
  if (!cfg_.offer_sasl) {
    reply("-ERR SASL authentication not available", out);
    return;
  }
  user_.reset();
  if (c.lists_mechanisms()) {
    codec::pop3::response r{.text = "Supported SASL mechanisms follow", .multi_line = true};
    r.body = "PLAIN\r\nLOGIN\r\n";
    std::string bytes;
    serialize(r, bytes);
    out.push_back(act::send{std::move(bytes)});
    return;
  }
  codec::sasl::server_options opts;
  opts.max_line = cfg_.limits.max_auth_line;
  std::optional<std::string_view> ir;
  if (c.initial_response) ir = *c.initial_response;
  sasl_ = std::make_unique<codec::sasl::server_session>(c.argument, ir, opts);
  sasl_mechanism_ = upper(c.argument);
  sasl_step(sasl_->start(), out);
}

void pop3_session::do_sasl_line(const command& c, act::actions& out) {
  if (!sasl_ || c.kind != command_kind::sasl_response) {  // cannot happen: the parser was told
    reset_authorization();
    reply("-ERR Invalid SASL response", out);
    return;
  }
  sasl_step(sasl_->on_client_line(c.cancel ? std::string_view("*") : c.argument), out);
}

void pop3_session::sasl_step(const codec::sasl::server_action& a, act::actions& out) {
  if (const auto* ch = std::get_if<codec::sasl::send_challenge>(&a)) {
    reply("+ " + ch->base64, out);  // RFC 5034 §4: continuation "+" SP base64
    parser_.expect_sasl_response();
    state_ = state::sasl;
    return;
  }
  state_ = state::authorization;
  const std::string mech = std::move(sasl_mechanism_);
  if (const auto* au = std::get_if<codec::sasl::authenticate>(&a)) {
    sasl_.reset();
    login(au->authcid, au->passwd, mech, au->authzid, out);
    return;
  }
  const auto& f = std::get<codec::sasl::fail>(a);
  sasl_.reset();
  using codec::sasl::sasl_errc;
  if (f.error == sasl_errc::unsupported_mechanism) {
    reply("-ERR Unsupported authentication mechanism", out);  // RFC 5034 §4
  } else if (f.error == sasl_errc::cancelled) {
    reply("-ERR Authentication cancelled", out);  // RFC 5034 §4: "*" gets a negative reply
  } else {
    log(act::log_level::info, "SASL " + mech + " exchange failed: " + codec::sasl::to_string(f),
        out);
    reply("-ERR Invalid SASL response", out);
  }
}

void pop3_session::login(std::string_view user, std::string_view password,
                         std::string_view mechanism, std::string_view authzid, act::actions& out) {
  const auto account = store_.authenticate(user, password);
  // No proxy authorization: an authzid must name the authenticated account itself.
  if (!account || (!authzid.empty() && authzid != user && authzid != *account)) {
    login_failed(user, mechanism, out);
    return;
  }
  auto box = store_.open_mailbox(*account, "INBOX");
  if (!box) {
    log(act::log_level::warn, "maildrop of " + *account + " not available", out);
    reply("-ERR [IN-USE] Unable to open maildrop", out);  // RFC 2449 §8.1.1
    return;
  }
  drop_ = std::make_unique<maildrop>(std::move(box));
  account_ = *account;
  state_ = state::transaction;
  log(act::log_level::info,
      "login user=" + account_ + " mechanism=" + std::string(mechanism) +
          (tls_active_ ? " tls=yes" : " tls=no"),
      out);
  reply("+OK Maildrop ready, " + counts(drop_->count(), drop_->octets()), out);
}

void pop3_session::login_failed(std::string_view user, std::string_view mechanism,
                                act::actions& out) {
  log(act::log_level::warn,
      "authentication failed user=" + std::string(user) + " mechanism=" + std::string(mechanism),
      out);
  if (cfg_.limits.failed_auth_delay_ms != 0)
    out.push_back(act::pause{cfg_.limits.failed_auth_delay_ms});
  reply(auth_failed, out);  // RFC 3206 §4: [AUTH], the credentials were wrong
}

void pop3_session::reset_authorization() {
  user_.reset();
  sasl_.reset();
  sasl_mechanism_.clear();
  if (state_ == state::sasl) state_ = state::authorization;
}

// --- TRANSACTION ----------------------------------------------------------------------------

void pop3_session::do_transaction(const command& c, act::actions& out) {
  maildrop& d = *drop_;
  switch (c.kind) {
    case command_kind::stat:  // RFC 1939 §5
      reply("+OK " + std::to_string(d.count()) + " " + std::to_string(d.octets()), out);
      return;
    case command_kind::list:
    case command_kind::uidl: {  // RFC 1939 §5, §7
      const bool uidl = c.kind == command_kind::uidl;
      auto item = [&](std::uint32_t n, const message_entry& m) {
        return std::to_string(n) + " " + (uidl ? m.unique_id : std::to_string(m.size));
      };
      if (c.msg) {
        const message_entry* m = d.find(*c.msg);
        reply(m != nullptr ? "+OK " + item(*c.msg, *m) : std::string(no_such_message), out);
        return;
      }
      reply_ = uidl ? "+OK Unique-ID listing follows\r\n"
                    : "+OK " + counts(d.count(), d.octets()) + "\r\n";
      for (std::uint32_t n = 1; n <= d.size(); ++n) {
        if (const message_entry* m = d.find(n)) reply_ += item(n, *m) + "\r\n";
      }
      reply_ += ".\r\n";
      out.push_back(act::send{reply_});
      return;
    }
    case command_kind::retr:
    case command_kind::top: {  // RFC 1939 §5 RETR, §7 TOP
      const std::uint32_t n = *c.msg;
      const message_entry* m = d.find(n);
      if (m == nullptr) {
        reply(no_such_message, out);
        return;
      }
      const bool top = c.kind == command_kind::top;
      reply_ =
          top ? "+OK Top of message follows\r\n" : "+OK " + std::to_string(m->size) + " octets\r\n";
      if (const auto ec =
              d.append_message(n, top ? std::optional(c.lines) : std::nullopt, reply_)) {
        log(act::log_level::error, "cannot read message " + std::to_string(n) + ": " + ec.message(),
            out);
        reply("-ERR [SYS/TEMP] Unable to read message", out);
        return;
      }
      out.push_back(act::send{reply_});
      return;
    }
    case command_kind::dele: {  // RFC 1939 §5
      const std::uint32_t n = *c.msg;
      if (d.is_deleted(n)) {
        reply("-ERR Message " + std::to_string(n) + " already deleted", out);
      } else if (d.mark_deleted(n)) {
        reply("+OK Message " + std::to_string(n) + " deleted", out);
      } else {
        reply(no_such_message, out);
      }
      return;
    }
    case command_kind::rset:  // RFC 1939 §5
      d.unmark_all();
      reply("+OK Maildrop has " + counts(d.count(), d.octets()), out);
      return;
    case command_kind::noop:
      reply("+OK", out);
      return;
    case command_kind::quit:
      do_quit(out);
      return;
    case command_kind::capa:
      do_capa(out);
      return;
    default:  // USER, PASS, APOP, AUTH after login
      bad_command(wrong_state_trans, out);
      return;
  }
}

void pop3_session::do_quit(act::actions& out) {
  // RFC 1939 §6: UPDATE state, remove the messages marked as deleted.
  std::size_t left = 0;
  const std::size_t marked = drop_->size() - drop_->count();
  if (const auto ec = drop_->update(left)) {
    log(act::log_level::error, "UPDATE failed for " + account_ + ": " + ec.message(), out);
    reply("-ERR [SYS/TEMP] Some deleted messages not removed", out);
  } else {
    log(act::log_level::info,
        "logout user=" + account_ + " deleted=" + std::to_string(marked) +
            " left=" + std::to_string(left),
        out);
    reply("+OK mailtls POP3 server signing off (" + std::to_string(left) + " messages left)", out);
  }
  close(out);
}

// --- output ---------------------------------------------------------------------------------

void pop3_session::reply(std::string_view line, act::actions& out) {
  std::string bytes;
  bytes.reserve(line.size() + 2);
  bytes.append(line);
  bytes.append("\r\n");
  out.push_back(act::send{std::move(bytes)});
}

void pop3_session::bad_command(std::string_view line, act::actions& out) {
  ++bad_commands_;
  if (cfg_.limits.max_bad_commands != 0 && bad_commands_ >= cfg_.limits.max_bad_commands) {
    log(act::log_level::warn, "too many bad commands from " + peer_, out);
    reply("-ERR Too many bad commands", out);
    close(out);
    return;
  }
  reply(line, out);
}

void pop3_session::close(act::actions& out) {
  state_ = state::closed;
  sasl_.reset();
  drop_.reset();
  pending_.clear();
  user_.reset();
  out.push_back(act::close{});
}

void pop3_session::log(act::log_level level, std::string text, act::actions& out) {
  out.push_back(act::log{level, std::move(text)});
}

}  // namespace mailtls::server::pop3
