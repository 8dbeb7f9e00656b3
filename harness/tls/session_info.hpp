// What a finished (or failed) handshake negotiated, and summaries of X.509 certificates.
#pragma once

#include <ctime>
#include <string>
#include <vector>

struct x509_st;  // OpenSSL's X509

namespace mailtls::tls {

struct certificate_summary {
  std::string subject;                    // RFC 2253 form, e.g. "CN=mx.example"
  std::string subject_cn;                 // the (last) commonName, empty if none
  std::string issuer;                     // RFC 2253 form
  std::vector<std::string> dns_names;     // subjectAltName dNSName entries
  std::vector<std::string> ip_addresses;  // subjectAltName iPAddress entries, textual
  std::time_t not_before = 0;
  std::time_t not_after = 0;
  std::string key_type;  // "RSA", "EC", "Ed25519", "Ed448", "DSA", ... or "unknown"
  int key_bits = 0;
  std::string signature_algorithm;  // e.g. "ecdsa-with-SHA256", "sha256WithRSAEncryption"
  std::string serial_hex;           // upper-case hex, no separators
  bool is_ca = false;               // basicConstraints CA:TRUE

  bool operator==(const certificate_summary&) const = default;
};

certificate_summary summarize(x509_st* cert);

struct session_info {
  std::string version;      // "TLSv1.3", "TLSv1.2", ... (empty before a handshake)
  std::string cipher;       // e.g. "TLS_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"
  std::string alpn;         // the selected application protocol, empty if none
  std::string server_name;  // server: the SNI received; client: the SNI sent
  bool resumed = false;
  // As the peer sent it, leaf first (a server usually sees an empty chain: no client certs).
  std::vector<certificate_summary> peer_chain;
  // Outcome of verifying the peer chain (and host name): 0 == X509_V_OK, else X509_V_ERR_*.
  long verify_result = 0;
  std::string verify_error;  // X509_verify_cert_error_string: "ok", "certificate has expired"...

  bool verified() const { return verify_result == 0 && !peer_chain.empty(); }
};

}  // namespace mailtls::tls
