#include "runner/service.hpp"

#include <array>

namespace mailtls::runner {
namespace {

constexpr std::array<service_info, 7> services{{
    {service::smtp, "smtp", protocol::smtp, false, 25},
    {service::submission, "submission", protocol::smtp, false, 587},
    {service::submissions, "submissions", protocol::smtp, true, 465},
    {service::pop3, "pop3", protocol::pop3, false, 110},
    {service::pop3s, "pop3s", protocol::pop3, true, 995},
    {service::imap, "imap", protocol::imap, false, 143},
    {service::imaps, "imaps", protocol::imap, true, 993},
}};

}  // namespace

std::span<const service_info> all_services() noexcept {
  return services;
}

const service_info& info(service s) noexcept {
  return services[static_cast<std::size_t>(s)];
}

std::optional<service> service_from_name(std::string_view name) noexcept {
  for (const auto& s : services) {
    if (s.name == name) return s.id;
  }
  return std::nullopt;
}

std::string_view to_name(protocol p) noexcept {
  switch (p) {
    case protocol::smtp:
      return "smtp";
    case protocol::pop3:
      return "pop3";
    case protocol::imap:
      return "imap";
  }
  return "?";
}

}  // namespace mailtls::runner
