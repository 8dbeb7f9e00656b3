// Certificates for the harness's own servers: a private CA and leaf certificates it issues.
//
// RFC 5280 basics: v3, random positive 128-bit serial (§4.1.2.2), subject/authority key
// identifiers (§4.2.1.1-2), basicConstraints CA:TRUE critical + keyUsage keyCertSign/cRLSign on
// the CA (§4.2.1.9, §4.2.1.3), host names and IPs in subjectAltName (§4.2.1.6; RFC 6125 — the CN
// is informative only), extendedKeyUsage serverAuth. Validity and names are parameters so the
// fake servers can also present expired, not-yet-valid or wrong-name certificates on purpose.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "tls/errc.hpp"

namespace mailtls::tls {

enum class key_type { ec_p256, rsa_2048, ed25519 };

// PEM text: a certificate (or chain, leaf first) and its private key (PKCS#8, unencrypted).
struct credentials {
  std::string certificate_pem;
  std::string private_key_pem;
};

struct ca_options {
  std::string common_name = "mailtls private CA";
  key_type key = key_type::ec_p256;
  // Validity relative to now.
  std::chrono::seconds not_before = -std::chrono::hours(1);
  std::chrono::seconds not_after = std::chrono::hours(24 * 3650);
};

struct leaf_options {
  std::vector<std::string> dns_names;                            // subjectAltName dNSName
  std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};  // subjectAltName iPAddress
  std::string common_name;  // empty: the first DNS name (or first IP)
  key_type key = key_type::ec_p256;
  // Validity relative to now; both negative gives an expired certificate.
  std::chrono::seconds not_before = -std::chrono::hours(1);
  std::chrono::seconds not_after = std::chrono::hours(24 * 397);  // CA/B Forum: <= 398 days
};

// leaf_options for one host name (plus the default loopback IPs).
leaf_options leaf_for_host(const std::string& host_name, key_type key = key_type::ec_p256);

result<credentials> generate_private_ca(const ca_options& options = {});
// Issues a leaf signed by `ca` (its certificate_pem and private_key_pem).
result<credentials> issue_leaf(const credentials& ca, const leaf_options& options);
// A self-signed leaf for the names of `options` (what a careless server deploys; a client must
// reject it: RFC 8314 §5.3 as profiled by RFC 7817 §3).
result<credentials> generate_self_signed_leaf(const leaf_options& options);

// Verifies `chain_pem` (leaf first) against the trust anchors in `ca_pem` at the current time
// (X509_verify_cert), and, when host_name is not empty, the leaf against it (a host name, or an IP
// literal checked against iPAddress SANs). Returns X509_V_OK (0) or an X509_V_ERR_* code, with
// `reason` set to OpenSSL's text ("ok", "certificate has expired", "hostname mismatch", ...).
long verify_certificate(const std::string& chain_pem, const std::string& ca_pem,
                        const std::string& host_name, std::string* reason = nullptr);

}  // namespace mailtls::tls
