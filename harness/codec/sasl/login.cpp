#include "codec/sasl/login.hpp"

#include "codec/sasl/utf8.hpp"

namespace mailtls::codec::sasl::login {
namespace {

field_result failure(sasl_errc e, std::size_t at) {
  return {make_error_code(e), at};
}

bool iequals(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

field_result check_field(std::string_view decoded, field which, const plain_limits& limits) {
  if (decoded.empty()) {
    return failure(which == field::username ? sasl_errc::empty_authcid : sasl_errc::empty_password,
                   0);
  }
  const std::size_t nul = decoded.find('\0');
  const std::size_t bad = find_invalid_utf8(decoded);
  // Lowest offset first; a NUL is valid UTF-8, so the two never coincide.
  if (nul != std::string_view::npos && nul < limits.max_field && nul < bad) {
    return failure(sasl_errc::embedded_nul, nul);
  }
  if (bad < decoded.size() && bad < limits.max_field) return failure(sasl_errc::invalid_utf8, bad);
  if (decoded.size() > limits.max_field) {
    return failure(sasl_errc::field_too_long, limits.max_field);
  }
  return {};
}

prompt classify_prompt(std::string_view decoded, prompt_policy policy) {
  switch (policy) {
    case prompt_policy::strict:
      if (decoded == username_prompt) return prompt::username;
      if (decoded == password_prompt) return prompt::password;
      return prompt::unknown;
    case prompt_policy::relaxed:
      if (!decoded.empty() && decoded.back() == ':') decoded.remove_suffix(1);
      if (iequals(decoded, "username") || iequals(decoded, "user name")) return prompt::username;
      if (iequals(decoded, "password")) return prompt::password;
      return prompt::unknown;
    case prompt_policy::ignore:
      return prompt::unknown;
  }
  return prompt::unknown;
}

}  // namespace mailtls::codec::sasl::login
