// The syntax tree of a scenario file (docs/scenario-format.md). Produced by parse() in parser.hpp,
// checked by lint() in lint.hpp, rendered back to text by print() in printer.hpp. Plain data with
// defaulted operator==; no behaviour.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mailtls::scenario {

// ---- Header ----------------------------------------------------------------------------------

// One `key: value` line, exactly as written (value without comment and surrounding blanks).
struct header {
  std::string key;
  std::string value;
  std::size_t line = 0;
  bool operator==(const header&) const = default;
};

enum class severity_level : std::uint8_t { critical, high, medium, low, info };
enum class profile_kind : std::uint8_t { default_profile, rfc, strict };
enum class tls_version : std::uint8_t { tls1_0, tls1_1, tls1_2, tls1_3 };
// `connect:` header: `tls` (the service's default) or `plain` (no TLS at connect, even on
// 465/993/995).
enum class connect_mode : std::uint8_t { tls, plain };
// `role:` header: `client` (the default: mailtls plays the client against a server) or `server`
// (mailtls plays a fake server against a mail client; docs/scenario-format.md, "Server role").
enum class scenario_role : std::uint8_t { client, server };
// Server role, `starttls cert KIND`: the certificate the fake server presents.
enum class cert_kind : std::uint8_t {
  good,               // issued for the run's host name by the run's CA (the PEM at {ca})
  self_signed,        // self-signed, for the right names
  unknown_ca,         // a valid chain for the right names to a CA that is not {ca}
  wrong_name,         // a valid chain from the run's CA for another name
  expired,            // the right names and CA, notAfter in the past
  wildcard_mismatch,  // `*.example.org` presented for `a.b.example.org` (RFC 6125 §6.4.3)
};

// Names as written in scenario files; from_name returns nullopt for anything else.
std::string_view to_name(severity_level s) noexcept;
std::string_view to_name(profile_kind p) noexcept;
std::string_view to_name(tls_version v) noexcept;    // "TLSv1.3"
std::string_view to_name(connect_mode m) noexcept;   // "tls", "plain"
std::string_view to_name(scenario_role r) noexcept;  // "client", "server"
std::string_view to_name(cert_kind k) noexcept;      // "self-signed", "wrong-name", ...
std::optional<severity_level> severity_from_name(std::string_view s) noexcept;
std::optional<profile_kind> profile_from_name(std::string_view s) noexcept;
std::optional<tls_version> tls_version_from_name(std::string_view s) noexcept;  // TLS1.3, TLSv1.3
std::optional<connect_mode> connect_mode_from_name(std::string_view s) noexcept;
std::optional<scenario_role> role_from_name(std::string_view s) noexcept;
std::optional<cert_kind> cert_kind_from_name(std::string_view s) noexcept;

// The services a scenario may name (`services:`).
inline constexpr std::string_view known_services[] = {"smtp",  "submission", "submissions", "pop3",
                                                      "pop3s", "imap",       "imaps"};

// ---- Body ------------------------------------------------------------------------------------

// Text of a `C:` / `C+:` line: literal runs and `${name}` substitution markers, in order.
struct text_part {
  enum class kind : std::uint8_t { literal, variable };
  kind kind_ = kind::literal;
  std::string value_;  // the literal bytes, or the variable name
  bool operator==(const text_part&) const = default;
};
using text_template = std::vector<text_part>;

// `C: text` (crlf_ = true) and `C+: text` (crlf_ = false).
struct send_line {
  text_template text_;
  bool crlf_ = true;
  bool operator==(const send_line&) const = default;
};

// `send "..."`: raw bytes after C-style unescaping.
struct send_raw {
  std::string bytes_;
  bool operator==(const send_raw&) const = default;
};

// What a reply's text must look like.
struct text_pattern {
  enum class kind : std::uint8_t { any, glob, regex };
  kind kind_ = kind::any;  // any: `*` or nothing written
  std::string value_;      // glob (`*` matches any run) or ECMAScript regex source without slashes
  bool operator==(const text_pattern&) const = default;
};

// `+NAME` (present_ = true) or `-NAME` in a capability assertion list `[+STARTTLS -AUTH=PLAIN]`.
struct capability_assertion {
  std::string name_;
  bool present_ = true;
  bool operator==(const capability_assertion&) const = default;
};

