// Capabilities, STARTTLS, LOGIN, AUTHENTICATE, ENABLE, ID and LOGOUT (RFC 9051 §6.1, §6.2).
#include <algorithm>

#include "codec/sasl/errc.hpp"
#include "session/imap/imap_session.hpp"

namespace mailtls::server::imap {

namespace {

// A user name for logs: printable ASCII only, bounded.
std::string printable(std::string_view s, std::size_t max = 64) {
  std::string out;
  for (unsigned char c : s.substr(0, std::min(s.size(), max)))
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  if (s.size() > max) out += "...";
  return out;
}

}  // namespace

std::string imap_session::capabilities() const {
  const bool starttls_listener = config_.listener == listener_kind::imap;
  std::string caps = "IMAP4rev1 IMAP4rev2";
  if (state_ == state::not_authenticated) {
    caps += " SASL-IR LITERAL+ ID ENABLE IDLE";
    if (!secure_) {
      // RFC 2595 §3.2, RFC 9051 §6.2.1/§7.2.2: STARTTLS, and LOGINDISABLED while LOGIN is refused.
      caps += " STARTTLS";
      if (!config_.require_tls_for_login)
        caps += " AUTH=PLAIN";
      else if (!config_.bugs.has(bug::imap_no_logindisabled))
        caps += " LOGINDISABLED";
    } else {
      // RFC 2595 §3.1: STARTTLS is not advertised once TLS is up.
      if (starttls_listener && config_.bugs.has(bug::starttls_readvertised)) caps += " STARTTLS";
      caps += " AUTH=PLAIN";
    }
  } else {
    caps += " LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE";
    if (secure_ && starttls_listener && config_.bugs.has(bug::starttls_readvertised))
      caps += " STARTTLS";
  }
  return caps;
}

std::string imap_session::greeting() const {
  std::string text = "mailtls ready";
  if (!config_.bugs.empty()) text += " (bugs injected: see log)";
  // RFC 9051 §7.1.1 / §7.1.4: the greeting is OK (not authenticated) or PREAUTH.
  const char* status = state_ == state::authenticated ? "PREAUTH" : "OK";
  return std::string("* ") + status + " [CAPABILITY " + capabilities() + "] " + text + "\r\n";
}

bool imap_session::login_allowed() const {
  // RFC 9051 §6.2.3, RFC 8314 §5.1: no plaintext passwords over a cleartext connection.
  return secure_ || !config_.require_tls_for_login || config_.bugs.has(bug::imap_login_before_tls);
}

void imap_session::cmd_capability(const cimap::command& c, act::actions& out) {
  send(out, "* CAPABILITY " + capabilities() + "\r\n");
  tagged(out, c.tag, "OK CAPABILITY completed");
}

void imap_session::cmd_starttls(const cimap::command& c, bool had_argument, act::actions& out) {
  // RFC 9051 §6.2.1: STARTTLS takes no arguments.
  if (had_argument && !config_.bugs.has(bug::starttls_argument_accepted))
    return bad(out, c.tag, "STARTTLS takes no arguments");
  if (secure_ && !config_.bugs.has(bug::second_starttls_accepted))
    return bad(out, c.tag, "TLS already active");
  if (state_ != state::not_authenticated)
    return bad(out, c.tag, "STARTTLS is only valid before authentication");
  if (!secure_ && config_.listener != listener_kind::imap)
    return bad(out, c.tag, "STARTTLS is not available on this port");
  tagged(out, c.tag, "OK Begin TLS negotiation now");
  out.push_back(act::start_tls{});
  awaiting_tls_ = true;
}

void imap_session::cmd_login(const cimap::command& c, act::actions& out) {
  if (state_ != state::not_authenticated) return bad(out, c.tag, "Already authenticated");
  if (!login_allowed()) {
    log(out, act::log_level::info, "LOGIN refused before TLS");
    // RFC 5530 §3 PRIVACYREQUIRED; the wording is Dovecot's.
    return tagged(out, c.tag,
                  "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure "
                  "(SSL/TLS) connections.");
  }
  finish_login(c.tag, c.args[0].text, c.args[1].text, out);
}

void imap_session::finish_login(std::string_view tag, std::string_view user,
                                std::string_view password, act::actions& out) {
  const auto account = backend_.authenticate(user, password);
  if (!account) {
    log(out, act::log_level::info, "authentication failed for user " + printable(user));
    out.push_back(act::pause{config_.limits.failed_auth_delay_ms});
    return tagged(out, tag, "NO [AUTHENTICATIONFAILED] Authentication failed.");  // RFC 5530 §3
  }
  user_ = *account;
  state_ = state::authenticated;
  logged_in_ = true;
  log(out, act::log_level::info, "logged in as " + printable(user_));
  // RFC 9051 §6.2.3: the capabilities change after login; send them in the OK.
  tagged(out, tag, "OK [CAPABILITY " + capabilities() + "] Logged in");
}

void imap_session::cmd_authenticate(const cimap::command& c, act::actions& out) {
  if (state_ != state::not_authenticated) return bad(out, c.tag, "Already authenticated");
  if (!login_allowed()) {
    log(out, act::log_level::info, "AUTHENTICATE refused before TLS");
    return tagged(out, c.tag,
                  "NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure "
                  "(SSL/TLS) connections.");
  }
  // RFC 9051 §6.2.2: an unsupported mechanism gets NO. Only PLAIN is offered.
  if (!c.args[0].atom_is("PLAIN"))
    return tagged(out, c.tag, "NO Unsupported authentication mechanism");
  std::optional<std::string_view> initial;
  if (c.args.size() == 2) initial = c.args[1].text;  // RFC 4959 §3: "=" is an empty response
  sub_tag_ = c.tag;
  sasl_ = std::make_unique<codec::sasl::server_session>(codec::sasl::mechanism::plain, initial);
  on_sasl_action(sasl_->start(), out);
}

void imap_session::on_sasl_line(const cimap::client_continuation& k, act::actions& out) {
  if (!sasl_) return;
  // RFC 9051 §6.2.2: "*" cancels; the server answers BAD.
  const std::string_view line =
      k.kind == cimap::continuation_kind::sasl_cancel ? std::string_view("*") : k.data;
  on_sasl_action(sasl_->on_client_line(line), out);
}

void imap_session::on_sasl_action(const codec::sasl::server_action& a, act::actions& out) {
  namespace sasl = codec::sasl;
  if (const auto* ch = std::get_if<sasl::send_challenge>(&a)) {
    send(out, "+ " + ch->base64 + "\r\n");
    sub_mode_ = sub_mode::authenticate;
    parser_.set_mode(cimap::client_mode::authenticate_response);
    return;
  }
  const std::string tag = sub_tag_;
  sub_mode_ = sub_mode::none;
  parser_.set_mode(cimap::client_mode::command);
  if (const auto* au = std::get_if<sasl::authenticate>(&a)) {
    const sasl::authenticate creds = *au;
    sasl_.reset();
    // RFC 4616 §2: an authorization identity other than the user's own is not supported.
    if (!creds.authzid.empty() && creds.authzid != creds.authcid) {
      log(out, act::log_level::info,
          "authorization identity refused for " + printable(creds.authcid));
      out.push_back(act::pause{config_.limits.failed_auth_delay_ms});
      return tagged(out, tag, "NO [AUTHORIZATIONFAILED] Authorization failed.");
    }
    return finish_login(tag, creds.authcid, creds.passwd, out);
  }
  const auto& f = std::get<sasl::fail>(a);
  sasl_.reset();
  if (f.error == sasl::sasl_errc::cancelled) return bad(out, tag, "Authentication cancelled");
  if (f.error == sasl::sasl_errc::malformed_message) {
    log(out, act::log_level::info, "malformed SASL PLAIN message");
    out.push_back(act::pause{config_.limits.failed_auth_delay_ms});
    return tagged(out, tag, "NO [AUTHENTICATIONFAILED] Authentication failed.");
  }
  bad(out, tag, "Invalid AUTHENTICATE response");
}

void imap_session::cmd_enable(const cimap::command& c, act::actions& out) {
  // RFC 9051 §6.3.1 / RFC 5161: only IMAP4rev2 can be enabled here; others are ignored.
  std::string enabled = "* ENABLED";
  for (const auto& v : c.args) {
    if (v.atom_is("IMAP4rev2") && !rev2_) {
      rev2_ = true;
      enabled += " IMAP4rev2";
    }
  }
  send(out, enabled + "\r\n");
  tagged(out, c.tag, "OK ENABLE completed");
}

void imap_session::cmd_id(const cimap::command& c, act::actions& out) {
  send(out, "* ID (\"name\" \"mailtls\")\r\n");  // RFC 2971 §3.1
  tagged(out, c.tag, "OK ID completed");
}

void imap_session::cmd_logout(const cimap::command& c, act::actions& out) {
  // RFC 9051 §6.1.3: BYE, then the tagged OK, then close.
  send(out, "* BYE " + config_.host_name + " logging out\r\n");
  tagged(out, c.tag, "OK LOGOUT completed");
  out.push_back(act::close{});
  closed_ = true;
  state_ = state::logout;
}

}  // namespace mailtls::server::imap
