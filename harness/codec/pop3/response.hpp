// A POP3 server response (RFC 1939 §3): "+OK [text]" or "-ERR [text]", optionally with an extended
// response code (RFC 2449 §8, RFC 3206) and, after +OK to CAPA/LIST/UIDL/RETR/TOP/bare AUTH, a
// multi-line body; or a SASL continuation "+ base64" (RFC 5034 §4). With its serializer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls::codec::pop3 {

enum class response_status : std::uint8_t {
  ok,            // +OK
  err,           // -ERR
  continuation,  // "+ " SASL challenge (RFC 5034 §4); text holds the base64 data
};

// What the parser saw and tolerated (only with the matching leniency in response_limits), or
// did to stay in step with the stream. All false/0 for a well-formed response.
struct response_flags {
  bool lowercase_status = false;    // "+ok" / "-err" (allow_lowercase_status)
  bool bare_lf = false;             // some line ended in LF only (allow_bare_lf)
  bool bare_cr = false;             // some line holds a CR not before LF (allow_bare_cr)
  bool nul = false;                 // some line holds a NUL (allow_nul)
  bool malformed_code = false;      // text starts with '[' but not with a valid response code
  bool truncated = false;           // body exceeded a limit; the rest up to "." was dropped
  std::uint32_t dropped_lines = 0;  // body lines dropped because of a framing error

  bool operator==(const response_flags&) const = default;
};

struct response {
  response_status status = response_status::ok;
  // RFC 2449 §8: "[SYS/TEMP]" -> {"SYS", "TEMP"}; empty when there is no (valid) code.
  std::vector<std::string> code{};
  std::string text{};  // after the status (and the code); continuation: the base64 data
  bool multi_line = false;
  // The multi-line body, dot-unstuffed (RFC 1939 §3), every line followed by CRLF, without the
  // terminating ".". Empty body and empty multi-line body differ by multi_line.
  std::string body{};
  response_flags flags{};

  bool is_ok() const { return status == response_status::ok; }
  bool is_err() const { return status == response_status::err; }
  bool is_continuation() const { return status == response_status::continuation; }
  // True if code starts with `prefix`, compared case-insensitively component by component:
  // has_code({"SYS"}) matches [SYS/TEMP] and [SYS/PERM] (RFC 2449 §8: hierarchical).
  bool has_code(std::initializer_list<std::string_view> prefix) const;
  // Splits body into its lines (without CRLF).
  std::vector<std::string_view> body_lines() const;

  bool operator==(const response&) const = default;
};

// Appends the status line (+OK / -ERR / "+ ", code, text, CRLF) and, for multi_line, the body
// dot-stuffed (RFC 1939 §3) and the terminating ".\r\n". Body lines are split at LF (a CR before
// it is dropped); a final line without LF is terminated. Flags are not serialized.
void serialize(const response& r, std::string& out);

// Parses "[a/b/c]" at the start of `text` into `code` (RFC 2449 §3 grammar: resp-level is
// 1*<printable ASCII except "/" and "]">); returns how many octets it used, including one SP
// after "]", or 0 if text does not start with a valid code (code left empty).
std::size_t parse_response_code(std::string_view text, std::vector<std::string>& code);

}  // namespace mailtls::codec::pop3
