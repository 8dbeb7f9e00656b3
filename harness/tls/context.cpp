#include "tls/context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cstring>
#include <memory>
#include <utility>

#include "tls/openssl_ptr.hpp"

namespace mailtls::tls {
namespace {

int openssl_version(tls_version v) {
  switch (v) {
    case tls_version::tls1_0:
      return TLS1_VERSION;
    case tls_version::tls1_1:
      return TLS1_1_VERSION;
    case tls_version::tls1_2:
      return TLS1_2_VERSION;
    case tls_version::tls1_3:
      return TLS1_3_VERSION;
  }
  return TLS1_3_VERSION;
}

template <class T>
result<T> fail(errc e, std::string what) {
  const std::string queue = drain_openssl_errors();
  if (!queue.empty()) what += ": " + queue;
  return result<T>::fail(e, std::move(what));
}

// The server's ALPN list (wire format) lives in the SSL_CTX's ex data, so it lives exactly as
// long as the SSL_CTX, whichever context copy or engine holds it last.
void free_alpn(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<std::string*>(ptr);
}

int alpn_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, &free_alpn);
  return index;
}

// RFC 7301 §3.2: pick the first of our protocols the client offered; if it offered none of them,
// fail with no_application_protocol (OpenSSL sends that alert for SSL_TLSEXT_ERR_ALERT_FATAL).
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in,
                unsigned int in_len, void* arg) {
  const auto* ours = static_cast<const std::string*>(arg);
  for (std::size_t i = 0; i < ours->size();) {
    const auto len = static_cast<unsigned char>((*ours)[i]);
    const char* name = ours->data() + i + 1;
    for (unsigned int j = 0; j < in_len;) {
      const unsigned char offered = in[j];
      if (j + 1u + offered > in_len) break;  // malformed list: OpenSSL checks it before us
      if (offered == len && std::memcmp(in + j + 1, name, len) == 0) {
        *out = in + j + 1;
        *out_len = offered;
        return SSL_TLSEXT_ERR_OK;
      }
      j += 1u + offered;
    }
    i += 1u + len;
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

bool set_versions(SSL_CTX* ctx, tls_version lo, tls_version hi) {
  return lo <= hi && SSL_CTX_set_min_proto_version(ctx, openssl_version(lo)) == 1 &&
         SSL_CTX_set_max_proto_version(ctx, openssl_version(hi)) == 1;
}

bool load_chain_pem(SSL_CTX* ctx, const std::string& pem) {
  detail::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return false;
  detail::x509_ptr leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) return false;
  while (detail::x509_ptr extra{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    if (SSL_CTX_add1_chain_cert(ctx, extra.get()) != 1) return false;
  }
  ERR_clear_error();  // the loop ends on "no start line"
  return true;
}

bool load_key_pem(SSL_CTX* ctx, const std::string& pem) {
  detail::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return false;
  detail::pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  return key && SSL_CTX_use_PrivateKey(ctx, key.get()) == 1;
}

bool load_ca_pem(SSL_CTX* ctx, const std::string& pem) {
  detail::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return false;
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int loaded = 0;
  while (detail::x509_ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    if (X509_STORE_add_cert(store, cert.get()) != 1) return false;
    ++loaded;
  }
  ERR_clear_error();
  return loaded > 0;
}

}  // namespace

const char* to_string(tls_version v) noexcept {
  switch (v) {
    case tls_version::tls1_0:
      return "TLSv1";
    case tls_version::tls1_1:
      return "TLSv1.1";
    case tls_version::tls1_2:
      return "TLSv1.2";
    case tls_version::tls1_3:
      return "TLSv1.3";
  }
  return "?";
}

bool encode_alpn(const std::vector<std::string>& protocols, std::string& out) {
  out.clear();
  for (const auto& p : protocols) {
    if (p.empty() || p.size() > 255) return false;
    out += static_cast<char>(p.size());
    out += p;
  }
  return true;
}

server_config weakened_server_config(server_config base) {
  base.min_version = tls_version::tls1_0;
  base.max_version = tls_version::tls1_3;
  base.cipher_list = legacy_ciphers;
  base.security_level = 0;
  return base;
}

context::context(const context& other) noexcept
    : ctx_(other.ctx_),
      role_(other.role_),
      server_name_(other.server_name_),
      verify_peer_(other.verify_peer_) {
  if (ctx_ != nullptr) SSL_CTX_up_ref(ctx_);
}

context& context::operator=(const context& other) noexcept {
  if (this != &other) {
    context copy(other);
    *this = std::move(copy);
  }
  return *this;
}

context::context(context&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)),
      role_(other.role_),
      server_name_(std::move(other.server_name_)),
      verify_peer_(other.verify_peer_) {}

context& context::operator=(context&& other) noexcept {
  if (this != &other) {
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    role_ = other.role_;
    server_name_ = std::move(other.server_name_);
    verify_peer_ = other.verify_peer_;
  }
  return *this;
}

context::~context() {
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
}

