// The capability list of a CAPA response (RFC 2449 §5-6), read from and written to the
// multi-line body. Names are compared case-insensitively (RFC 2449 §5); the case sent is kept.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls::codec::pop3 {

struct capability {
  std::string name{};                 // "SASL", "TOP", "X-FOO"...
  std::vector<std::string> params{};  // space-separated parameters after the name

  bool operator==(const capability&) const = default;
};

class capabilities {
 public:
  capabilities() = default;

  // From a CAPA response body (response::body: lines separated by CRLF or LF). Empty lines are
  // skipped; runs of spaces separate parameters.
  static capabilities parse(std::string_view body);

  // Builder (server side): add(...).add(...) then append_body().
  capabilities& add(std::string name, std::vector<std::string> params = {});
  // Appends one line per capability, each ending in CRLF (a response::body; serialize() adds
  // the dot-stuffing and the terminating ".").
  void append_body(std::string& out) const;

  bool has(std::string_view name) const { return find(name) != nullptr; }
  const capability* find(std::string_view name) const;
  // Parameters of `name`, empty if absent or without parameters.
  const std::vector<std::string>& params(std::string_view name) const;

  // RFC 2449 §6.3: "SASL PLAIN LOGIN" -> {"PLAIN", "LOGIN"}.
  const std::vector<std::string>& sasl_mechanisms() const { return params("SASL"); }
  bool stls() const { return has("STLS"); }                      // RFC 2595 §4
  bool user() const { return has("USER"); }                      // RFC 2449 §6.2
  bool top() const { return has("TOP"); }                        // RFC 2449 §6.1
  bool uidl() const { return has("UIDL"); }                      // RFC 2449 §6.8
  bool pipelining() const { return has("PIPELINING"); }          // RFC 2449 §6.6
  bool resp_codes() const { return has("RESP-CODES"); }          // RFC 2449 §6.4
  bool auth_resp_code() const { return has("AUTH-RESP-CODE"); }  // RFC 3206 §6
  // RFC 2449 §6.7: "EXPIRE NEVER" -> expire_never(); "EXPIRE 31" / "EXPIRE 0 USER" ->
  // expire_days() 31 / 0 (nullopt when absent or NEVER).
  bool expire_never() const;
  std::optional<unsigned> expire_days() const;
  // RFC 2449 §6.5: "LOGIN-DELAY 900" (seconds).
  std::optional<unsigned> login_delay() const;
  // RFC 2449 §6.9: the rest of the IMPLEMENTATION line, parameters joined by single spaces.
  std::optional<std::string> implementation() const;

  const std::vector<capability>& entries() const { return entries_; }
  bool operator==(const capabilities&) const = default;

 private:
  std::optional<unsigned> number_param(std::string_view name) const;

  std::vector<capability> entries_;
};

}  // namespace mailtls::codec::pop3
