#include "mitm/attack.hpp"

#include <array>

namespace mailtls::mitm {
namespace {

constexpr std::array<attack, 6> attacks = {
    attack::none,   attack::strip_starttls, attack::reject_starttls, attack::inject_response,
    attack::tamper, attack::downgrade};

}  // namespace

std::span<const attack> all_attacks() noexcept {
  return attacks;
}

std::string_view to_name(attack a) noexcept {
  switch (a) {
    case attack::none:
      return "none";
    case attack::strip_starttls:
      return "strip-starttls";
    case attack::reject_starttls:
      return "reject-starttls";
    case attack::inject_response:
      return "inject-response";
    case attack::tamper:
      return "tamper";
    case attack::downgrade:
      return "downgrade";
  }
  return "none";
}

std::optional<attack> attack_from_name(std::string_view name) noexcept {
  for (const attack a : attacks) {
    if (to_name(a) == name) return a;
  }
  return std::nullopt;
}

bool applies_to_implicit_tls(attack a) noexcept {
  return a == attack::none || a == attack::downgrade;
}

bool needs_cleartext(attack a) noexcept {
  return !applies_to_implicit_tls(a);
}

}  // namespace mailtls::mitm