result<context> context::make_server(const server_config& config) {
  ERR_clear_error();
  SSL_CTX* raw = SSL_CTX_new(TLS_server_method());
  if (raw == nullptr) return fail<context>(errc::openssl_failure, "SSL_CTX_new");
  context ctx(raw, role::server);

  if (!set_versions(raw, config.min_version, config.max_version)) {
    return fail<context>(errc::invalid_config, "protocol version range");
  }
  if (SSL_CTX_set_cipher_list(raw, config.cipher_list.c_str()) != 1) {
    return fail<context>(errc::cipher_config_rejected,
                         "cipher_list \"" + config.cipher_list + "\"");
  }
  if (SSL_CTX_set_ciphersuites(raw, config.ciphersuites.c_str()) != 1) {
    return fail<context>(errc::cipher_config_rejected,
                         "ciphersuites \"" + config.ciphersuites + "\"");
  }
  SSL_CTX_set_security_level(raw, config.security_level);

  // RFC 9325 §3.3 (no compression), §3.5 (renegotiation: we never allow it).
  uint64_t options = SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION;
  if (config.prefer_server_ciphers) options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  if (!config.session_tickets) options |= SSL_OP_NO_TICKET;
  SSL_CTX_set_options(raw, options);
  // An idle mail connection (IMAP IDLE, a parked SMTP session) keeps no record buffers: OpenSSL
  // frees them between records (about 40 KiB per connection otherwise).
  SSL_CTX_set_mode(raw, SSL_MODE_RELEASE_BUFFERS);
  if (!config.session_tickets) SSL_CTX_set_num_tickets(raw, 0);
  static constexpr unsigned char sid_ctx[] = "mailtls";
  SSL_CTX_set_session_id_context(raw, sid_ctx, sizeof sid_ctx - 1);

  if (!config.certificate_chain_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(raw, config.certificate_chain_file.c_str()) != 1) {
      return fail<context>(errc::certificate_load_failed, config.certificate_chain_file);
    }
  } else if (!load_chain_pem(raw, config.certificate_chain_pem)) {
    return fail<context>(errc::certificate_load_failed, "certificate_chain_pem");
  }
  if (!config.private_key_file.empty()) {
    if (SSL_CTX_use_PrivateKey_file(raw, config.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      return fail<context>(errc::private_key_load_failed, config.private_key_file);
    }
  } else if (!load_key_pem(raw, config.private_key_pem)) {
    return fail<context>(errc::private_key_load_failed, "private_key_pem");
  }
  if (SSL_CTX_check_private_key(raw) != 1) {
    return fail<context>(errc::private_key_load_failed, "key does not match the certificate");
  }

  if (!config.alpn.empty()) {
    auto wire = std::make_unique<std::string>();
    if (!encode_alpn(config.alpn, *wire)) return fail<context>(errc::invalid_config, "alpn");
    if (SSL_CTX_set_ex_data(raw, alpn_index(), wire.get()) != 1) {
      return fail<context>(errc::openssl_failure, "SSL_CTX_set_ex_data");
    }
    SSL_CTX_set_alpn_select_cb(raw, &select_alpn, wire.release());
  }
  return result<context>::ok(std::move(ctx));
}

result<context> context::make_client(const client_config& config) {
  ERR_clear_error();
  SSL_CTX* raw = SSL_CTX_new(TLS_client_method());
  if (raw == nullptr) return fail<context>(errc::openssl_failure, "SSL_CTX_new");
  context ctx(raw, role::client);
  ctx.server_name_ = config.server_name;
  ctx.verify_peer_ = config.verify_peer;

  if (!set_versions(raw, config.min_version, config.max_version)) {
    return fail<context>(errc::invalid_config, "protocol version range");
  }
  const bool legacy = config.max_version < tls_version::tls1_2;
  std::string ciphers = config.cipher_list;
  if (ciphers.empty() && legacy) ciphers = legacy_ciphers;
  if (!ciphers.empty() && SSL_CTX_set_cipher_list(raw, ciphers.c_str()) != 1) {
    return fail<context>(errc::cipher_config_rejected, "cipher_list \"" + ciphers + "\"");
  }
  if (!config.ciphersuites.empty() &&
      SSL_CTX_set_ciphersuites(raw, config.ciphersuites.c_str()) != 1) {
    return fail<context>(errc::cipher_config_rejected,
                         "ciphersuites \"" + config.ciphersuites + "\"");
  }
  // After the cipher list: "@SECLEVEL=n" in it sets the level too; an explicit level wins.
  if (config.security_level) {
    SSL_CTX_set_security_level(raw, *config.security_level);
  } else if (legacy) {
    SSL_CTX_set_security_level(raw, 0);
  }
  SSL_CTX_set_options(raw, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);

  if (!config.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(raw, config.ca_file.c_str(), nullptr) != 1) {
      return fail<context>(errc::ca_load_failed, config.ca_file);
    }
  } else if (!config.ca_pem.empty()) {
    if (!load_ca_pem(raw, config.ca_pem)) return fail<context>(errc::ca_load_failed, "ca_pem");
  } else if (SSL_CTX_set_default_verify_paths(raw) != 1) {
    return fail<context>(errc::ca_load_failed, "default verify paths");
  }
  // Verification always runs (the result is reported); VERIFY_PEER makes failure fatal.
  SSL_CTX_set_verify(raw, config.verify_peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);

  if (!config.alpn.empty()) {
    std::string wire;
    if (!encode_alpn(config.alpn, wire)) return fail<context>(errc::invalid_config, "alpn");
    // Returns 0 on success, unlike most of OpenSSL.
    if (SSL_CTX_set_alpn_protos(raw, reinterpret_cast<const unsigned char*>(wire.data()),
                                static_cast<unsigned int>(wire.size())) != 0) {
      return fail<context>(errc::openssl_failure, "SSL_CTX_set_alpn_protos");
    }
  }
  // Clients keep sessions for resumption through engine::session() (no internal cache).
  SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_OFF);
  return result<context>::ok(std::move(ctx));
}

}  // namespace mailtls::tls
