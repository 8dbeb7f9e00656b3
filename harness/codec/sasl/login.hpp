// SASL LOGIN (draft-murchison-sasl-login-00; obsolete, kept for legacy clients).
//
// A server-first exchange of two challenge/response pairs: the server prompts for the user name,
// the client answers, the server prompts for the password, the client answers. The draft says the
// prompts SHOULD be "User Name" and "Password" and clients ignore their content; what servers
// actually send (Microsoft, Postfix/Cyrus, Exim, ...) and what this codec's server sends is
// "Username:" and "Password:", base64 "VXNlcm5hbWU6" and "UGFzc3dvcmQ6" ([MS-XLOGIN] §2.2.2).
// Legacy SMTP clients send the user name as an initial response ("AUTH LOGIN dXNlcg=="), which
// skips the first prompt; server_session supports it.
//
// Answers are UTF-8 strings. LOGIN has no grammar of its own; this codec applies the PLAIN field
// rules (RFC 4616 §2) so both mechanisms accept the same credentials: non-empty, UTF-8, no NUL, at
// most plain_limits::max_field octets.
#pragma once

#include <cstddef>
#include <string_view>
#include <system_error>

#include "codec/sasl/errc.hpp"
#include "codec/sasl/plain.hpp"

namespace mailtls::codec::sasl::login {

inline constexpr std::string_view username_prompt = "Username:";
inline constexpr std::string_view password_prompt = "Password:";
inline constexpr std::string_view username_prompt_base64 = "VXNlcm5hbWU6";
inline constexpr std::string_view password_prompt_base64 = "UGFzc3dvcmQ6";

enum class field { username, password };

struct field_result {
  std::error_code error{};
  std::size_t offset = 0;  // offset of the offending byte in the decoded answer

  bool ok() const { return !error; }
  explicit operator bool() const { return ok(); }
};

// Checks a decoded answer. Errors, at the lowest offset: embedded_nul @ the NUL, invalid_utf8 @ the
// start of the ill-formed sequence, field_too_long @ max_field, and for an empty answer
// empty_authcid (username) or empty_password (password) @ 0.
field_result check_field(std::string_view decoded, field which, const plain_limits& limits = {});

// How a client reads the server's (decoded) prompts.
enum class prompt_policy : unsigned char {
  strict,   // exactly "Username:" / "Password:"
  relaxed,  // case-insensitive, optional trailing ':', "User Name" accepted (the draft's wording)
  ignore,   // any text: answer user name, then password (the draft: "contents ... are ignored")
};

enum class prompt { username, password, unknown };

prompt classify_prompt(std::string_view decoded, prompt_policy policy);

}  // namespace mailtls::codec::sasl::login