// `S: <matcher>`: one whole reply.
struct reply_matcher {
  enum class kind : std::uint8_t {
    smtp,               // `250`, `5xx`, `{530,538}`: codes_ holds 3-char patterns ('x' = any digit)
    pop3_ok,            // `+OK`
    pop3_err,           // `-ERR`
    imap_tagged,        // `tag OK`, `a1 {NO,BAD}`: tag_ and statuses_
    imap_untagged,      // `* CAPABILITY`, `* OK`, `* 3`: keyword_
    imap_continuation,  // `+`
  };
  kind kind_ = kind::smtp;
  std::vector<std::string> codes_;     // smtp
  std::string tag_;                    // imap_tagged (`tag` = the tag of the last command)
  std::vector<std::string> statuses_;  // imap_tagged: OK / NO / BAD
  std::string keyword_;                // imap_untagged
  text_pattern text_;
  std::vector<capability_assertion> capabilities_;
  std::string capture_;  // `-> name`, empty when absent
  bool operator==(const reply_matcher&) const = default;
};

struct expect_reply {
  reply_matcher matcher_;
  bool operator==(const expect_reply&) const = default;
};

// `starttls [verify|insecure] [sni NAME] [min V] [max V] [ciphers LIST] [alpn LIST] [optional]`
struct starttls {
  // `verify` -> true, `insecure` -> false, neither written -> nullopt (the run's default).
  std::optional<bool> verify_;
  std::optional<std::string> sni_;
  std::optional<tls_version> min_;
  std::optional<tls_version> max_;
  std::optional<std::string> ciphers_;
  // `alpn http/1.1,imap`: ALPN protocols to offer (RFC 7301), in order; empty: no ALPN extension.
  std::vector<std::string> alpn_;
  // `optional`: a failed handshake ends the scenario as a pass (with a note) instead of a fail:
  // for probes whose injected bytes may reach the server's TLS layer and break the handshake.
  bool optional_ = false;
  bool operator==(const starttls&) const = default;
};

struct expect_close {
  // `expect close allow-alert`: TLS alert records (content type 21) may arrive before the close.
  bool allow_alert_ = false;
  // `expect close skip N`: up to N lines (replies of the server) may arrive before the close, e.g.
  // the answers to pipelined bad commands before a server gives up; more is a failure.
  std::uint32_t skip_lines_ = 0;
  bool operator==(const expect_close&) const = default;
};
struct expect_silence {
  std::uint32_t ms_ = 0;
  bool operator==(const expect_silence&) const = default;
};
struct expect_tls_version {
  tls_version version_ = tls_version::tls1_3;
  bool operator==(const expect_tls_version&) const = default;
};
struct expect_tls_fail {
  bool operator==(const expect_tls_fail&) const = default;
};
// `expect tls cipher GLOB`: the negotiated cipher matches the glob (`*` any run).
struct expect_tls_cipher {
  std::string pattern_;
  bool operator==(const expect_tls_cipher&) const = default;
};
// `expect tls cert verified` / `expect tls cert unverified`.
struct expect_tls_cert {
  bool verified_ = true;
  bool operator==(const expect_tls_cert&) const = default;
};
// `expect tls cert name NAME`: the leaf certificate is issued for NAME (RFC 6125 §6.4 as
// profiled by RFC 7817 §3); NAME may use variables (`${servername}`).
struct expect_tls_cert_name {
  text_template name_;
  bool operator==(const expect_tls_cert_name&) const = default;
};
// `expect tls cert not-expired` / `expect tls cert strong-key`: properties of the leaf certificate.
struct expect_tls_cert_check {
  enum class kind : std::uint8_t {
    not_expired,  // the driver's clock is within notBefore..notAfter (RFC 5280 §4.1.2.5)
    strong_key,   // RSA/DSA >= 2048 bits, EC >= 256 bits, Ed25519/Ed448 (RFC 9325 §4.3)
  };
  kind kind_ = kind::not_expired;
  bool operator==(const expect_tls_cert_check&) const = default;
};
// `timeout D`: from here on every wait (reply, close, TLS handshake) may last up to D instead of
// the run's step timeout; still cut at the scenario's deadline.
struct set_timeout {
  std::uint32_t ms_ = 0;
  bool operator==(const set_timeout&) const = default;
};

