#include "tls/session_info.hpp"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdio>
#include <ctime>

#include "tls/openssl_ptr.hpp"

namespace mailtls::tls {
namespace {

std::string name_string(const X509_NAME* name) {
  if (name == nullptr) return {};
  detail::bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string common_name(const X509_NAME* name) {
  if (name == nullptr) return {};
  int last = -1;
  for (int i = -1; (i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0;)
    last = i;
  if (last < 0) return {};
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
  unsigned char* utf8 = nullptr;
  const int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) return {};
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

std::time_t to_time_t(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return timegm(&tm);
}

std::string ip_string(const ASN1_OCTET_STRING* ip) {
  const unsigned char* b = ASN1_STRING_get0_data(ip);
  const int len = ASN1_STRING_length(ip);
  std::array<char, 64> buf{};
  if (len == 4) {
    std::snprintf(buf.data(), buf.size(), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return buf.data();
  }
  if (len == 16) {
    // Plain eight-group form; a::1 style compression is not needed for reports.
    std::string out;
    for (int i = 0; i < 16; i += 2) {
      std::snprintf(buf.data(), buf.size(), "%x", static_cast<unsigned>((b[i] << 8) | b[i + 1]));
      if (!out.empty()) out += ':';
      out += buf.data();
    }
    return out;
  }
  return "invalid-ip-length-" + std::to_string(len);
}

void read_sans(X509* cert, certificate_summary& out) {
  detail::general_names_ptr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_DNS) {
      const ASN1_IA5STRING* s = gn->d.dNSName;
      out.dns_names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                 static_cast<std::size_t>(ASN1_STRING_length(s)));
    } else if (gn->type == GEN_IPADD) {
      out.ip_addresses.push_back(ip_string(gn->d.iPAddress));
    }
  }
}

std::string key_type_name(const EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return "RSA";
    case EVP_PKEY_EC:
      return "EC";
    case EVP_PKEY_ED25519:
      return "Ed25519";
    case EVP_PKEY_ED448:
      return "Ed448";
    case EVP_PKEY_DSA:
      return "DSA";
    default:
      return "unknown";
  }
}

}  // namespace

certificate_summary summarize(x509_st* cert) {
  certificate_summary out;
  if (cert == nullptr) return out;
  out.subject = name_string(X509_get_subject_name(cert));
  out.subject_cn = common_name(X509_get_subject_name(cert));
  out.issuer = name_string(X509_get_issuer_name(cert));
  read_sans(cert, out);
  out.not_before = to_time_t(X509_get0_notBefore(cert));
  out.not_after = to_time_t(X509_get0_notAfter(cert));
  if (const EVP_PKEY* key = X509_get0_pubkey(cert)) {
    out.key_type = key_type_name(key);
    out.key_bits = EVP_PKEY_get_bits(key);
  }
  const char* sig = OBJ_nid2ln(X509_get_signature_nid(cert));
  out.signature_algorithm = sig != nullptr ? sig : "unknown";
  if (detail::bignum_ptr serial{ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)}) {
    if (char* hex = BN_bn2hex(serial.get())) {
      out.serial_hex = hex;
      OPENSSL_free(hex);
    }
  }
  out.is_ca = X509_check_ca(cert) == 1;
  return out;
}

}  // namespace mailtls::tls
