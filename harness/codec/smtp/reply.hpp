// SMTP server replies (RFC 5321 §4.2) with enhanced status codes (RFC 3463, RFC 2034).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls::codec::smtp {

// class "." subject "." detail; class 2 / 4 / 5, subject and detail 0-999 (RFC 3463 §2).
struct enhanced_status {
  std::uint8_t cls = 0;
  std::uint16_t subject = 0;
  std::uint16_t detail = 0;

  std::string to_string() const;  // "5.7.1"
  bool operator==(const enhanced_status&) const = default;
};

// An enhanced status code at the start of `text`, followed by SP or the end (RFC 2034 §4).
// `length` (if given) receives the octets it spans, without the SP.
std::optional<enhanced_status> parse_enhanced_status(std::string_view text,
                                                     std::size_t* length = nullptr) noexcept;

struct reply {
  int code = 0;                    // 200-559 (RFC 5321 §4.2: %x32-35 %x30-35 %x30-39)
  std::vector<std::string> lines;  // each line's text after "ddd-" / "ddd " (may be empty)
  // Framing defects seen in this reply's lines; only ever set when the matching leniency is on.
  bool bare_lf = false;
  bool bare_cr = false;
  bool nul = false;

  // Lines joined with "\n".
  std::string text() const;
  // Enhanced status code at the start of line i (default: the first line).
  std::optional<enhanced_status> enhanced(std::size_t i = 0) const;
  int digit(int n) const {  // n = 0, 1, 2
    return n == 0 ? code / 100 : n == 1 ? (code / 10) % 10 : code % 10;
  }
  bool is_positive_completion() const { return code / 100 == 2; }    // 2yz
  bool is_positive_intermediate() const { return code / 100 == 3; }  // 3yz (354, 334)
  bool is_positive() const { return code / 100 == 2 || code / 100 == 3; }
  bool is_transient_negative() const { return code / 100 == 4; }  // 4yz
  bool is_permanent_negative() const { return code / 100 == 5; }  // 5yz
  bool operator==(const reply&) const = default;
};

// Appends the reply: "ddd-text" CRLF for all lines but the last, "ddd text" CRLF (or "ddd" CRLF
// when the last text is empty) for the last. A reply with no lines is written as one bare "ddd".
void serialize(const reply& r, std::string& out);
// Convenience: a one-line reply "ddd text".
void serialize_reply(int code, std::string_view text, std::string& out);

}  // namespace mailtls::codec::smtp
