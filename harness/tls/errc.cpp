#include "tls/errc.hpp"

#include <openssl/err.h>

namespace mailtls::codec {

const char* errc_traits<mailtls::tls::errc>::message(mailtls::tls::errc e) noexcept {
  using mailtls::tls::errc;
  switch (e) {
    case errc::invalid_config:
      return "invalid TLS configuration";
    case errc::cipher_config_rejected:
      return "cipher configuration rejected";
    case errc::certificate_load_failed:
      return "cannot load certificate chain";
    case errc::private_key_load_failed:
      return "cannot load private key";
    case errc::ca_load_failed:
      return "cannot load trust anchors";
    case errc::key_generation_failed:
      return "key generation failed";
    case errc::certificate_build_failed:
      return "certificate generation failed";
    case errc::file_io_failed:
      return "credentials file I/O failed";
    case errc::openssl_failure:
      return "OpenSSL call failed";
    case errc::version_mismatch:
      return "no common TLS version";
    case errc::no_shared_cipher:
      return "no shared cipher suite";
    case errc::no_application_protocol:
      return "no common application protocol (ALPN)";
    case errc::certificate_verify_failed:
      return "peer certificate verification failed";
    case errc::certificate_rejected_by_peer:
      return "peer rejected our certificate";
    case errc::peer_alert:
      return "fatal alert from peer";
    case errc::protocol_error:
      return "TLS protocol error";
    case errc::handshake_failed:
      return "TLS handshake failed";
    case errc::unexpected_eof:
      return "transport closed without close_notify";
    case errc::input_buffer_full:
      return "TLS input buffer limit reached";
    case errc::output_buffer_full:
      return "TLS output buffer limit reached";
    case errc::not_established:
      return "TLS session not established";
    case errc::closed:
      return "TLS session closed";
  }
  return "unknown TLS error";
}

}  // namespace mailtls::codec

namespace mailtls::tls {

std::error_code make_error_code(errc e) noexcept {
  return codec::make_codec_error(e);
}

std::string drain_openssl_errors() {
  std::string out;
  char buf[256];
  while (const unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out;
}

std::string peek_openssl_reason() {
  const unsigned long e = ERR_peek_error();
  if (e == 0) return {};
  const char* r = ERR_reason_error_string(e);
  if (r != nullptr) return r;
  return "reason " + std::to_string(ERR_GET_REASON(e));
}

}  // namespace mailtls::tls
