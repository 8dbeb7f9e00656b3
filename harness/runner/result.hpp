// What one run of one scenario against one service produced: the verdict, the evidence (a
// transcript with secrets redacted) and what TLS negotiated. Plain data, filled in by the
// interpreter (interpreter.hpp) and the driver, read by the reports (harness/report).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls::runner {

// pass: every statement held. fail: the target broke a rule (a reply did not match, a limit was
// hit, TLS failed where it must not). error: the harness or the set-up broke (connection refused,
// undefined variable, bad TLS options). skip: the target lacks a capability the scenario
// `requires:`, or the run lacks what the scenario needs (credentials).
enum class outcome : std::uint8_t { pass, fail, error, skip };
std::string_view to_name(outcome o) noexcept;  // "pass", "fail", "error", "skip"

// Which bound of the harness ended the run, if any (the verdict names it).
enum class limit_kind : std::uint8_t {
  none,
  step_timeout,      // no complete reply / close within run_limits::step_timeout_ms
  scenario_timeout,  // the whole scenario exceeded its `timeout:` (or run_limits default)
  reply_size,        // a reply grew beyond run_limits::max_reply_bytes without completing
  line_length,       // a reply line longer than run_limits::max_line_length
  transcript_size,   // the transcript was cut at run_limits::max_transcript_bytes (a note only)
};
std::string_view to_name(limit_kind k) noexcept;  // "step-timeout", "reply-size", ...

struct verdict {
  outcome result = outcome::error;
  // One sentence: why (for fail/error/skip), e.g. "expected a reply 530 or 538, got 235".
  std::string reason;
  // Where in the scenario: the statement's file and 1-based line (0 when not tied to one).
  std::string file;
  std::size_t line = 0;
  std::string expected;  // what the statement wanted, as written (`S: {530,538} *`)
  std::string got;       // what arrived (the reply's lines, escaped, redacted), may be empty
  limit_kind limit = limit_kind::none;
  // Remarks that do not change the outcome ("503 accepted: tolerated reply").
  std::vector<std::string> notes;
};

struct transcript_entry {
  enum class direction : std::uint8_t {
    client,  // C: what the harness sent (one entry per line; secrets redacted)
    server,  // S: what arrived (one entry per line, CRLF removed, control bytes escaped)
    tls,     // handshake start / result ("TLSv1.3 TLS_AES_128_GCM_SHA256, verified")
    note,    // the interpreter's remarks: timeouts, close, silence kept, limits
  };
  std::uint64_t at_ms = 0;  // since the connection attempt started
  direction dir = direction::note;
  std::string text;
  bool operator==(const transcript_entry&) const = default;
};
std::string_view to_name(transcript_entry::direction d) noexcept;  // "C", "S", "TLS", "--"

// What a (successful or failed) handshake showed; all empty when TLS never started.
struct tls_facts {
  bool attempted = false;
  bool established = false;
  bool implicit = false;     // at connect (RFC 8314) rather than after STARTTLS
  std::string version;       // "TLSv1.3"
  std::string cipher;        // "TLS_AES_128_GCM_SHA256"
  std::string alpn;          // selected ALPN protocol, if any
  bool verified = false;     // chain and name verified against the configured trust anchors
  std::string verify_error;  // "ok", "certificate has expired", ...
  std::string failure;       // why the handshake failed ("unsupported protocol", alert text)
  // The handshake failed on our side before the server saw a ClientHello (options this OpenSSL
  // cannot offer: no cipher or protocol version left, an unreadable CA file): a harness error,
  // never a finding about the server, whatever the scenario expected.
  bool client_error = false;
  // Leaf certificate (all empty when the server presented none).
  bool has_certificate = false;
  std::string subject;
  std::string subject_cn;  // the (last) commonName, empty if none
  std::string issuer;
  std::vector<std::string> dns_names;     // subjectAltName dNSName entries
  std::vector<std::string> ip_addresses;  // subjectAltName iPAddress entries, textual
  std::int64_t not_before = 0;            // Unix time
  std::int64_t not_after = 0;             // Unix time
  std::string key_type;                   // "RSA", "EC", "Ed25519", "Ed448", "DSA", "unknown"
  int key_bits = 0;
  // The driver's clock at the handshake (Unix time; the interpreter has none), and whether it
  // lay within not_before..not_after (RFC 5280 §4.1.2.5).
  std::int64_t checked_at = 0;
  bool time_valid = false;
};

struct scenario_result {
  verdict v;
  std::vector<transcript_entry> transcript;
  tls_facts tls;
  std::uint64_t duration_ms = 0;
};

}  // namespace mailtls::runner
