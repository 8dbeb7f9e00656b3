// Command handlers of the SMTP server session: EHLO/HELO, MAIL, RCPT, STARTTLS, AUTH and the
// small ones (RFC 5321 §4.1.1, RFC 3207, RFC 4954).
#include <utility>

#include "codec/sasl/mechanism.hpp"
#include "session/smtp/replies.hpp"
#include "session/smtp/session.hpp"

namespace mailtls::server::smtp {

namespace act = mailtls::session;
using codec::smtp::command;
using codec::smtp::verb;

namespace {

// "local@domain" without brackets; "" for the null path; "Postmaster" as written (RFC 5321
// §4.1.1.3). A source route is dropped (RFC 5321 Appendix C).
std::string address_of(const codec::smtp::path& p) {
  if (p.is_null()) return {};
  if (p.is_postmaster()) return p.local_part;
  std::string a;
  a.reserve(p.local_part.size() + 1 + p.domain.size());
  a += p.local_part;
  a += '@';
  a += p.domain;
  return a;
}

// The first parameter of a MAIL/RCPT command, for a 555 reply.
std::string first_parameter(const codec::smtp::esmtp_params& params) {
  if (params.size) return "SIZE";
  if (params.body != codec::smtp::body_type::none) {
    return "BODY=" + std::string(to_string(params.body));
  }
  if (params.smtputf8) return "SMTPUTF8";
  if (params.requiretls) return "REQUIRETLS";
  if (!params.other.empty()) return params.other.front().keyword;
  return {};
}

}  // namespace

void session::dispatch(const command& c, std::string_view& in, actions& out) {
  // 587 before TLS (RFC 3207 §4). An accepted BDAT reads its chunk first, so it checks on its
  // own.
  if ((c.v != verb::bdat || !cfg_.offer_chunking) && tls_gate_applies(c.v)) {
    reject(out, replies::must_starttls);
    return;
  }
  switch (c.v) {
    case verb::ehlo:
      do_ehlo(c, out);
      return;
    case verb::helo:
      do_helo(c, out);
      return;
    case verb::mail:
      do_mail(c, out);
      return;
    case verb::rcpt:
      do_rcpt(c, out);
      return;
    case verb::data:
      do_data(out);
      return;
    case verb::bdat:
      do_bdat(c, out);
      return;
    case verb::rset:  // RFC 5321 §4.1.1.5
      reset_transaction();
      reply(out, replies::ok);
      return;
    case verb::noop:  // RFC 5321 §4.1.1.9
      reply(out, replies::ok);
      return;
    case verb::quit:  // RFC 5321 §4.1.1.10
      close_with(out, replies::bye);
      return;
    case verb::vrfy:  // RFC 5321 §3.5.3: 252 when the address is not verified
      reply(out, replies::vrfy);
      return;
    case verb::expn:
      reply(out, replies::expn);
      return;
    case verb::help:
      do_help(out);
      return;
    case verb::starttls:
      do_starttls(in, out);
      return;
    case verb::auth:
      do_auth(c, out);
      return;
  }
}

void session::do_ehlo(const command& c, actions& out) {
  // RFC 5321 §4.1.4: EHLO clears the transaction like RSET.
  reset_transaction();
  helo_ = c.domain;
  ehlo_ = true;
  // RFC 5321 §4.1.1.1: "250-" domain, then one ehlo-line per extension.
  std::string r = "250-" + cfg_.host_name + "\r\n";
  r += "250-PIPELINING\r\n";                                          // RFC 2920
  r += "250-SIZE " + std::to_string(cfg_.max_message_size) + "\r\n";  // RFC 1870 §4
  r += "250-8BITMIME\r\n";                                            // RFC 6152
  r += "250-ENHANCEDSTATUSCODES\r\n";                                 // RFC 2034
  if (starttls_offered()) r += "250-STARTTLS\r\n";                    // RFC 3207 §4
  if (auth_offered()) r += "250-AUTH PLAIN LOGIN\r\n";                // RFC 4954 §3
  if (cfg_.offer_chunking) r += "250-CHUNKING\r\n";                   // RFC 3030
  r += "250 SMTPUTF8\r\n";                                            // RFC 6531
  out.push_back(act::send{std::move(r)});
}

void session::do_helo(const command& c, actions& out) {
  reset_transaction();
  helo_ = c.domain;
  ehlo_ = false;  // no service extensions after HELO (RFC 5321 §4.1.1.1)
  reply(out, "250 " + cfg_.host_name);
}

void session::do_mail(const command& c, actions& out) {
  if (helo_.empty()) return reject(out, replies::need_helo);  // RFC 5321 §4.1.4
  if (mail_from_) return reject(out, replies::nested_mail);   // RFC 5321 §4.1.4
  if (cfg_.require_auth_for_mail && !user_) {
    return reject(out, replies::auth_required);  // RFC 4954 §6
  }
  const auto& p = c.params;
  // RFC 5321 §4.1.1.11: parameters of extensions not offered get 555 (after HELO: all of them).
  if (!p.empty() && (!ehlo_ || !p.other.empty() || p.requiretls ||
                     p.body == codec::smtp::body_type::binary_mime)) {
    std::string name = !ehlo_             ? first_parameter(p)
                       : !p.other.empty() ? p.other.front().keyword
                       : p.requiretls     ? std::string("REQUIRETLS")
                                          : std::string("BODY=BINARYMIME");
    return reject(out, "555 5.5.4 Unsupported option: " + name);
  }
  // RFC 1870 §6.1: a declared size over the limit is refused at once.
  if (p.size && *p.size > cfg_.max_message_size) return reply(out, replies::too_big);
  // RFC 6531 §3.5: a non-ASCII address needs the SMTPUTF8 parameter.
  if (c.address.has_utf8 && !p.smtputf8) return reply(out, replies::utf8_sender);
  mail_from_ = address_of(c.address);
  smtputf8_ = p.smtputf8;
  reply(out, replies::mail_ok);
}

void session::do_rcpt(const command& c, actions& out) {
  if (!mail_from_) return reject(out, replies::need_mail);  // RFC 5321 §4.1.4
  if (!c.params.empty()) {
    // No RCPT parameter is offered (no DSN): RFC 5321 §4.1.1.11.
    return reject(out, "555 5.5.4 Unsupported option: " + first_parameter(c.params));
  }
  if (rcpt_to_.size() >= cfg_.max_recipients) {
    return reply(out, replies::too_many_rcpts);  // RFC 5321 §4.5.3.1.10
  }
  if (c.address.has_utf8 && !smtputf8_) return reply(out, replies::utf8_recipient);
  std::string addr = address_of(c.address);
  if (c.address.is_postmaster()) {
    // RFC 5321 §4.5.1: "Postmaster" without a domain is always accepted.
    rcpt_to_.push_back(std::move(addr));
    return reply(out, replies::rcpt_ok);
  }
  if (backend_.is_local_domain(c.address.domain)) {
    if (!user_ && !cfg_.accept_local_delivery) {
      return reply(out, "550 5.7.1 <" + addr + ">: Recipient address rejected: Access denied");
    }
    if (!backend_.has_user(addr)) {
      return reply(out, "550 5.1.1 <" + addr +
                            ">: Recipient address rejected: User unknown in local recipient table");
    }
  } else {
    const bool may_relay = (user_ && cfg_.relay_for_authenticated) ||
                           cfg_.bugs.has(bug::smtp_open_relay);  // BUG: open relay
    if (!may_relay) return reply(out, "554 5.7.1 <" + addr + ">: Relay access denied");
    if (!user_) {
      log(out, act::log_level::warn,
          "BUG INJECTION smtp-open-relay: relaying to <" + addr + "> without authentication");
    }
  }
  rcpt_to_.push_back(std::move(addr));
  reply(out, replies::rcpt_ok);
}

void session::do_starttls(std::string_view& in, actions& out) {
  if (tls_) {
    // RFC 3207 §4.2: no second negotiation.
    if (!cfg_.bugs.has(bug::second_starttls_accepted)) return reject(out, replies::tls_active);
    log(out, act::log_level::warn,
        "BUG INJECTION second-starttls-accepted: STARTTLS accepted inside TLS");
  } else if (!cfg_.offer_starttls) {
    return reject(out, replies::not_implemented);
  }
  reply(out, replies::tls_ready);
  if (!in.empty()) {
    if (cfg_.bugs.has(bug::smtp_starttls_injection)) {
      injected_.assign(in.data(), in.size());
      log(out, act::log_level::warn,
          "BUG INJECTION smtp-starttls-injection: kept " + std::to_string(in.size()) +
              " bytes pipelined after STARTTLS");
    } else {
      // RFC 3207 §4.2: nothing received before the handshake may be acted on after it.
      log(out, act::log_level::warn,
          "discarded " + std::to_string(in.size()) + " bytes pipelined after STARTTLS");
    }
    in = {};
  }
  out.push_back(act::start_tls{});
  phase_ = phase::awaiting_tls;
}

void session::do_auth(const command& c, actions& out) {
  // RFC 4954 §4.
  if (!auth_offered()) return reject(out, replies::auth_not_enabled);
  if (!ehlo_) return reject(out, replies::auth_need_ehlo);
  if (user_) return reject(out, replies::auth_twice);
  if (mail_from_) return reject(out, replies::auth_in_transaction);
  const auto mech = codec::sasl::parse_mechanism(c.mechanism);
  if (!mech) return reject(out, replies::auth_unknown_mech);
  std::optional<std::string_view> initial;
  if (c.initial_response) {
    // The parser gives "" for "="; the SASL session takes "=" for an empty initial response.
    initial =
        c.initial_response->empty() ? std::string_view("=") : std::string_view(*c.initial_response);
  }
  sasl_.emplace(*mech, initial);
  sasl_mech_ = codec::sasl::to_string(*mech);
  on_sasl(sasl_->start(), out);
}

void session::on_sasl(const codec::sasl::server_action& a, actions& out) {
  using codec::sasl::sasl_errc;
  if (const auto* ch = std::get_if<codec::sasl::send_challenge>(&a)) {
    reply(out, "334 " + ch->base64);  // RFC 4954 §4
    phase_ = phase::auth;
    auth_reader_.reset();
    return;
  }
  phase_ = phase::command;
  sasl_.reset();
  if (const auto* au = std::get_if<codec::sasl::authenticate>(&a)) {
    const auto user = backend_.authenticate(au->authcid, au->passwd);
    // No proxy authorization: an authzid must name the same account (RFC 4616 §2).
    if (user && (au->authzid.empty() || au->authzid == au->authcid || au->authzid == *user)) {
      user_ = *user;
      log(out, act::log_level::info, "AUTH " + sasl_mech_ + " succeeded for " + *user);
      reply(out, replies::auth_ok);
      return;
    }
    log(out, act::log_level::info, "AUTH " + sasl_mech_ + " failed for " + au->authcid);
    out.push_back(act::pause{cfg_.failed_auth_delay_ms});
    reply(out, replies::auth_failed);  // RFC 4954 §6
    return;
  }
  const auto& f = std::get<codec::sasl::fail>(a);
  log(out, act::log_level::info,
      "AUTH " + sasl_mech_ + " aborted: " + codec::sasl::error_name(f.error));
  if (f.error == sasl_errc::cancelled) return reply(out, replies::auth_cancelled);
  if (f.error == sasl_errc::bad_base64) return reject(out, replies::auth_bad_base64);
  if (f.error == sasl_errc::line_too_long) return reject(out, replies::auth_line_too_long);
  if (f.error == sasl_errc::unsupported_mechanism) return reject(out, replies::auth_unknown_mech);
  // malformed_message and anything else: the credentials are not usable.
  out.push_back(act::pause{cfg_.failed_auth_delay_ms});
  reply(out, replies::auth_failed);
}

void session::do_help(actions& out) {
  // RFC 5321 §4.1.1.8.
  std::string r = "214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA";
  if (cfg_.offer_chunking) r += " BDAT";
  r += " RSET NOOP QUIT VRFY HELP";
  if (starttls_offered()) r += " STARTTLS";
  if (auth_offered()) r += " AUTH";
  reply(out, r);
}

}  // namespace mailtls::server::smtp
