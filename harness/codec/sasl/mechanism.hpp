// The SASL mechanisms this codec implements.
#pragma once

#include <optional>
#include <string_view>

namespace mailtls::codec::sasl {

enum class mechanism : unsigned char {
  plain,  // RFC 4616
  login,  // draft-murchison-sasl-login-00
};

// "PLAIN" / "LOGIN", ASCII case-insensitively (RFC 4422 §3.1 registers names in upper case; SMTP,
// IMAP and POP3 compare protocol keywords without regard to case). nullopt for anything else.
std::optional<mechanism> parse_mechanism(std::string_view name) noexcept;

// "PLAIN" / "LOGIN".
const char* to_string(mechanism m) noexcept;

}  // namespace mailtls::codec::sasl
