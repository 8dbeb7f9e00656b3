#include "mitm/findings.hpp"

#include "runner/text.hpp"

namespace mailtls::mitm {
namespace {

constexpr std::size_t max_detail = 200;

}  // namespace

std::string_view to_name(finding_kind k) noexcept {
  switch (k) {
    case finding_kind::attack_applied:
      return "attack-applied";
    case finding_kind::starttls_offered:
      return "starttls-offered";
    case finding_kind::starttls_sent:
      return "starttls-sent";
    case finding_kind::tls_started:
      return "tls-started";
    case finding_kind::cleartext_credentials:
      return "cleartext-credentials";
    case finding_kind::cleartext_mail:
      return "cleartext-mail";
    case finding_kind::client_closed:
      return "client-closed";
    case finding_kind::client_quit:
      return "client-quit";
    case finding_kind::server_closed:
      return "server-closed";
    case finding_kind::timeout:
      return "timeout";
    case finding_kind::protocol_error:
      return "protocol-error";
    case finding_kind::limit:
      return "limit";
    case finding_kind::truncated:
      return "truncated";
  }
  return "unknown";
}

std::string to_string(const finding& f) {
  std::string out = "+" + std::to_string(f.at_ms) + "ms ";
  out += to_name(f.kind);
  if (!f.detail.empty()) {
    out += ' ';
    out += f.detail;
  }
  return out;
}

std::string_view to_name(verdict v) noexcept {
  switch (v) {
    case verdict::pass:
      return "pass";
    case verdict::fail:
      return "fail";
    case verdict::error:
      return "error";
  }
  return "error";
}

void findings::add(std::uint64_t at_ms, finding_kind kind, std::string_view detail) {
  std::string text = runner::escape(detail.substr(0, max_detail));
  if (detail.size() > max_detail) text += "...";
  switch (kind) {
    case finding_kind::attack_applied:
      if (!attack_applied_) attack_detail_ = text;
      attack_applied_ = true;
      break;
    case finding_kind::starttls_offered:
      if (starttls_offered_) return;  // once is enough
      starttls_offered_ = true;
      break;
    case finding_kind::tls_started:
      tls_started_ = true;
      break;
    case finding_kind::cleartext_credentials:
    case finding_kind::cleartext_mail:
      exposed_ = true;
      if (exposure_.empty() && (attack_applied_ || starttls_offered_)) {
        exposure_ = text;
        exposure_ +=
            attack_applied_ ? " after " + attack_detail_ : " although STARTTLS was offered";
      }
      break;
    case finding_kind::client_closed:
      client_closed_ = true;
      break;
    case finding_kind::client_quit:
      client_quit_ = true;
      break;
    case finding_kind::timeout:
      timed_out_ = true;
      break;
    default:
      break;
  }
  if (list_.size() + 1 < max_) {
    list_.push_back({at_ms, kind, std::move(text)});
    return;
  }
  if (list_.size() + 1 == max_) list_.push_back({at_ms, finding_kind::truncated, {}});
  ++dropped_;
  list_.back().detail = std::to_string(dropped_) + " more not listed";
}

verdict_result judge(const findings& f) {
  if (!f.exposure().empty()) return {verdict::fail, "sent in cleartext: " + f.exposure()};
  if (f.tls_started()) return {verdict::pass, "the client went on in TLS"};
  if (f.attack_applied() && f.client_closed())
    return {verdict::pass, "the client closed the connection after the attack"};
  // A QUIT or LOGOUT ends the session from the client's side even when the server's close
  // arrives first (msmtp, swaks: QUIT, 221, close).
  if (f.attack_applied() && f.client_quit())
    return {verdict::pass, "the client ended the session (QUIT/LOGOUT) after the attack"};
  if (f.attack_applied() && f.timed_out())
    return {verdict::pass, "the client sent nothing more after the attack"};
  if (f.client_commands() == 0) return {verdict::error, "the client sent no command"};
  if ((f.client_closed() || f.client_quit()) && !f.exposed())
    return {verdict::pass, "the client closed without sending credentials or mail"};
  if (f.exposed())
    return {verdict::error,
            "credentials or mail in cleartext, but no STARTTLS was offered and nothing was "
            "changed: inconclusive"};
  return {verdict::error,
          "no decision: the connection ended before the client did anything "
          "that tells"};
}

}  // namespace mailtls::mitm
