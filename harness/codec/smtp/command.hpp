// SMTP client commands (RFC 5321 §4.1.1 and extensions) and their serializer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls::codec::smtp {

enum class verb : std::uint8_t {
  ehlo,      // RFC 5321 §4.1.1.1
  helo,      // RFC 5321 §4.1.1.1
  mail,      // RFC 5321 §4.1.1.2
  rcpt,      // RFC 5321 §4.1.1.3
  data,      // RFC 5321 §4.1.1.4
  bdat,      // RFC 3030 §2
  rset,      // RFC 5321 §4.1.1.5
  vrfy,      // RFC 5321 §4.1.1.6
  expn,      // RFC 5321 §4.1.1.7
  help,      // RFC 5321 §4.1.1.8
  noop,      // RFC 5321 §4.1.1.9
  quit,      // RFC 5321 §4.1.1.10
  starttls,  // RFC 3207 §4
  auth,      // RFC 4954 §4
};

// Canonical upper-case spelling ("STARTTLS").
std::string_view to_string(verb v) noexcept;

// A reverse-path or forward-path (RFC 5321 §4.1.2). The null path "<>" has every field empty;
// "<Postmaster>" (RCPT only, §4.1.1.3) has local_part "Postmaster" (as written) and no domain.
struct path {
  std::vector<std::string> source_route;  // A-d-l domains without "@" (§4.1.2; kept, not used)
  std::string local_part;                 // as written: dot-string or quoted-string with quotes
  std::string domain;                     // Domain, or address-literal with its brackets
  bool has_utf8 = false;  // an octet >= 0x80 in local part or domain (RFC 6531 §3.3)

  bool is_null() const { return local_part.empty() && domain.empty(); }
  bool is_postmaster() const { return domain.empty() && !local_part.empty(); }
  bool operator==(const path&) const = default;
};

// RFC 1870 / RFC 6152 / RFC 3030.
enum class body_type : std::uint8_t { none, seven_bit, eight_bit_mime, binary_mime };
std::string_view to_string(body_type b) noexcept;

// esmtp-param not typed below (RET, ENVID, NOTIFY, ORCPT, ...). The keyword is stored upper-case.
struct esmtp_param {
  std::string keyword;
  std::optional<std::string> value;
  bool operator==(const esmtp_param&) const = default;
};

// Parameters of MAIL and RCPT (RFC 5321 §4.1.2 Mail-parameters / Rcpt-parameters). The typed
// ones are recognised on both verbs; which verb may carry which is left to the server.
struct esmtp_params {
  std::optional<std::uint64_t> size;  // SIZE=<n>, RFC 1870 §3
  body_type body = body_type::none;   // BODY=, RFC 6152 §2, RFC 3030 §3
  bool smtputf8 = false;              // RFC 6531 §3.4
  bool requiretls = false;            // RFC 8689 §3
  std::vector<esmtp_param> other;     // in the order given

  bool empty() const {
    return !size && body == body_type::none && !smtputf8 && !requiretls && other.empty();
  }
  bool operator==(const esmtp_params&) const = default;
};

struct command {
  verb v = verb::noop;
  std::string domain;            // EHLO, HELO: Domain or address-literal
  path address;                  // MAIL (reverse-path), RCPT (forward-path)
  esmtp_params params;           // MAIL, RCPT
  std::uint64_t chunk_size = 0;  // BDAT
  bool last = false;             // BDAT ... LAST
  std::string argument;   // VRFY, EXPN (required); NOOP, HELP (optional): the string as written
  std::string mechanism;  // AUTH, upper-case
  std::optional<std::string> initial_response;  // AUTH: base64 text; "" when "=" was sent

  bool operator==(const command&) const = default;
};

// Appends the canonical command line, CRLF included: upper-case verb and keywords, typed
// parameters first (SIZE, BODY, SMTPUTF8, REQUIRETLS) then the others in order.
void serialize(const command& c, std::string& out);
void serialize(const path& p, std::string& out);  // "<...>"

}  // namespace mailtls::codec::smtp
