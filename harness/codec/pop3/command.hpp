// A POP3 client command (RFC 1939 §4-7, CAPA RFC 2449 §5, STLS RFC 2595 §4, AUTH RFC 5034 §4)
// and the client's SASL continuation line (RFC 5034 §4), with its serializer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailtls::codec::pop3 {

enum class command_kind : std::uint8_t {
  user,           // USER name
  pass,           // PASS string (rest of the line, spaces included: RFC 1939 §7)
  apop,           // APOP name digest
  stat,           // STAT
  list,           // LIST [msg]
  retr,           // RETR msg
  dele,           // DELE msg
  noop,           // NOOP
  rset,           // RSET
  quit,           // QUIT
  top,            // TOP msg n
  uidl,           // UIDL [msg]
  capa,           // CAPA (RFC 2449 §5)
  stls,           // STLS (RFC 2595 §4)
  auth,           // AUTH [mechanism [initial-response]] (RFC 5034 §4; bare AUTH lists mechanisms)
  sasl_response,  // not a command: the client's answer to a "+ challenge" (base64 or "*")
};

// The upper-case keyword ("USER"...); "" for sasl_response.
std::string_view keyword(command_kind k) noexcept;

// Largest message number / line count accepted (RFC 1939 gives no bound; 2^31-1 keeps every
// value representable as a signed 32-bit int in servers).
inline constexpr std::uint32_t max_number = 0x7fffffffu;

struct command {
  command_kind kind = command_kind::noop;
  // USER / APOP: the name. PASS: the password. AUTH: the mechanism ("" for bare AUTH).
  // sasl_response: the base64 text ("" for an empty response; unused when cancel).
  std::string argument{};
  std::string digest{};                           // APOP: 32 lower-case hex digits
  std::optional<std::string> initial_response{};  // AUTH: base64, or "=" for an empty one
  std::optional<std::uint32_t> msg{};             // RETR, DELE, TOP: required; LIST, UIDL: optional
  std::uint32_t lines = 0;                        // TOP: number of body lines (0 allowed)
  bool cancel = false;  // sasl_response: the client sent "*" (RFC 5034 §4)

  // Bare "AUTH": many clients send it to list the mechanisms (multi-line answer).
  bool lists_mechanisms() const { return kind == command_kind::auth && argument.empty(); }
  // True if the server's +OK to this command is followed by a multi-line body (RFC 1939 §3).
  bool expects_multi_line() const;

  bool operator==(const command&) const = default;
};

// Appends the command line with its CRLF (keyword in upper case).
void serialize(const command& c, std::string& out);

}  // namespace mailtls::codec::pop3
