// tls::context: an SSL_CTX built from a server_config or client_config.
//
// Server defaults follow current guidance for mail servers: TLS 1.2 and 1.3 only (RFC 8996
// deprecates TLS 1.0/1.1; RFC 8314 §4.1 as updated by RFC 8997: TLS 1.2+), forward-secret AEAD
// suites only (RFC 9325 §4.2), no compression (RFC 9325 §3.3, CRIME), no renegotiation, server
// cipher preference, optional ALPN policy (RFC 7301 §3.2: a client offering only protocols we do
// not serve gets no_application_protocol — the ALPACA cross-protocol defence).
//
// Client configs are for the harness's probes: any version range (TLS 1.0/1.1 automatically get
// security level 0 so OpenSSL 3 will still speak them), cipher strings, SNI, trust anchors or
// insecure mode, ALPN to offer.
//
// A context is a shared handle (copies share one SSL_CTX); it is immutable after creation and
// may be used by many engines.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tls/errc.hpp"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace mailtls::tls {

enum class tls_version { tls1_0, tls1_1, tls1_2, tls1_3 };

// "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" (OpenSSL's SSL_get_version spelling).
const char* to_string(tls_version v) noexcept;

enum class role { client, server };

// RFC 9325 §4.2: ECDHE with AES-GCM or ChaCha20-Poly1305 only (ECDSA first, then RSA keys).
inline constexpr std::string_view default_tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";
// The RFC 8446 §9.1 suites (all AEAD); TLS_AES_128_CCM_8 deliberately left out.
inline constexpr std::string_view default_tls13_ciphersuites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
// What OpenSSL needs to negotiate TLS 1.0/1.1 (SHA-1 MACs and signatures): security level 0.
inline constexpr std::string_view legacy_ciphers = "DEFAULT:@SECLEVEL=0";

struct server_config {
  // Certificate chain (leaf first, then intermediates) and key: a file path, or else PEM text.
  std::string certificate_chain_file;
  std::string private_key_file;
  std::string certificate_chain_pem;
  std::string private_key_pem;

  tls_version min_version = tls_version::tls1_2;
  tls_version max_version = tls_version::tls1_3;
  std::string cipher_list{default_tls12_ciphers};        // TLS <= 1.2 (OpenSSL cipher string)
  std::string ciphersuites{default_tls13_ciphersuites};  // TLS 1.3
  int security_level = 2;                                // OpenSSL level; 2 = 112-bit minimum
  bool prefer_server_ciphers = true;
  bool session_tickets = true;  // resumption (RFC 8446 §4.6.1)
  // ALPN policy. Empty: ALPN is ignored (no protocol selected). Otherwise, in preference order,
  // the protocols this server speaks ("smtp", "imap", "pop3"); a client that offers ALPN but none
  // of these is refused with the no_application_protocol alert; a client offering no ALPN is
  // accepted (RFC 7301 §3.2).
  std::vector<std::string> alpn;
};

// The deliberately weakened server for fault injection: TLS 1.0 up to 1.3, security level 0 and
// OpenSSL's DEFAULT ciphers (incl. CBC/SHA-1 suites, without which OpenSSL 3 answers a TLS 1.0
// hello with an alert). Never use it for anything but tests of clients.
server_config weakened_server_config(server_config base);

struct client_config {
  tls_version min_version = tls_version::tls1_2;
  tls_version max_version = tls_version::tls1_3;
  // Empty: OpenSSL's default, or legacy_ciphers when max_version < TLS 1.2.
  std::string cipher_list;
  // Empty: OpenSSL's default TLS 1.3 suites. "" cannot disable TLS 1.3: cap max_version instead.
  std::string ciphersuites;
  // Unset: OpenSSL's default level, or 0 when max_version < TLS 1.2 (TLS 1.0/1.1 need SHA-1).
  std::optional<int> security_level;

  // SNI and the name checked against the certificate (SSL_set1_host / IP SAN). An IP literal is
  // checked against IP SANs and not sent as SNI (RFC 6066 §3). Engines may override it.
  std::string server_name;
  // Trust anchors: a PEM file, or PEM text; both empty: the system's default CA paths.
  std::string ca_file;
  std::string ca_pem;
  // true: a failed verification aborts the handshake (certificate_verify_failed).
  // false (insecure probe): the handshake goes on; info().verify_result still tells the outcome.
  bool verify_peer = true;
  // ALPN protocols to offer, in preference order; empty: no ALPN extension.
  std::vector<std::string> alpn;
};

class context {
 public:
  static result<context> make_server(const server_config& config);
  static result<context> make_client(const client_config& config);

  context(const context& other) noexcept;
  context& operator=(const context& other) noexcept;
  context(context&& other) noexcept;
  context& operator=(context&& other) noexcept;
  ~context();

  tls::role role() const { return role_; }
  // The default server name for client engines (client_config::server_name).
  const std::string& server_name() const { return server_name_; }
  bool verify_peer() const { return verify_peer_; }
  ssl_ctx_st* native_handle() const { return ctx_; }

 private:
  context(ssl_ctx_st* ctx, tls::role r) : ctx_(ctx), role_(r) {}

  ssl_ctx_st* ctx_ = nullptr;
  tls::role role_ = tls::role::client;
  std::string server_name_;
  bool verify_peer_ = true;
};

// ALPN wire format (RFC 7301 §3.1): each protocol as a length byte then its bytes. Returns false
// for an empty or > 255-byte name.
bool encode_alpn(const std::vector<std::string>& protocols, std::string& out);

}  // namespace mailtls::tls
