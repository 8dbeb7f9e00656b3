// Error codes of the MITM proxy core (harness/mitm), with their std::error_category.
#pragma once

#include <system_error>

#include "codec/error_category.hpp"

namespace mailtls::mitm {

enum class mitm_errc {
  unknown_attack = 1,     // --attack NAME not in attack.hpp
  attack_needs_starttls,  // RFC 8314 §5.2: implicit-TLS upstream, attack rewrites cleartext
  buffer_limit,           // a direction held more than proxy_limits::max_buffer
};

std::error_code make_error_code(mitm_errc e) noexcept;

}  // namespace mailtls::mitm

template <>
struct mailtls::codec::errc_traits<mailtls::mitm::mitm_errc> {
  static constexpr const char* name = "mailtls.mitm";
  static const char* message(mailtls::mitm::mitm_errc e) noexcept;
};

template <>
struct std::is_error_code_enum<mailtls::mitm::mitm_errc> : std::true_type {};
