#include "tls/cert_kit.hpp"

#include <chrono>
#include <utility>

namespace mailtls::tls {
namespace {

bool is_ip_literal(std::string_view h) {
  if (h.find(':') != std::string_view::npos) return true;
  for (char c : h) {
    if (!((c >= '0' && c <= '9') || c == '.')) return false;
  }
  return !h.empty();
}

// The names a correct certificate for `host` carries.
leaf_options right_names(const std::string& host, key_type key) {
  leaf_options o;
  o.key = key;
  o.ip_addresses = {"127.0.0.1", "::1"};
  o.dns_names = {"localhost"};
  if (is_ip_literal(host)) {
    if (host != "127.0.0.1" && host != "::1") o.ip_addresses.push_back(host);
  } else if (host != "localhost") {
    o.dns_names.insert(o.dns_names.begin(), host);
  }
  return o;
}

}  // namespace

std::string_view to_name(presented_cert k) noexcept {
  switch (k) {
    case presented_cert::good:
      return "good";
    case presented_cert::self_signed:
      return "self-signed";
    case presented_cert::unknown_ca:
      return "unknown-ca";
    case presented_cert::wrong_name:
      return "wrong-name";
    case presented_cert::expired:
      return "expired";
    case presented_cert::wildcard_mismatch:
      return "wildcard-mismatch";
  }
  return "good";
}

std::string wildcard_mismatch_name(std::string_view host_name) {
  std::size_t dots = 0;
  for (char c : host_name)
    dots += c == '.' ? 1 : 0;
  if (dots >= 3 && !is_ip_literal(host_name)) {
    const auto first = host_name.find('.');
    const auto second = host_name.find('.', first + 1);
    return "*." + std::string(host_name.substr(second + 1));
  }
  // A wildcard never covers the bare name below it (RFC 6125 §6.4.3).
  return is_ip_literal(host_name) ? "*.example.org" : "*." + std::string(host_name);
}

result<cert_kit> cert_kit::make(std::string host_name, key_type key) {
  ca_options o;
  o.common_name = "mailtls client-check run CA";
  o.key = key;
  o.not_after = std::chrono::hours(24 * 2);
  auto ca = generate_private_ca(o);
  if (!ca) return result<cert_kit>::fail(errc::certificate_build_failed, ca.detail);
  return result<cert_kit>::ok(cert_kit(std::move(host_name), key, std::move(*ca)));
}

result<credentials> cert_kit::leaf(presented_cert kind) {
  auto& slot = leaves_[static_cast<std::size_t>(kind)];
  if (slot) return result<credentials>::ok(*slot);
  leaf_options names = right_names(host_, key_);
  result<credentials> made;
  switch (kind) {
    case presented_cert::good:
      made = issue_leaf(ca_, names);
      break;
    case presented_cert::self_signed:
      made = generate_self_signed_leaf(names);
      break;
    case presented_cert::unknown_ca: {
      ca_options other;
      other.common_name = "mailtls unknown CA";
      other.key = key_;
      auto ca = generate_private_ca(other);
      if (!ca) return ca;
      made = issue_leaf(*ca, names);
      break;
    }
    case presented_cert::wrong_name: {
      leaf_options o;
      o.key = key_;
      o.dns_names = {"wrong-name.invalid"};
      o.ip_addresses = {};
      made = issue_leaf(ca_, o);
      break;
    }
    case presented_cert::expired:
      names.not_before = -std::chrono::hours(24 * 30);
      names.not_after = -std::chrono::hours(24);
      made = issue_leaf(ca_, names);
      break;
    case presented_cert::wildcard_mismatch: {
      leaf_options o;
      o.key = key_;
      o.dns_names = {wildcard_mismatch_name(host_)};
      o.ip_addresses = {};
      made = issue_leaf(ca_, o);
      break;
    }
  }
  if (made) slot = *made;
  return made;
}

result<context> cert_kit::server_context(presented_cert kind, tls_version min, tls_version max) {
  auto creds = leaf(kind);
  if (!creds) return result<context>::fail(errc::certificate_build_failed, creds.detail);
  server_config c;
  c.certificate_chain_pem = creds->certificate_pem;
  c.private_key_pem = creds->private_key_pem;
  if (min < tls_version::tls1_2) c = weakened_server_config(std::move(c));
  c.min_version = min;
  c.max_version = max;
  return context::make_server(c);
}

}  // namespace mailtls::tls
