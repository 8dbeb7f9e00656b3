// Errors of the TLS layer (mailtls::tls), and OpenSSL's error queue as diagnostic text.
//
// Every failing operation gives a tls::errc (what went wrong, stable, testable) plus a detail
// string: the OpenSSL reason (e.g. "unsupported protocol", "tlsv1 alert protocol version") or the
// file/parameter that was rejected. The detail is for humans and reports, never for matching in
// code.
#pragma once

#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "codec/error_category.hpp"

namespace mailtls::tls {

enum class errc {
  // Configuration (context, certificates, files).
  invalid_config = 1,        // a config value is out of range (e.g. min_version > max_version)
  cipher_config_rejected,    // OpenSSL matched no cipher / ciphersuite in the given string
  certificate_load_failed,   // certificate chain PEM unreadable or invalid
  private_key_load_failed,   // private key PEM unreadable, invalid, or not matching the cert
  ca_load_failed,            // trust anchors (CA file / PEM) unreadable or invalid
  key_generation_failed,     // EVP key generation failed
  certificate_build_failed,  // building or signing an X.509 certificate failed
  file_io_failed,            // reading/writing a credentials file or directory failed
  openssl_failure,           // an OpenSSL call failed for another reason (out of memory, ...)
  // Handshake and record layer (engine).
  version_mismatch,              // no common protocol version (RFC 8996: TLS 1.0/1.1 refused)
  no_shared_cipher,              // no common cipher suite
  no_application_protocol,       // ALPN: no common protocol (RFC 7301 §3.2)
  certificate_verify_failed,     // we rejected the peer's certificate (chain, expiry, host name)
  certificate_rejected_by_peer,  // the peer rejected our certificate (bad_certificate,
                                 // unknown_ca...)
  peer_alert,                    // the peer sent another fatal alert
  protocol_error,                // malformed or unexpected TLS data (garbage, plaintext, bad MAC)
  handshake_failed,              // the handshake failed for another reason
  unexpected_eof,  // the transport closed before the handshake or without close_notify
  // Use of the engine.
  input_buffer_full,   // feed_ciphertext: undelivered data would exceed engine_limits
  output_buffer_full,  // write_plaintext: unsent data would exceed engine_limits
  not_established,     // operation needs a completed handshake
  closed,              // write after shutdown(), or the engine has failed
};

}  // namespace mailtls::tls

namespace mailtls::codec {
template <>
struct errc_traits<mailtls::tls::errc> {
  static constexpr const char* name = "mailtls.tls";
  static const char* message(mailtls::tls::errc e) noexcept;
};
}  // namespace mailtls::codec

namespace mailtls::tls {

std::error_code make_error_code(errc e) noexcept;

// Drains this thread's OpenSSL error queue into one line per error, joined by "; ", e.g.
// "error:0A000102:SSL routines::unsupported protocol". Empty when the queue was empty.
std::string drain_openssl_errors();

// The reason text of the oldest queued OpenSSL error ("unsupported protocol"), without removing
// it. Empty when the queue is empty.
std::string peek_openssl_reason();

// A value or an error with its diagnostic detail (C++20 has no std::expected).
template <class T>
struct result {
  std::optional<T> value;
  std::error_code error;
  std::string detail;

  static result ok(T v) { return {std::move(v), {}, {}}; }
  static result fail(errc e, std::string why) { return {std::nullopt, e, std::move(why)}; }

  explicit operator bool() const { return value.has_value(); }
  T& operator*() { return *value; }
  const T& operator*() const { return *value; }
  T* operator->() { return &*value; }
  const T* operator->() const { return &*value; }
};

}  // namespace mailtls::tls

template <>
struct std::is_error_code_enum<mailtls::tls::errc> : std::true_type {};
