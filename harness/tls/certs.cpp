#include "tls/certs.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <array>
#include <utility>

#include "tls/openssl_ptr.hpp"

namespace mailtls::tls {
namespace {

template <class T>
result<T> fail(errc e, std::string what) {
  const std::string queue = drain_openssl_errors();
  if (!queue.empty()) what += ": " + queue;
  return result<T>::fail(e, std::move(what));
}

detail::pkey_ptr generate_key(key_type type) {
  switch (type) {
    case key_type::ec_p256:
      return detail::pkey_ptr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    case key_type::rsa_2048:
      return detail::pkey_ptr(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
    case key_type::ed25519:
      return detail::pkey_ptr(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  }
  return nullptr;
}

// RFC 5280 §4.1.2.2: positive, at most 20 octets; 128 random bits (top bit cleared: positive).
bool set_random_serial(X509* cert) {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return false;
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x40);  // positive, full length
  detail::bignum_ptr bn(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  return bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

bool add_extension(X509* cert, X509V3_CTX* v3, int nid, const std::string& value) {
  detail::x509_ext_ptr ext(X509V3_EXT_nconf_nid(nullptr, v3, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

struct cert_spec {
  std::string common_name;
  std::chrono::seconds not_before{};
  std::chrono::seconds not_after{};
  std::vector<std::pair<int, std::string>> extensions;  // in order; SKI/AKI appended
};

// Builds and signs a certificate for `key`; self-signed when issuer is null.
detail::x509_ptr build(const cert_spec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  detail::x509_ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      !set_random_serial(cert.get())) {
    return nullptr;
  }
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()),
                      static_cast<long>(spec.not_before.count())) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(spec.not_after.count())) ==
          nullptr) {
    return nullptr;
  }
  detail::x509_name_ptr name(X509_NAME_new());
  if (!name ||
      X509_NAME_add_entry_by_txt(name.get(), "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("mailtls"), -1, -1,
                                 0) != 1 ||
      (!spec.common_name.empty() &&
       X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_UTF8,
                                  reinterpret_cast<const unsigned char*>(spec.common_name.c_str()),
                                  -1, -1, 0) != 1)) {
    return nullptr;
  }
  if (X509_set_subject_name(cert.get(), name.get()) != 1 ||
      X509_set_issuer_name(cert.get(),
                           issuer != nullptr ? X509_get_subject_name(issuer) : name.get()) != 1 ||
      X509_set_pubkey(cert.get(), key) != 1) {
    return nullptr;
  }
  X509V3_CTX v3;
  X509V3_set_ctx(&v3, issuer != nullptr ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : spec.extensions) {
    if (!add_extension(cert.get(), &v3, nid, value)) return nullptr;
  }
  // RFC 5280 §4.2.1.2 / §4.2.1.1 (the SKI first: a self-signed AKI refers to it).
  if (!add_extension(cert.get(), &v3, NID_subject_key_identifier, "hash") ||
      !add_extension(cert.get(), &v3, NID_authority_key_identifier, "keyid:always")) {
    return nullptr;
  }
  // Ed25519 signs without a separate digest.
  const EVP_MD* md = EVP_PKEY_get_base_id(issuer_key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  if (X509_sign(cert.get(), issuer_key, md) <= 0) return nullptr;
  return cert;
}

bool to_pem(X509* cert, EVP_PKEY* key, credentials& out) {
  detail::bio_ptr cb(BIO_new(BIO_s_mem()));
  detail::bio_ptr kb(BIO_new(BIO_s_mem()));
  if (!cb || !kb || PEM_write_bio_X509(cb.get(), cert) != 1 ||
      PEM_write_bio_PrivateKey(kb.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return false;
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(cb.get(), &data);
  out.certificate_pem.assign(data, static_cast<std::size_t>(n));
  n = BIO_get_mem_data(kb.get(), &data);
  out.private_key_pem.assign(data, static_cast<std::size_t>(n));
  return true;
}

detail::x509_ptr read_cert(const std::string& pem) {
  detail::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return detail::x509_ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

std::string join_sans(const leaf_options& o) {
  std::string out;
  for (const auto& d : o.dns_names)
    out += (out.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : o.ip_addresses)
    out += (out.empty() ? "IP:" : ",IP:") + ip;
  return out;
}

}  // namespace

leaf_options leaf_for_host(const std::string& host_name, key_type key) {
  leaf_options o;
  o.dns_names = {host_name};
  o.key = key;
  return o;
}

result<credentials> generate_private_ca(const ca_options& options) {
  ERR_clear_error();
  detail::pkey_ptr key = generate_key(options.key);
  if (!key) return fail<credentials>(errc::key_generation_failed, "CA key");
  const cert_spec spec{options.common_name,
                       options.not_before,
                       options.not_after,
                       {{NID_basic_constraints, "critical,CA:TRUE"},
                        {NID_key_usage, "critical,keyCertSign,cRLSign"}}};
  detail::x509_ptr cert = build(spec, key.get(), nullptr, key.get());
  credentials out;
  if (!cert || !to_pem(cert.get(), key.get(), out)) {
    return fail<credentials>(errc::certificate_build_failed, "CA certificate");
  }
  return result<credentials>::ok(std::move(out));
}

namespace {

// A leaf signed by `ca`, or self-signed when `ca` is null.
result<credentials> make_leaf(const credentials* ca, const leaf_options& options) {
  detail::x509_ptr ca_cert;
  detail::pkey_ptr ca_key;
  if (ca != nullptr) {
    ca_cert = read_cert(ca->certificate_pem);
    if (!ca_cert) return fail<credentials>(errc::certificate_load_failed, "CA certificate");
    detail::bio_ptr kb(
        BIO_new_mem_buf(ca->private_key_pem.data(), static_cast<int>(ca->private_key_pem.size())));
    ca_key.reset(kb ? PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!ca_key || X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
      return fail<credentials>(errc::private_key_load_failed, "CA key");
    }
  }
  if (options.dns_names.empty() && options.ip_addresses.empty()) {
    return result<credentials>::fail(errc::invalid_config, "leaf without any name");
  }
  detail::pkey_ptr key = generate_key(options.key);
  if (!key) return fail<credentials>(errc::key_generation_failed, "leaf key");

  cert_spec spec{options.common_name, options.not_before, options.not_after, {}};
  if (spec.common_name.empty()) {
    spec.common_name =
        options.dns_names.empty() ? options.ip_addresses.front() : options.dns_names.front();
  }
  // RSA keys may also encipher (TLS 1.2 RSA key transport is not offered, but clients may check).
  const std::string usage = options.key == key_type::rsa_2048
                                ? "critical,digitalSignature,keyEncipherment"
                                : "critical,digitalSignature";
  spec.extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                     {NID_key_usage, usage},
                     {NID_ext_key_usage, "serverAuth"},
                     {NID_subject_alt_name, join_sans(options)}};
  // Self-signed: the leaf signs itself.
  detail::x509_ptr cert =
      build(spec, key.get(), ca_cert.get(), ca != nullptr ? ca_key.get() : key.get());
  credentials out;
  if (!cert || !to_pem(cert.get(), key.get(), out)) {
    return fail<credentials>(errc::certificate_build_failed, "leaf certificate");
  }
  return result<credentials>::ok(std::move(out));
}

}  // namespace

result<credentials> issue_leaf(const credentials& ca, const leaf_options& options) {
  ERR_clear_error();
  return make_leaf(&ca, options);
}

result<credentials> generate_self_signed_leaf(const leaf_options& options) {
  ERR_clear_error();
  return make_leaf(nullptr, options);
}

long verify_certificate(const std::string& chain_pem, const std::string& ca_pem,
                        const std::string& host_name, std::string* reason) {
  ERR_clear_error();
  auto finish = [&](long code) {
    if (reason != nullptr) *reason = X509_verify_cert_error_string(code);
    ERR_clear_error();
    return code;
  };
  detail::x509_store_ptr store(X509_STORE_new());
  detail::x509_stack_ptr untrusted(sk_X509_new_null());
  if (!store || !untrusted) return finish(X509_V_ERR_OUT_OF_MEM);
  {
    detail::bio_ptr bio(BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size())));
    int n = 0;
    while (detail::x509_ptr c{bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)
                                  : nullptr}) {
      if (X509_STORE_add_cert(store.get(), c.get()) != 1) return finish(X509_V_ERR_UNSPECIFIED);
      ++n;
    }
    if (n == 0) return finish(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  }
  detail::bio_ptr bio(BIO_new_mem_buf(chain_pem.data(), static_cast<int>(chain_pem.size())));
  detail::x509_ptr leaf(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!leaf) return finish(X509_V_ERR_UNSPECIFIED);
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    if (sk_X509_push(untrusted.get(), c) <= 0) {
      X509_free(c);
      return finish(X509_V_ERR_OUT_OF_MEM);
    }
  }
  detail::x509_store_ctx_ptr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get()) != 1) {
    return finish(X509_V_ERR_OUT_OF_MEM);
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  if (!host_name.empty()) {
    detail::asn1_octets_ptr ip(a2i_IPADDRESS(host_name.c_str()));
    const int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host_name.c_str())
                      : X509_VERIFY_PARAM_set1_host(param, host_name.c_str(), 0);
    if (ok != 1) return finish(X509_V_ERR_UNSPECIFIED);
  }
  if (X509_verify_cert(ctx.get()) == 1) return finish(X509_V_OK);
  return finish(X509_STORE_CTX_get_error(ctx.get()));
}

}  // namespace mailtls::tls
