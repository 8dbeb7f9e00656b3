#include "session/smtp/config.hpp"

#include <utility>

namespace mailtls::server::smtp {

std::string_view to_string(listener l) noexcept {
  switch (l) {
    case listener::smtp:
      return "smtp";
    case listener::submission:
      return "submission";
    case listener::submissions:
      return "submissions";
  }
  return "?";
}

config config::for_listener(listener kind, std::string host_name) {
  config c;
  c.kind = kind;
  c.host_name = std::move(host_name);
  switch (kind) {
    case listener::smtp:
      // MX: STARTTLS offered, no AUTH, local delivery only (relay refused: 554 5.7.1).
      break;
    case listener::submission:
      // RFC 6409 + RFC 3207 §4 + RFC 8314 §3.3 (cleartext submission must not authenticate).
      c.require_tls_before_mail_and_auth = true;
      c.offer_auth = true;
      c.require_auth_for_mail = true;
      c.relay_for_authenticated = true;
      break;
    case listener::submissions:
      // RFC 8314 §3.3: TLS from the first byte; STARTTLS is meaningless there.
      c.offer_starttls = false;
      c.require_tls_before_mail_and_auth = true;
      c.offer_auth = true;
      c.require_auth_for_mail = true;
      c.relay_for_authenticated = true;
      break;
  }
  return c;
}

}  // namespace mailtls::server::smtp
