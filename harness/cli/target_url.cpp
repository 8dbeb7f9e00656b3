#include "cli/target_url.hpp"

#include <charconv>

namespace mailtls::cli {

std::string target_url::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(runner::info(svc).name) + "://" + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

std::optional<target_url> parse_target_url(std::string_view url, std::string& error) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) {
    error = "expected SERVICE://HOST[:PORT], got '" + std::string(url) + "'";
    return std::nullopt;
  }
  const auto scheme = url.substr(0, sep);
  const auto svc = runner::service_from_name(scheme);
  if (!svc) {
    error = "unknown service '" + std::string(scheme) +
            "' (expected smtp, submission, submissions, pop3, pop3s, imap or imaps)";
    return std::nullopt;
  }
  std::string_view rest = url.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    error = "expected only HOST[:PORT] after " + std::string(scheme) + "://, got '" +
            std::string(rest) + "'";
    return std::nullopt;
  }
  target_url t;
  t.svc = *svc;
  t.port = runner::info(*svc).standard_port;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      error = "expected ']' closing the IPv6 address in '" + std::string(url) + "'";
      return std::nullopt;
    }
    t.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        error = "expected ':PORT' after the IPv6 address in '" + std::string(url) + "'";
        return std::nullopt;
      }
      port_text = rest.substr(1);
    }
  } else {
    const auto colon = rest.find(':');
    if (colon != std::string_view::npos && rest.find(':', colon + 1) != std::string_view::npos) {
      error = "an IPv6 address must be in brackets: " + std::string(scheme) + "://[" +
              std::string(rest) + "]";
      return std::nullopt;
    }
    t.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
    if (colon != std::string_view::npos && port_text.empty()) {
      error = "expected a port after ':' in '" + std::string(url) + "'";
      return std::nullopt;
    }
  }
  if (t.host.empty()) {
    error = "expected a host in '" + std::string(url) + "'";
    return std::nullopt;
  }
  for (const char c : t.host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '_';
    if (!ok) {
      error = "invalid character in host '" + t.host + "'";
      return std::nullopt;
    }
  }
  if (!port_text.empty()) {
    unsigned p = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || p == 0 || p > 65535) {
      error = "expected a port 1-65535, got '" + std::string(port_text) + "'";
      return std::nullopt;
    }
    t.port = static_cast<std::uint16_t>(p);
  }
  return t;
}

}  // namespace mailtls::cli
