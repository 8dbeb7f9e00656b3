#include "scenario/ast.hpp"

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
