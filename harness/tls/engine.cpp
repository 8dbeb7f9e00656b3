#include "tls/engine.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "tls/openssl_ptr.hpp"

namespace mailtls::tls {
namespace {

constexpr std::size_t read_chunk = 16 * 1024;  // one TLS record's worth of plaintext

errc classify(unsigned long code, bool alert_received, bool established) {
  if (ERR_GET_LIB(code) == ERR_LIB_SSL) {
    switch (ERR_GET_REASON(code)) {
      case SSL_R_UNSUPPORTED_PROTOCOL:
      case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
      case SSL_R_NO_PROTOCOLS_AVAILABLE:
      case SSL_R_WRONG_SSL_VERSION:
      case SSL_R_VERSION_TOO_LOW:
      case SSL_R_VERSION_TOO_HIGH:
      case SSL_R_UNSUPPORTED_SSL_VERSION:
        return errc::version_mismatch;
      case SSL_R_NO_SHARED_CIPHER:
      case SSL_R_NO_CIPHERS_AVAILABLE:
      case SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM:
        return errc::no_shared_cipher;
      case SSL_R_NO_APPLICATION_PROTOCOL:
      case SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL:
        return errc::no_application_protocol;
      case SSL_R_CERTIFICATE_VERIFY_FAILED:
        return errc::certificate_verify_failed;
      case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
      case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
      case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
      case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
      case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
      case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
        return errc::certificate_rejected_by_peer;
      case SSL_R_WRONG_VERSION_NUMBER:
      case SSL_R_PACKET_LENGTH_TOO_LONG:
      case SSL_R_RECORD_LENGTH_MISMATCH:
      case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:
      case SSL_R_UNEXPECTED_MESSAGE:
      case SSL_R_UNEXPECTED_RECORD:
      case SSL_R_LENGTH_MISMATCH:
      case SSL_R_LENGTH_TOO_SHORT:
      case SSL_R_BAD_LENGTH:
      case SSL_R_BAD_PACKET_LENGTH:
      case SSL_R_BAD_RECORD_TYPE:
      case SSL_R_HTTP_REQUEST:
      case SSL_R_HTTPS_PROXY_REQUEST:
      case SSL_R_ENCRYPTED_LENGTH_TOO_LONG:
      case SSL_R_DATA_LENGTH_TOO_LONG:
      case SSL_R_BAD_EXTENSION:
      case SSL_R_EXTRA_DATA_IN_MESSAGE:
        return errc::protocol_error;
      default:
        break;
    }
  }
  if (alert_received) return errc::peer_alert;
  return established ? errc::protocol_error : errc::handshake_failed;
}

bool is_ip_literal(const std::string& name) {
  detail::asn1_octets_ptr ip(a2i_IPADDRESS(name.c_str()));
  ERR_clear_error();
  return ip != nullptr;
}

}  // namespace

tls_prefix looks_like_tls(std::string_view bytes) noexcept {
  if (bytes.empty()) return tls_prefix::need_more;
  if (static_cast<unsigned char>(bytes[0]) != 22) return tls_prefix::not_tls;  // handshake
  if (bytes.size() < 2) return tls_prefix::need_more;
  return bytes[1] == 3 ? tls_prefix::tls_handshake : tls_prefix::not_tls;  // ProtocolVersion 3.x
}

struct engine::impl {
  SSL* ssl = nullptr;
  BIO* net_in = nullptr;   // we write ciphertext from the network; SSL reads (owned by ssl)
  BIO* net_out = nullptr;  // SSL writes; we read ciphertext for the network (owned by ssl)
  tls::role role = tls::role::client;
  engine_limits limits;
  std::string plain_in;   // decrypted, not yet delivered
  std::string plain_out;  // written before the handshake completed
  bool established = false;
  bool has_failed = false;
  bool peer_closed = false;
  bool sent_close = false;
  std::error_code error;
  std::string reason;
  std::string detail;
  std::optional<alert_info> alert_received;
  std::optional<alert_info> alert_sent;
  engine_stats stats;

  ~impl() {
    if (ssl != nullptr) SSL_free(ssl);  // frees both BIOs
  }

  void fail(errc e, std::string why, std::string queue) {
    if (has_failed) return;
    has_failed = true;
    error = e;
    reason = std::move(why);
    detail = std::move(queue);
  }

  void fail_from_ssl(int ssl_error) {
    const bool fatal_alert = alert_received && alert_received->fatal;
    if (ssl_error == SSL_ERROR_SSL) {
      const unsigned long code = ERR_peek_error();
      std::string why = peek_openssl_reason();
      fail(classify(code, fatal_alert, established), std::move(why), drain_openssl_errors());
      return;
    }
    if (ssl_error == SSL_ERROR_SYSCALL || ssl_error == SSL_ERROR_ZERO_RETURN) {
      fail(errc::unexpected_eof, "unexpected eof", drain_openssl_errors());
      return;
    }
    fail(established ? errc::protocol_error : errc::handshake_failed,
         "SSL_get_error " + std::to_string(ssl_error), drain_openssl_errors());
  }

