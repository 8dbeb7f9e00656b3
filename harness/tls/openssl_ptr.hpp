// RAII owners for OpenSSL objects (internal to harness/tls; the public headers do not need it).
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace mailtls::tls::detail {

template <auto Free>
struct openssl_deleter {
  template <class T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using bio_ptr = std::unique_ptr<BIO, openssl_deleter<&BIO_free_all>>;
using bignum_ptr = std::unique_ptr<BIGNUM, openssl_deleter<&BN_free>>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<&EVP_PKEY_free>>;
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, openssl_deleter<&EVP_PKEY_CTX_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_deleter<&X509_free>>;
using x509_ext_ptr = std::unique_ptr<X509_EXTENSION, openssl_deleter<&X509_EXTENSION_free>>;
using x509_name_ptr = std::unique_ptr<X509_NAME, openssl_deleter<&X509_NAME_free>>;
using x509_store_ptr = std::unique_ptr<X509_STORE, openssl_deleter<&X509_STORE_free>>;
using x509_store_ctx_ptr = std::unique_ptr<X509_STORE_CTX, openssl_deleter<&X509_STORE_CTX_free>>;
using asn1_integer_ptr = std::unique_ptr<ASN1_INTEGER, openssl_deleter<&ASN1_INTEGER_free>>;
using asn1_octets_ptr =
    std::unique_ptr<ASN1_OCTET_STRING, openssl_deleter<&ASN1_OCTET_STRING_free>>;
using general_names_ptr = std::unique_ptr<GENERAL_NAMES, openssl_deleter<&GENERAL_NAMES_free>>;

struct x509_stack_deleter {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_pop_free(s, X509_free); }
};
using x509_stack_ptr = std::unique_ptr<STACK_OF(X509), x509_stack_deleter>;

}  // namespace mailtls::tls::detail
