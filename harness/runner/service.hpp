// The seven mail services mailtls checks (RFC 8314 §3, RFC 6409, RFC 5321, RFC 1939, RFC 9051):
// their names as written in scenario files and URLs, protocol, TLS mode and standard port.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mailtls::runner {

enum class protocol : std::uint8_t { smtp, pop3, imap };
enum class service : std::uint8_t { smtp, submission, submissions, pop3, pop3s, imap, imaps };

struct service_info {
  service id;
  std::string_view name;  // "submissions": scenario `services:` and URL scheme spelling
  protocol proto;
  bool implicit_tls;            // RFC 8314 §3: TLS from the first byte (465, 993, 995)
  std::uint16_t standard_port;  // 25, 587, 465, 110, 995, 143, 993
};

// In the order above (the report's order).
std::span<const service_info> all_services() noexcept;
const service_info& info(service s) noexcept;
std::optional<service> service_from_name(std::string_view name) noexcept;
std::string_view to_name(protocol p) noexcept;  // "smtp", "pop3", "imap"

}  // namespace mailtls::runner
