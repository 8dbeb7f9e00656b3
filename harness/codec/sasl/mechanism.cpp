#include "codec/sasl/mechanism.hpp"

namespace mailtls::codec::sasl {
namespace {

bool iequals_upper(std::string_view a, std::string_view upper) {
  if (a.size() != upper.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<mechanism> parse_mechanism(std::string_view name) noexcept {
  if (iequals_upper(name, "PLAIN")) return mechanism::plain;
  if (iequals_upper(name, "LOGIN")) return mechanism::login;
  return std::nullopt;
}

const char* to_string(mechanism m) noexcept {
  switch (m) {
    case mechanism::plain:
      return "PLAIN";
    case mechanism::login:
      return "LOGIN";
  }
  return "?";
}

}  // namespace mailtls::codec::sasl
