// SASL PLAIN message (RFC 4616 §2):
//
//   message   = [authzid] UTF8NUL authcid UTF8NUL passwd
//   authcid   = 1*SAFE ; MUST accept up to 255 octets
//   authzid   = 1*SAFE ; MUST accept up to 255 octets
//   passwd    = 1*SAFE ; MUST accept up to 255 octets
//   SAFE      = any UTF-8 encoded Unicode character except NUL
//
// parse_plain() works on the decoded message (after base64::decode) and returns views into it.
// Errors are reported at the lowest offending offset, one code per kind:
//   invalid_utf8       @ the first byte of the ill-formed sequence
//   field_too_long     @ the first octet past limits.max_field in that field
//   empty_authcid      @ the second NUL (where the authcid should start)
//   extra_nul          @ the third NUL (inside the password)
//   missing_separator  @ the message size (fewer than two NULs)
//   empty_password     @ the message size (nothing after the second NUL)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include "codec/sasl/errc.hpp"

namespace mailtls::codec::sasl {

struct plain_limits {
  // RFC 4616 §2 requires accepting 255 octets per field; a server may accept more.
  std::size_t max_field = 255;
};

// The three fields, as views into the parsed message. An absent authzid is empty.
struct plain_message {
  std::string_view authzid;
  std::string_view authcid;
  std::string_view passwd;

  bool operator==(const plain_message&) const = default;
};

struct plain_result {
  std::error_code error{};
  std::size_t offset = 0;  // offset in the decoded message of the offending byte (when error)
  plain_message message{};

  bool ok() const { return !error; }
  explicit operator bool() const { return ok(); }
};

plain_result parse_plain(std::string_view decoded, const plain_limits& limits = {});

// Appends [authzid] NUL authcid NUL passwd to `out` (not base64: see base64::encode) if the fields
// form a message parse_plain accepts with the same limits; otherwise leaves `out` as it was and
// returns the error parse_plain would give (its offset is in result.offset, relative to the
// message). An empty authzid is omitted (RFC 4616 §2: authzid is optional).
plain_result build_plain(std::string_view authzid, std::string_view authcid,
                         std::string_view passwd, std::string& out,
                         const plain_limits& limits = {});
plain_result build_plain(const plain_message& m, std::string& out, const plain_limits& limits = {});

}  // namespace mailtls::codec::sasl
