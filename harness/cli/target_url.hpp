// Target URLs of `mailtls check`: SERVICE://HOST[:PORT][/] with SERVICE one of smtp submission
// submissions pop3 pop3s imap imaps; HOST a name, an IPv4 address or an IPv6 address in brackets;
// PORT 1-65535 (default: the service's standard port, RFC 8314 §7.3 table).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runner/service.hpp"

namespace mailtls::cli {

struct target_url {
  runner::service svc = runner::service::smtp;
  std::string host;  // without brackets
  std::uint16_t port = 0;
  // Canonical text, `submission://mail.example.org:587` (`[::1]` bracketed).
  std::string text() const;
};

// Nothing on error, with `error` saying what was expected and what arrived.
std::optional<target_url> parse_target_url(std::string_view url, std::string& error);

}  // namespace mailtls::cli
