// Events, framing and shared helpers of the SMTP server session. Command handlers are in
// commands.cpp, DATA and BDAT in transfer.cpp.
#include "session/smtp/session.hpp"

#include <algorithm>
#include <utility>

#include "codec/smtp/syntax.hpp"
#include "session/smtp/replies.hpp"

namespace mailtls::server::smtp {

namespace act = mailtls::session;
using codec::parse_result;
using codec::smtp::smtp_errc;
using codec::smtp::verb;

namespace {

// RFC 4954 §4: an AUTH command line and every line of the exchange may be 12288 octets.
constexpr std::size_t auth_line_max = 12288;

codec::smtp::limits command_limits(const config& c) {
  codec::smtp::limits l;
  // The parser frames every line up to the AUTH bound; the session applies config::max_line to
  // the other commands itself (see on_command_result).
  l.max_command_line = std::max(c.max_line, auth_line_max + 2);
  l.max_message_size = c.max_message_size;
  return l;
}

codec::smtp::limits transfer_limits(const config& c) {
  codec::smtp::limits l;
  l.max_message_size = c.max_message_size;
  return l;
}

// The verb a (possibly malformed) line starts with, for choosing a reply when the parser
// rejected the line: RFC 5321 §2.4 verbs are case-insensitive.
std::optional<verb> verb_of_line(std::string_view text) {
  const std::size_t sp = text.find(' ');
  const std::string_view word = text.substr(0, sp);
  static constexpr std::pair<std::string_view, verb> verbs[] = {
      {"EHLO", verb::ehlo},         {"HELO", verb::helo}, {"MAIL", verb::mail},
      {"RCPT", verb::rcpt},         {"DATA", verb::data}, {"BDAT", verb::bdat},
      {"RSET", verb::rset},         {"VRFY", verb::vrfy}, {"EXPN", verb::expn},
      {"HELP", verb::help},         {"NOOP", verb::noop}, {"QUIT", verb::quit},
      {"STARTTLS", verb::starttls}, {"AUTH", verb::auth},
  };
  for (const auto& [name, v] : verbs) {
    if (codec::smtp::syntax::iequals(word, name)) return v;
  }
  return std::nullopt;
}

std::string_view syntax_reply(verb v) {
  switch (v) {
    case verb::ehlo:
      return "501 5.5.4 Syntax: EHLO hostname";
    case verb::helo:
      return "501 5.5.4 Syntax: HELO hostname";
    case verb::mail:
      return "501 5.5.4 Syntax: MAIL FROM:<address>";
    case verb::rcpt:
      return "501 5.5.4 Syntax: RCPT TO:<address>";
    case verb::data:
      return "501 5.5.4 Syntax: DATA";
    case verb::bdat:
      return "501 5.5.4 Syntax: BDAT size [LAST]";
    case verb::rset:
      return "501 5.5.4 Syntax: RSET";
    case verb::vrfy:
      return "501 5.5.4 Syntax: VRFY address";
    case verb::expn:
      return "501 5.5.4 Syntax: EXPN list";
    case verb::help:
      return "501 5.5.4 Syntax: HELP [topic]";
    case verb::noop:
      return "501 5.5.4 Syntax: NOOP";
    case verb::quit:
      return "501 5.5.4 Syntax: QUIT";
    case verb::starttls:
      return replies::starttls_syntax;  // RFC 3207 §4
    case verb::auth:
      return "501 5.5.4 Syntax: AUTH mechanism [initial-response]";
  }
  return replies::bad_syntax;
}

// The reply to a command line the parser rejected (RFC 5321 §4.2.4: 500 for an unknown command,
// 501 for bad arguments), from the codec's specific error.
std::string_view error_reply(const std::error_code& ec, std::optional<verb> v) {
  if (ec == codec::line_errc::line_too_long) return replies::line_too_long;
  if (ec == codec::line_errc::bare_lf) return replies::bare_lf;
  if (ec == codec::line_errc::bare_cr) return replies::bare_cr;
  if (ec == codec::line_errc::nul_byte) return replies::nul;
  if (ec.category() != make_error_code(smtp_errc::empty_line).category()) {
    return replies::bad_syntax;
  }
  const bool rcpt = v == verb::rcpt;
  switch (static_cast<smtp_errc>(ec.value())) {
    case smtp_errc::empty_line:
      return replies::bad_syntax;
    case smtp_errc::unknown_command:
      return replies::unknown_command;
    case smtp_errc::missing_argument:
    case smtp_errc::unexpected_argument:
    case smtp_errc::missing_from:
    case smtp_errc::missing_to:
    case smtp_errc::bad_mechanism:
      return v ? syntax_reply(*v) : replies::bad_syntax;
    case smtp_errc::bad_domain:
    case smtp_errc::bad_address_literal:
    case smtp_errc::domain_too_long:
      if (v == verb::ehlo || v == verb::helo) return replies::bad_hostname;
      if (ec == smtp_errc::domain_too_long) {
        return rcpt ? replies::recipient_too_long : replies::sender_too_long;
      }
      return rcpt ? replies::bad_recipient : replies::bad_sender;
    case smtp_errc::bad_path:
    case smtp_errc::bad_local_part:
    case smtp_errc::null_path_not_allowed:
      return rcpt ? replies::bad_recipient : replies::bad_sender;
    case smtp_errc::local_part_too_long:
    case smtp_errc::path_too_long:
      // RFC 5321 §4.5.3.1.10: "501 Path too long".
      return rcpt ? replies::recipient_too_long : replies::sender_too_long;
    case smtp_errc::bad_parameter:
    case smtp_errc::missing_parameter_value:
    case smtp_errc::unexpected_parameter_value:
      return replies::bad_parameter;
    case smtp_errc::duplicate_parameter:
      return replies::duplicate_parameter;
    case smtp_errc::too_many_parameters:
      return replies::too_many_parameters;
    case smtp_errc::bad_size:
      return v == verb::bdat ? syntax_reply(verb::bdat) : replies::bad_size;
    case smtp_errc::bad_body:
      return replies::bad_body;
    case smtp_errc::bad_initial_response:
      return replies::auth_bad_base64;  // RFC 4954 §4: 501 when it cannot be decoded
    default:
      return replies::bad_syntax;
  }
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

}  // namespace

session::session(backend& b, config cfg)
    : backend_(b),
      cfg_(std::move(cfg)),
      parser_(command_limits(cfg_)),
      auth_reader_(codec::line_limits{auth_line_max + 2, false, false, false}),
      data_(transfer_limits(cfg_)),
      bdat_(transfer_limits(cfg_)) {}

session::~session() = default;

// --- events ---

void session::on_connect(const act::connection_facts& facts, actions& out) {
  peer_ = facts.peer_address;
  tls_ = facts.implicit_tls;  // 465: TLS is up before the greeting (RFC 8314 §3.3)
  std::string greeting = "220 " + cfg_.host_name + " ESMTP mailtls";
  if (!cfg_.bugs.empty()) {
    const std::string names = bug_names(cfg_.bugs);
    log(out, act::log_level::warn, "BUG INJECTION active: " + names);
    greeting += " (BUG INJECTION: " + names + ")";
  }
  reply(out, greeting);  // RFC 5321 §4.3.1
  finish(out);
}

void session::on_bytes(std::string_view bytes, actions& out) {
  if (phase_ == phase::closed) return;
  if (phase_ == phase::awaiting_tls) {
    // The net layer gives TLS records to the TLS engine until the handshake ends.
    log(out, act::log_level::error,
        "discarded " + std::to_string(bytes.size()) + " bytes received during the TLS handshake");
    return;
  }
  process(bytes, out);
  finish(out);
}

void session::on_tls_established(const act::tls_facts& facts, actions& out) {
  if (phase_ == phase::closed) return;
  tls_ = true;
  tls_version_ = facts.version;
  tls_cipher_ = facts.cipher;
  phase_ = phase::command;
  parser_.reset();
  // RFC 3207 §4.2: forget everything learned from the client before TLS.
  if (!cfg_.bugs.has(bug::smtp_state_not_reset)) forget_session_state();
  if (!injected_.empty()) {
    // BUG (CVE-2011-0411): plaintext pipelined after STARTTLS is answered inside TLS.
    const std::string replay = std::move(injected_);
    injected_.clear();
    log(out, act::log_level::warn,
        "BUG INJECTION smtp-starttls-injection: answering " + std::to_string(replay.size()) +
            " bytes received before TLS");
    process(replay, out);
  }
  finish(out);  // the client speaks first after the handshake
}

void session::on_tls_failed(std::string_view reason, actions& out) {
  if (phase_ == phase::closed) return;
  log(out, act::log_level::warn, "TLS handshake failed: " + std::string(reason));
  phase_ = phase::closed;
  out.push_back(act::close{});
}

void session::on_timeout(actions& out) {
  if (phase_ == phase::closed) return;
  log(out, act::log_level::info, "idle timeout");
  if (phase_ == phase::awaiting_tls) {  // nothing can be said in cleartext any more
    phase_ = phase::closed;
    out.push_back(act::close{});
    return;
  }
  // RFC 5321 §4.5.3.2.7, §3.8: 421 before closing.
  close_with(out, "421 4.4.2 " + cfg_.host_name + " Error: timeout exceeded");
}

void session::on_shutdown(actions& out) {
  if (phase_ == phase::closed) return;
  if (phase_ == phase::data || phase_ == phase::bdat) {
    // Finish the message in flight; after_message() then says 421 and closes.
    shutting_down_ = true;
    log(out, act::log_level::info, "shutdown: finishing the message in progress");
    finish(out);
    return;
  }
  if (phase_ == phase::awaiting_tls) {
    phase_ = phase::closed;
    out.push_back(act::close{});
    return;
  }
  close_with(out, replies::shutting_down);  // RFC 5321 §3.8
}

// --- framing ---

void session::process(std::string_view in, actions& out) {
  std::string owner;  // bytes the loop goes on reading after a bug-mode DATA end
  // Every round consumes input or changes phase; bound it anyway.
  const std::size_t max_rounds = 4 * (in.size() + bug_hold_.size()) + 16;
  for (std::size_t round = 0; !in.empty(); ++round) {
    if (round > max_rounds) {
      log(out, act::log_level::error, "session loop bound reached; input dropped");
      break;
    }
    switch (phase_) {
      case phase::command: {
        const parse_result r = parser_.parse(in);
        in.remove_prefix(std::min(r.consumed, in.size()));
        on_command_result(r, in, out);
        break;
      }
      case phase::auth:
        feed_auth(in, out);
        break;
      case phase::auth_discard: {
        const std::size_t lf = in.find('\n');
        if (lf == std::string_view::npos) {
          in = {};
        } else {
          in.remove_prefix(lf + 1);
          phase_ = phase::command;
        }
        break;
      }
      case phase::data:
        feed_data(in, owner, out);
        break;
      case phase::bdat:
        feed_bdat(in, out);
        break;
      case phase::awaiting_tls:
      case phase::closed:
        return;
    }
  }
}

void session::on_command_result(const parse_result& r, std::string_view& in, actions& out) {
  if (r.is_need_more()) return;
  const codec::line_view& line = parser_.line();
  const bool too_long =
      r.error != codec::line_errc::line_too_long &&
      line.text.size() + (line.ending == codec::line_ending::crlf ? 2 : 1) > cfg_.max_line;
  if (r.is_error()) {
    on_command_error(r, in, out);
    return;
  }
  const auto& c = parser_.get();
  // RFC 5321 §4.5.3.1.4; RFC 4954 §4 allows AUTH lines up to 12288 octets.
  if (too_long && c.v != verb::auth) {
    reject(out, replies::line_too_long);
    return;
  }
  dispatch(c, in, out);
}

void session::on_command_error(const parse_result& r, std::string_view& in, actions& out) {
  if (r.error == codec::line_errc::line_too_long) {
    reject(out, replies::line_too_long);  // RFC 5321 §4.5.3.1.4
    return;
  }
  const codec::line_view& line = parser_.line();
  std::string_view text = line.text;
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  const std::optional<verb> v = verb_of_line(text);
  if (v != verb::auth &&
      text.size() + (line.ending == codec::line_ending::crlf ? 2 : 1) > cfg_.max_line) {
    reject(out, replies::line_too_long);
    return;
  }
  // 587 before TLS: the command is refused whatever its arguments (RFC 3207 §4).
  if (v && tls_gate_applies(*v)) {
    reject(out, replies::must_starttls);
    return;
  }
  if (v == verb::starttls && r.error == smtp_errc::unexpected_argument &&
      cfg_.bugs.has(bug::starttls_argument_accepted)) {
    log(out, act::log_level::warn,
        "BUG INJECTION starttls-argument-accepted: STARTTLS with "
        "an argument accepted");
    do_starttls(in, out);
    return;
  }
  reject(out, error_reply(r.error, v));
}

void session::feed_auth(std::string_view& in, actions& out) {
  const parse_result r = auth_reader_.parse(in);
  in.remove_prefix(std::min(r.consumed, in.size()));
  if (r.is_need_more()) return;
  if (r.is_error()) {
    sasl_.reset();
    phase_ = phase::command;
    if (r.error == codec::line_errc::line_too_long) {
      // RFC 4954 §4: 500 5.5.6; skip the rest of the line.
      if (auth_reader_.discarding()) phase_ = phase::auth_discard;
      auth_reader_.reset();
      reject(out, replies::auth_line_too_long);
      return;
    }
    auth_reader_.reset();
    reject(out, replies::auth_bad_line);
    return;
  }
  on_sasl(sasl_->on_client_line(auth_reader_.line().text), out);
}

void session::finish(actions& out) {
  if (phase_ == phase::closed || phase_ == phase::awaiting_tls) return;
  out.push_back(act::read{cfg_.idle_timeout_ms});
}

// --- replies and state ---

void session::reply(actions& out, std::string_view text) {
  std::string bytes;
  bytes.reserve(text.size() + 2);
  bytes.append(text);
  bytes += "\r\n";
  out.push_back(act::send{std::move(bytes)});
}

void session::reject(actions& out, std::string_view text) {
  reply(out, text);
  ++bad_;
  if (cfg_.max_bad_commands != 0 && bad_ >= cfg_.max_bad_commands) {
    log(out, act::log_level::warn,
        "too many errors (" + std::to_string(bad_) + "): closing the connection");
    close_with(out, "421 4.7.0 " + cfg_.host_name + " Error: too many errors");
  }
}

void session::close_with(actions& out, std::string_view text) {
  reply(out, text);
  out.push_back(act::close{});
  phase_ = phase::closed;
  sasl_.reset();
}

void session::log(actions& out, act::log_level level, std::string text) {
  out.push_back(act::log{level, std::move(text)});
}

void session::reset_transaction() {
  mail_from_.reset();
  smtputf8_ = false;
  rcpt_to_.clear();
  bdat_used_ = false;
  bdat_error_.clear();
  bdat_.reset();
}

void session::forget_session_state() {
  helo_.clear();
  ehlo_ = false;
  user_.reset();
  sasl_.reset();
  reset_transaction();
}

bool session::tls_gate_applies(verb v) const {
  if (!cfg_.require_tls_before_mail_and_auth || tls_) return false;
  switch (v) {
    case verb::ehlo:
    case verb::helo:
    case verb::noop:
    case verb::rset:
    case verb::quit:
    case verb::starttls:
      return false;
    case verb::auth:
      return !cfg_.bugs.has(bug::submission_auth_before_tls);
    default:
      return true;
  }
}

bool session::auth_offered() const {
  if (cfg_.kind == listener::smtp && cfg_.bugs.has(bug::smtp_auth_on_25)) return true;
  // RFC 8314 §3.3, RFC 4954 §4: no plaintext authentication over a cleartext channel.
  return cfg_.offer_auth && (tls_ || cfg_.bugs.has(bug::submission_auth_before_tls));
}

bool session::starttls_offered() const {
  if (!tls_) return cfg_.offer_starttls;
  // RFC 3207 §4.2: not again once TLS is up.
  return cfg_.offer_starttls && cfg_.bugs.has(bug::starttls_readvertised);
}

}  // namespace mailtls::server::smtp