  bool write_encrypted(std::string_view bytes) {
    while (!bytes.empty()) {
      std::size_t n = 0;
      const int r = SSL_write_ex(ssl, bytes.data(), bytes.size(), &n);
      if (r != 1) {
        fail_from_ssl(SSL_get_error(ssl, r));
        return false;
      }
      bytes.remove_prefix(n);
    }
    return true;
  }

  // Drives the handshake, then decrypts into plain_in up to its limit.
  void pump() {
    if (has_failed) return;
    ERR_clear_error();
    if (!established) {
      const int r = SSL_do_handshake(ssl);
      if (r != 1) {
        const int e = SSL_get_error(ssl, r);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) fail_from_ssl(e);
        return;
      }
      established = true;
      if (!plain_out.empty()) {
        const std::string queued = std::move(plain_out);
        plain_out.clear();
        if (!write_encrypted(queued)) return;
      }
    }
    while (!peer_closed && plain_in.size() < limits.max_input_plaintext) {
      const std::size_t old = plain_in.size();
      const std::size_t want = std::min(read_chunk, limits.max_input_plaintext - old);
      plain_in.resize(old + want);
      std::size_t n = 0;
      const int r = SSL_read_ex(ssl, plain_in.data() + old, want, &n);
      plain_in.resize(old + (r == 1 ? n : 0));
      if (r == 1) continue;
      const int e = SSL_get_error(ssl, r);
      if (e == SSL_ERROR_ZERO_RETURN) {
        peer_closed = true;
      } else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
        fail_from_ssl(e);
      }
      break;
    }
  }

  static void on_info(const SSL* s, int where, int ret) {
    if ((where & SSL_CB_ALERT) == 0) return;
    auto* self = static_cast<impl*>(SSL_get_app_data(s));
    if (self == nullptr) return;
    alert_info a{(ret >> 8) == SSL3_AL_FATAL, ret & 0xff, SSL_alert_desc_string_long(ret)};
    if ((where & SSL_CB_READ) != 0) {
      self->alert_received = std::move(a);
    } else {
      self->alert_sent = std::move(a);
    }
  }

  void setup(const context& ctx, engine_options& options) {
    ERR_clear_error();
    ssl = SSL_new(ctx.native_handle());
    net_in = BIO_new(BIO_s_mem());
    net_out = BIO_new(BIO_s_mem());
    if (ssl == nullptr || net_in == nullptr || net_out == nullptr) {
      BIO_free(net_in);
      BIO_free(net_out);
      net_in = net_out = nullptr;
      fail(errc::openssl_failure, "SSL_new", drain_openssl_errors());
      return;
    }
    // An empty memory BIO means "no data yet" (retry), not EOF.
    BIO_set_mem_eof_return(net_in, -1);
    BIO_set_mem_eof_return(net_out, -1);
    SSL_set_bio(ssl, net_in, net_out);
    SSL_set_app_data(ssl, this);
    SSL_set_info_callback(ssl, &impl::on_info);
    if (role == tls::role::server) {
      SSL_set_accept_state(ssl);
      return;
    }
    SSL_set_connect_state(ssl);
    const std::string name = options.server_name ? *options.server_name : ctx.server_name();
    if (!name.empty()) {
      bool ok = true;
      if (is_ip_literal(name)) {
        // RFC 6066 §3: no IP literals in SNI; check the certificate's iPAddress SAN instead.
        ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str()) == 1;
      } else {
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        ok = SSL_set_tlsext_host_name(ssl, name.c_str()) == 1 &&
             SSL_set1_host(ssl, name.c_str()) == 1;
      }
      if (!ok) {
        fail(errc::invalid_config, "server name \"" + name + "\"", drain_openssl_errors());
        return;
      }
    }
    if (options.resume.valid() && SSL_set_session(ssl, options.resume.native_handle()) != 1) {
      fail(errc::openssl_failure, "SSL_set_session", drain_openssl_errors());
      return;
    }
    pump();  // the ClientHello is ready to take
  }
};

engine::engine(const context& ctx, engine_options options) : impl_(std::make_unique<impl>()) {
  impl_->role = ctx.role();
  impl_->limits = options.limits;
  impl_->setup(ctx, options);
}

engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;
engine::~engine() = default;

std::error_code engine::feed_ciphertext(std::string_view bytes) {
  impl& s = *impl_;
  if (s.has_failed) return s.error;
  if (BIO_ctrl_pending(s.net_in) + bytes.size() > s.limits.max_input_ciphertext) {
    return errc::input_buffer_full;
  }
  if (!bytes.empty()) {
    std::size_t n = 0;
    if (BIO_write_ex(s.net_in, bytes.data(), bytes.size(), &n) != 1 || n != bytes.size()) {
      s.fail(errc::openssl_failure, "BIO_write_ex", drain_openssl_errors());
      return s.error;
    }
    s.stats.ciphertext_in += n;
  }
  s.pump();
  return s.error;
}

