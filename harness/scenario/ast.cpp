#include "scenario/ast.hpp"

#include <type_traits>

namespace mailtls::scenario {

std::string_view to_name(severity_level s) noexcept {
  switch (s) {
    case severity_level::critical:
      return "critical";
    case severity_level::high:
      return "high";
    case severity_level::medium:
      return "medium";
    case severity_level::low:
      return "low";
    case severity_level::info:
      return "info";
  }
  return "info";
}

std::string_view to_name(profile_kind p) noexcept {
  switch (p) {
    case profile_kind::default_profile:
      return "default";
    case profile_kind::rfc:
      return "rfc";
    case profile_kind::strict:
      return "strict";
  }
  return "default";
}

std::string_view to_name(tls_version v) noexcept {
  switch (v) {
    case tls_version::tls1_0:
      return "TLSv1.0";
    case tls_version::tls1_1:
      return "TLSv1.1";
    case tls_version::tls1_2:
      return "TLSv1.2";
    case tls_version::tls1_3:
      return "TLSv1.3";
  }
  return "TLSv1.3";
}

std::string_view to_name(connect_mode m) noexcept {
  return m == connect_mode::plain ? "plain" : "tls";
}

std::optional<connect_mode> connect_mode_from_name(std::string_view s) noexcept {
  if (s == "tls") return connect_mode::tls;
  if (s == "plain") return connect_mode::plain;
  return std::nullopt;
}

std::optional<severity_level> severity_from_name(std::string_view s) noexcept {
  for (auto v : {severity_level::critical, severity_level::high, severity_level::medium,
                 severity_level::low, severity_level::info}) {
    if (s == to_name(v)) return v;
  }
  return std::nullopt;
}

std::optional<profile_kind> profile_from_name(std::string_view s) noexcept {
  for (auto v : {profile_kind::default_profile, profile_kind::rfc, profile_kind::strict}) {
    if (s == to_name(v)) return v;
  }
  return std::nullopt;
}

std::optional<tls_version> tls_version_from_name(std::string_view s) noexcept {
  // Both OpenSSL's spelling (TLSv1.3) and the short one (TLS1.3).
  if (s.starts_with("TLSv")) {
    s.remove_prefix(4);
  } else if (s.starts_with("TLS")) {
    s.remove_prefix(3);
  } else {
    return std::nullopt;
  }
  if (s == "1.0") return tls_version::tls1_0;
  if (s == "1.1") return tls_version::tls1_1;
  if (s == "1.2") return tls_version::tls1_2;
  if (s == "1.3") return tls_version::tls1_3;
  return std::nullopt;
}

}  // namespace mailtls::scenario

namespace mailtls::scenario {

std::string_view to_name(scenario_role r) noexcept {
  return r == scenario_role::server ? "server" : "client";
}

std::optional<scenario_role> role_from_name(std::string_view s) noexcept {
  if (s == "client") return scenario_role::client;
  if (s == "server") return scenario_role::server;
  return std::nullopt;
}

std::string_view to_name(cert_kind k) noexcept {
  switch (k) {
    case cert_kind::good:
      return "good";
    case cert_kind::self_signed:
      return "self-signed";
    case cert_kind::unknown_ca:
      return "unknown-ca";
    case cert_kind::wrong_name:
      return "wrong-name";
    case cert_kind::expired:
      return "expired";
    case cert_kind::wildcard_mismatch:
      return "wildcard-mismatch";
  }
  return "good";
}

std::optional<cert_kind> cert_kind_from_name(std::string_view s) noexcept {
  for (auto k : {cert_kind::good, cert_kind::self_signed, cert_kind::unknown_ca,
                 cert_kind::wrong_name, cert_kind::expired, cert_kind::wildcard_mismatch}) {
    if (s == to_name(k)) return k;
  }
  return std::nullopt;
}

statement_role role_of(const statement_body& b) noexcept {
  return std::visit(
      [](const auto& st) {
        using T = std::decay_t<decltype(st)>;
        if constexpr (std::is_same_v<T, server_send> || std::is_same_v<T, expect_command> ||
                      std::is_same_v<T, serve_tls> || std::is_same_v<T, expect_abort>) {
          return statement_role::server;
        } else if constexpr (std::is_same_v<T, send_raw> || std::is_same_v<T, expect_close> ||
                             std::is_same_v<T, expect_silence> ||
                             std::is_same_v<T, expect_tls_fail> || std::is_same_v<T, set_timeout> ||
                             std::is_same_v<T, set_variable>) {
          return statement_role::both;
        } else {
          return statement_role::client;
        }
      },
      b);
}

}  // namespace mailtls::scenario