// `set name = value`
struct set_variable {
  std::string name_;
  std::string value_;
  bool operator==(const set_variable&) const = default;
};

// ---- Server role (`role: server`): mailtls is the fake server, the prefixes flip ----

// `S: text` (crlf_ = true) / `S+: text` (crlf_ = false): the fake server sends the line.
struct server_send {
  text_template text_;
  bool crlf_ = true;
  bool operator==(const server_send&) const = default;
};

// `C: pattern [-> name]`: the fake server reads one line from the client and matches it (a glob,
// `*` any run, ASCII case-insensitive; `*` alone or nothing: any line). For IMAP the line's first
// word also becomes `${tag}`. `-> name` stores the line (CRLF removed) in `${name}`.
struct expect_command {
  text_pattern pattern_;  // kind any or glob
  std::string capture_;
  bool operator==(const expect_command&) const = default;
};

// `starttls [cert KIND] [min V] [max V]`: the server side of a TLS handshake, now.
struct serve_tls {
  cert_kind cert_ = cert_kind::good;
  bool cert_written_ = false;  // `cert` was written (the printer keeps it)
  std::optional<tls_version> min_;
  std::optional<tls_version> max_;
  bool operator==(const serve_tls&) const = default;
};

// `expect abort`: the client closes, or sends nothing more until the wait ends, and sends no
// credential or mail command in cleartext meanwhile.
struct expect_abort {
  bool operator==(const expect_abort&) const = default;
};

using statement_body =
    std::variant<send_line, send_raw, expect_reply, starttls, expect_close, expect_silence,
                 expect_tls_version, expect_tls_fail, set_variable, expect_tls_cipher,
                 expect_tls_cert, expect_tls_cert_name, expect_tls_cert_check, set_timeout,
                 server_send, expect_command, serve_tls, expect_abort>;

// Which role a statement belongs to: client-only (C:, S: matchers, starttls with client options,
// expect tls version|cipher|cert), server-only (S: lines, C: patterns, starttls cert, expect
// abort), or both (send, expect close|silence, expect tls fail, timeout, set).
enum class statement_role : std::uint8_t { client, server, both };
statement_role role_of(const statement_body& b) noexcept;

// One body statement. `include` does not appear: the included statements are spliced in place,
// each with the file it came from (an index into scenario::files_) and its line there.
struct statement {
  statement_body body_;
  std::size_t file_ = 0;
  std::size_t line_ = 0;
  bool operator==(const statement&) const = default;
};

// ---- Whole file ------------------------------------------------------------------------------

struct scenario {
  // Every header line in order, duplicates and unknown keys included (lint reports them).
  std::vector<header> headers_;
  // The known headers' values, from their first occurrence; empty / nullopt when absent or when
  // the value is not one of the allowed names (lint reports it).
  std::string id_;
  std::string title_;
  std::vector<std::string> services_;  // as written; lint checks them against known_services
  std::vector<std::string> refs_;      // `;`-separated, trimmed; lint checks their form
  std::vector<std::string> keywords_;
  std::optional<severity_level> severity_;
  std::vector<std::string> requires_;
  std::optional<std::uint32_t> timeout_ms_;
  std::optional<profile_kind> profile_;
  // `connect: tls|plain`: how to connect to an implicit-TLS service (plain: no TLS at first).
  std::optional<connect_mode> connect_;
  // `catches: BUG ...`: the reference server's --inject-bug modes this scenario must fail on (the
  // mutation tests check it; docs/scenarios.md lists it).
  std::vector<std::string> catches_;
  // `rationale: text`: one line saying why the rule matters (docs/scenarios.md shows it).
  std::string rationale_;
  // `repeat: N` (1..100): N connections run the scenario at once; the case passes only if all do
  // (races such as injection across many parallel connections, CVE-2022-28220).
  std::optional<std::uint32_t> repeat_;
  // `role: client|server`; nullopt when absent (client) or not one of them (lint reports it).
  std::optional<scenario_role> role_;
  scenario_role role() const { return role_.value_or(scenario_role::client); }

  std::vector<statement> statements_;
  std::vector<std::string> files_;  // [0] = the main file, then each included file once per include

  bool operator==(const scenario&) const = default;
};

}  // namespace mailtls::scenario
