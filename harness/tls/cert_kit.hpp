// The certificates a fake server presents to a client under test (mailtls client-check, issue 6
// catalogue 36): one run CA (its PEM is what the client is told to trust, `{ca}`) and, made on
// first use and kept for the run, a leaf of each kind:
//   good               issued by the run CA for the host name (and 127.0.0.1, ::1, localhost)
//   self_signed        the same names, self-signed                       (RFC 8314 §5.3)
//   unknown_ca         the same names, issued by another CA not in {ca}  (RFC 5280 §6)
//   wrong_name         issued by the run CA for wrong-name.invalid only  (RFC 6125 §6.4, RFC 7817)
//   expired            the same names and CA, notAfter yesterday         (RFC 5280 §4.1.2.5)
//   wildcard_mismatch  issued by the run CA for `*.example.org` only, presented for a host
//                      `a.b.example.org` (a wildcard covers one label: RFC 6125 §6.4.3)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tls/certs.hpp"
#include "tls/context.hpp"

namespace mailtls::tls {

enum class presented_cert : std::uint8_t {
  good,
  self_signed,
  unknown_ca,
  wrong_name,
  expired,
  wildcard_mismatch
};
inline constexpr std::size_t presented_cert_count = 6;

std::string_view to_name(presented_cert k) noexcept;  // "good", "self-signed", ...

// The wildcard presented for `host_name`, which does not cover it: `*.` + the host without its
// first two labels when it has at least four (a.b.example.org -> *.example.org), else `*.` + the
// host (mail.example.org -> *.mail.example.org); *.example.org for an IP literal.
std::string wildcard_mismatch_name(std::string_view host_name);

class cert_kit {
 public:
  // Generates the run CA. `host_name` is what the client connects to (a name or an IP literal).
  static result<cert_kit> make(std::string host_name, key_type key = key_type::ec_p256);

  const credentials& ca() const { return ca_; }
  const std::string& host_name() const { return host_; }
  // The leaf (certificate PEM, leaf first, and key) of a kind, generated on first use.
  result<credentials> leaf(presented_cert kind);
  // A server context presenting `kind`, TLS versions min..max (TLS 1.0 / 1.1 get the weakened
  // configuration: security level 0 and OpenSSL's DEFAULT ciphers).
  result<context> server_context(presented_cert kind, tls_version min, tls_version max);

 private:
  cert_kit(std::string host, key_type key, credentials ca)
      : host_(std::move(host)), key_(key), ca_(std::move(ca)) {}

  std::string host_;
  key_type key_;
  credentials ca_;
  std::array<std::optional<credentials>, presented_cert_count> leaves_;
};

}  // namespace mailtls::tls
