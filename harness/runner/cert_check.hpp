// Checks of a server certificate's leaf for `expect tls cert name|not-expired|strong-key`
// (docs/scenario-format.md). Std only: the facts come from the driver (runner::tls_facts), which
// reads them with OpenSSL and its own clock; these functions only judge them, so they are unit
// tested without certificates.
//
// Name matching follows RFC 6125 §6.4 as profiled for e-mail by RFC 7817 §3:
// - DNS names compare ASCII case-insensitively (RFC 6125 §6.4.1), one trailing dot ignored;
// - a wildcard is accepted only as the complete left-most label (`*.example.org` matches
//   `a.example.org`, not `a.b.example.org`, not `example.org`; `f*.example.org`, `*oo.example.org`
//   and `a.*.example.org` match nothing) and needs at least two labels after it (`*.org` matches
//   nothing, RFC 6125 §7.2);
// - the subject CN is consulted only when the certificate has no DNS SAN (RFC 6125 §6.4.4);
// - an IP literal (`192.0.2.1`, `2001:db8::1`, `[::1]`) is compared, as bytes, with the iPAddress
//   SANs only (RFC 5280 §4.2.1.6) — never with DNS names, the CN or a wildcard;
// - a presented name with anything but letters, digits, `-`, `.` and a leading `*.` (a NUL as in
//   CVE-2009-2408, blanks, non-ASCII) matches nothing. Internationalized names are compared as
//   A-labels (`xn--...`); a non-ASCII reference name matches nothing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls::runner {

struct check_outcome {
  bool ok = false;
  // Why not (or, when ok, which identifier matched / what was checked), one phrase for reports.
  std::string reason;
};

// Whether one presented DNS identifier (a SAN dNSName or the CN, possibly `*.`-wildcarded)
// matches the reference host name. Both sides as written; no IP literals.
bool dns_name_matches(std::string_view presented, std::string_view reference);

// An IPv4 (dotted quad, no leading zeros) or IPv6 (RFC 4291 §2.2 text, `::` and a trailing dotted
// quad allowed, brackets allowed, no zone) literal as 16 bytes (IPv4 as ::ffff:a.b.c.d); nullopt
// when `text` is not one.
std::optional<std::array<std::uint8_t, 16>> parse_ip_literal(std::string_view text);

// The leaf is issued for `reference` (a host name or an IP literal).
check_outcome match_certificate_name(std::string_view reference,
                                     const std::vector<std::string>& dns_names,
                                     const std::vector<std::string>& ip_addresses,
                                     std::string_view subject_cn);

// RFC 9325 §4.3 / NIST SP 800-57: RSA and DSA at least 2048 bits, EC at least 256 bits; Ed25519
// and Ed448 are strong; anything else (unknown types) is not.
check_outcome check_key_strength(std::string_view key_type, int bits);

// `checked_at` within not_before..not_after (Unix seconds, inclusive).
check_outcome check_validity(std::int64_t not_before, std::int64_t not_after,
                             std::int64_t checked_at);

// "2025-03-01 12:00:00 UTC" (proleptic Gregorian, no clock or time zone involved).
std::string utc_time_text(std::int64_t unix_seconds);

}  // namespace mailtls::runner
