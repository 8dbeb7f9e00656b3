// The attacks the MITM proxy (`mailtls mitm --attack NAME`) performs on one proxied connection, and
// their command-line names. See docs/mitm.md for what each does per protocol.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace mailtls::mitm {

enum class attack : std::uint8_t {
  none,             // pass everything through, record what the client does
  strip_starttls,   // remove STARTTLS / STLS from the capability lists (RFC 3207 §4, RFC 2595 §4)
  reject_starttls,  // answer STARTTLS / STLS as a server without TLS would (454, -ERR, BAD)
  inject_response,  // glue forged replies to the server's STARTTLS answer (CVE-2011-0411 class)
  tamper,           // IMAP: untagged responses and [ALERT] before the STARTTLS completion
  downgrade,        // answer the client's TLS handshake with a cleartext refusal
};

// In the order above.
std::span<const attack> all_attacks() noexcept;
// "none", "strip-starttls", "reject-starttls", "inject-response", "tamper", "downgrade".
std::string_view to_name(attack a) noexcept;
// Exact (lower-case) names only.
std::optional<attack> attack_from_name(std::string_view name) noexcept;
// RFC 8314 §5.2: with implicit TLS there is no cleartext phase to rewrite, only `none` and
// `downgrade` apply.
bool applies_to_implicit_tls(attack a) noexcept;
// True for the attacks that change the cleartext conversation before TLS.
bool needs_cleartext(attack a) noexcept;

}  // namespace mailtls::mitm