std::size_t engine::take_ciphertext(std::string& out) {
  impl& s = *impl_;
  if (s.net_out == nullptr) return 0;
  const std::size_t pending = BIO_ctrl_pending(s.net_out);
  if (pending == 0) return 0;
  const std::size_t old = out.size();
  out.resize(old + pending);
  std::size_t n = 0;
  if (BIO_read_ex(s.net_out, out.data() + old, pending, &n) != 1) n = 0;
  out.resize(old + n);
  s.stats.ciphertext_out += n;
  return n;
}

std::size_t engine::pending_ciphertext() const {
  return impl_->net_out != nullptr ? BIO_ctrl_pending(impl_->net_out) : 0;
}

std::error_code engine::write_plaintext(std::string_view bytes) {
  impl& s = *impl_;
  if (s.has_failed) return s.error;
  if (s.sent_close) return errc::closed;
  if (!s.established) {
    if (s.plain_out.size() + bytes.size() > s.limits.max_output) return errc::output_buffer_full;
    s.plain_out.append(bytes);
    s.stats.plaintext_out += bytes.size();
    return {};
  }
  if (BIO_ctrl_pending(s.net_out) + bytes.size() > s.limits.max_output) {
    return errc::output_buffer_full;
  }
  ERR_clear_error();
  if (!s.write_encrypted(bytes)) return s.error;
  s.stats.plaintext_out += bytes.size();
  return {};
}

std::size_t engine::read_plaintext(std::string& out) {
  impl& s = *impl_;
  std::size_t total = 0;
  // Deliver, then decrypt what was held back by the limit, until nothing more comes.
  while (!s.plain_in.empty()) {
    out.append(s.plain_in);
    total += s.plain_in.size();
    s.plain_in.clear();
    if (s.established) s.pump();
  }
  s.stats.plaintext_in += total;
  return total;
}

std::size_t engine::pending_plaintext() const {
  return impl_->plain_in.size();
}

std::error_code engine::shutdown() {
  impl& s = *impl_;
  if (s.has_failed) return s.error;
  if (!s.established) return errc::not_established;
  if (s.sent_close) return {};
  ERR_clear_error();
  const int r = SSL_shutdown(s.ssl);
  if (r < 0) {
    s.fail_from_ssl(SSL_get_error(s.ssl, r));
    return s.error;
  }
  s.sent_close = true;
  return {};
}

std::error_code engine::transport_closed() {
  impl& s = *impl_;
  if (s.peer_closed) return {};
  s.fail(errc::unexpected_eof, "transport closed without close_notify", {});
  return s.error;
}

role engine::role() const {
  return impl_->role;
}
bool engine::handshake_done() const {
  return impl_->established;
}
bool engine::failed() const {
  return impl_->has_failed;
}
bool engine::peer_closed() const {
  return impl_->peer_closed;
}
bool engine::close_notify_sent() const {
  return impl_->sent_close;
}
std::error_code engine::error() const {
  return impl_->error;
}
const std::string& engine::error_reason() const {
  return impl_->reason;
}
const std::string& engine::error_detail() const {
  return impl_->detail;
}
const std::optional<alert_info>& engine::alert_received() const {
  return impl_->alert_received;
}
const std::optional<alert_info>& engine::alert_sent() const {
  return impl_->alert_sent;
}
const engine_stats& engine::stats() const {
  return impl_->stats;
}
ssl_st* engine::native_handle() const {
  return impl_->ssl;
}

session_info engine::info() const {
  session_info out;
  SSL* ssl = impl_->ssl;
  if (ssl == nullptr) return out;
  if (impl_->established) {
    out.version = SSL_get_version(ssl);
    if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) out.cipher = SSL_CIPHER_get_name(c);
    const unsigned char* alpn = nullptr;
    unsigned int alpn_len = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
    if (alpn != nullptr) out.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_len);
    out.resumed = SSL_session_reused(ssl) == 1;
  }
  if (const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) out.server_name = sni;
  // The client's chain includes the leaf; the server's does not.
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  X509* leaf = SSL_get0_peer_certificate(ssl);
  if (leaf != nullptr && (impl_->role == tls::role::server || chain == nullptr)) {
    out.peer_chain.push_back(summarize(leaf));
  }
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    out.peer_chain.push_back(summarize(sk_X509_value(chain, i)));
  }
  out.verify_result = SSL_get_verify_result(ssl);
  out.verify_error = X509_verify_cert_error_string(out.verify_result);
  return out;
}

tls::session engine::session() const {
  tls::session out;
  if (impl_->ssl == nullptr) return out;
  SSL_SESSION* s = SSL_get1_session(impl_->ssl);
  if (s == nullptr) return out;
  if (SSL_SESSION_is_resumable(s) != 1) {
    SSL_SESSION_free(s);
    return out;
  }
  out.s_ = std::shared_ptr<ssl_session_st>(s, &SSL_SESSION_free);
  return out;
}

}  // namespace mailtls::tls
