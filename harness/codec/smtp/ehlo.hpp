// EHLO capabilities (RFC 5321 §4.1.1.1): reading them from a 250 reply, building the reply.
//
//   ehlo-ok-rsp = "250" SP Domain [ SP ehlo-greet ] CRLF
//               / "250-" Domain [ SP ehlo-greet ] CRLF
//                 *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF
//   ehlo-line   = ehlo-keyword *( SP ehlo-param )
//
// Keywords compare case-insensitively and are stored upper-case. The legacy form
// "AUTH=PLAIN LOGIN" (pre-RFC 4954 servers) is read as AUTH with those mechanisms and merged
// with an "AUTH" line if both are present. Lines whose keyword is not an ehlo-keyword are skipped
// and counted (a hostile server cannot make the whole list fail).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "codec/smtp/reply.hpp"

namespace mailtls::codec::smtp {

struct capability {
  std::string keyword;              // upper-case: STARTTLS, AUTH, SIZE, ...
  std::vector<std::string> params;  // ehlo-params as sent (AUTH mechanisms, SIZE limit, ...)
  bool legacy_auth = false;         // also/only announced as "AUTH=..."
  bool operator==(const capability&) const = default;
};

// Well-known keywords (RFC 3207, 4954, 1870, 6152, 2920, 6531, 8689, 3030, 2034, 3461).
namespace ehlo_keyword {
inline constexpr std::string_view starttls = "STARTTLS";
inline constexpr std::string_view auth = "AUTH";
inline constexpr std::string_view size = "SIZE";
inline constexpr std::string_view eight_bit_mime = "8BITMIME";
inline constexpr std::string_view pipelining = "PIPELINING";
inline constexpr std::string_view smtputf8 = "SMTPUTF8";
inline constexpr std::string_view requiretls = "REQUIRETLS";
inline constexpr std::string_view chunking = "CHUNKING";
inline constexpr std::string_view binarymime = "BINARYMIME";
inline constexpr std::string_view enhancedstatuscodes = "ENHANCEDSTATUSCODES";
inline constexpr std::string_view dsn = "DSN";
}  // namespace ehlo_keyword

class ehlo_capabilities {
 public:
  // Reads a reply to EHLO. Error: smtp_errc::not_ehlo_reply when the code is not 250 (the
  // capabilities are then empty).
  std::error_code parse(const reply& r);

  const std::string& domain() const { return domain_; }      // first word of the first line
  const std::string& greeting() const { return greeting_; }  // the rest of the first line
  const std::vector<capability>& all() const { return caps_; }
  std::size_t malformed_lines() const { return malformed_; }

  bool has(std::string_view keyword) const { return find(keyword) != nullptr; }
  // Parameters of `keyword` (empty when absent or without parameters).
  std::span<const std::string> params(std::string_view keyword) const;
  const capability* find(std::string_view keyword) const;
  // SIZE limit (RFC 1870 §4): nullopt if SIZE is absent, 0 if present without a number.
  std::optional<std::uint64_t> size_limit() const;

  // Builder side (server): add a capability; `keyword` is upper-cased.
  void set_domain(std::string_view domain, std::string_view greeting = {});
  void add(std::string_view keyword, std::vector<std::string> params = {});
  // The 250 reply announcing domain + greeting then one line per capability (and, for AUTH with
  // legacy_auth, an extra "AUTH=..." line).
  reply to_reply() const;

  bool operator==(const ehlo_capabilities&) const = default;

 private:
  std::string domain_;
  std::string greeting_;
  std::vector<capability> caps_;
  std::size_t malformed_ = 0;
};

}  // namespace mailtls::codec::smtp
