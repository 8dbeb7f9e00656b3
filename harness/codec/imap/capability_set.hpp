// IMAP capabilities (RFC 9051 §6.1.1, §7.2.2): read from "* CAPABILITY ..." or a "[CAPABILITY
// ...]" response code (greeting, tagged OK), queried case-insensitively, and built by a server.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/imap/response.hpp"

namespace mailtls::codec::imap {

class capability_set {
 public:
  capability_set() = default;
  explicit capability_set(std::vector<std::string> caps) : caps_(std::move(caps)) {}

  // From "* CAPABILITY ..." data, or from the CAPABILITY code of a status response; nullopt if r
  // carries neither.
  static std::optional<capability_set> from_response(const response& r);
  // From capability atoms (non-atoms are ignored).
  static capability_set from_values(const std::vector<value>& vs);

  // Case-insensitive (RFC 9051 §9: capability names are case-insensitive atoms).
  bool has(std::string_view cap) const;
  // Mechanisms from "AUTH=<mech>" (RFC 9051 §6.2.2), in order, as sent.
  std::vector<std::string> auth_mechanisms() const;
  bool has_auth(std::string_view mech) const;

  // Adds cap unless present (case-insensitively).
  capability_set& add(std::string_view cap);
  capability_set& add_auth(std::string_view mech);  // "AUTH=" + mech
  capability_set& remove(std::string_view cap);

  const std::vector<std::string>& items() const { return caps_; }
  bool empty() const { return caps_.empty(); }

  response to_response() const;   // * CAPABILITY ...
  response_code to_code() const;  // [CAPABILITY ...]

  bool operator==(const capability_set&) const = default;

 private:
  std::vector<std::string> caps_;
};

}  // namespace mailtls::codec::imap
