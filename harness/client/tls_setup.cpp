#include "client/tls_setup.hpp"

#include <openssl/ssl.h>

#include <ctime>
#include <utility>

#include "runner/cert_check.hpp"

namespace mailtls::client::detail {
namespace {

tls::tls_version to_version(runner::tls_version_limit l) {
  switch (l) {
    case runner::tls_version_limit::tls1_0:
      return tls::tls_version::tls1_0;
    case runner::tls_version_limit::tls1_1:
      return tls::tls_version::tls1_1;
    case runner::tls_version_limit::tls1_2:
      return tls::tls_version::tls1_2;
    case runner::tls_version_limit::any:
    case runner::tls_version_limit::tls1_3:
      break;
  }
  return tls::tls_version::tls1_3;
}

}  // namespace

tls::client_config make_client_config(const runner::start_tls& action,
                                      const tls_defaults& defaults) {
  tls::client_config c;
  c.ca_file = defaults.ca_file;
  c.verify_peer = action.verify.value_or(defaults.verify);
  c.max_version = to_version(action.max);
  if (action.min != runner::tls_version_limit::any) {
    c.min_version = to_version(action.min);
  } else {
    c.min_version = c.max_version < tls::tls_version::tls1_2 ? tls::tls_version::tls1_0
                                                             : tls::tls_version::tls1_2;
  }
  if (action.ciphers) c.cipher_list = *action.ciphers;
  c.alpn = action.alpn;
  if (c.min_version < tls::tls_version::tls1_2) {
    // TLS 1.0/1.1 need SHA-1 (RFC 8996 §2): only reachable at OpenSSL security level 0.
    c.security_level = 0;
    if (c.cipher_list.empty()) c.cipher_list = tls::legacy_ciphers;
  }
  return c;
}

std::string server_name_for(const runner::start_tls& action, const job& j) {
  if (action.sni) return *action.sni;
  if (!j.tls.server_name.empty()) return j.tls.server_name;
  return j.host;
}

const tls::result<tls::context>& context_cache::get(const runner::start_tls& action,
                                                    const tls_defaults& defaults) {
  const tls::client_config config = make_client_config(action, defaults);
  std::string alpn;
  tls::encode_alpn(config.alpn, alpn);  // wire form: unambiguous as a key
  key k{config.ca_file,
        config.verify_peer,
        static_cast<int>(config.min_version),
        static_cast<int>(config.max_version),
        config.cipher_list,
        std::move(alpn)};
  auto it = contexts_.find(k);
  if (it != contexts_.end()) return it->second;
  auto made = tls::context::make_client(config);
  if (made) {
    // Idle connections give their 16-34 KiB read/write record buffers back (as the server side
    // does): what keeps 1,000 concurrent sessions small. Set before any engine uses the context.
    SSL_CTX_set_mode(made->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  }
  return contexts_.emplace(std::move(k), std::move(made)).first->second;
}

runner::tls_facts facts_from(const tls::engine& engine, bool implicit) {
  runner::tls_facts f;
  f.attempted = true;
  f.implicit = implicit;
  f.established = engine.handshake_done() && !engine.failed();
  const tls::session_info info = engine.info();
  f.version = info.version;
  f.cipher = info.cipher;
  f.alpn = info.alpn;
  f.verified = info.verified();
  f.verify_error = info.verify_error;
  if (!info.peer_chain.empty()) {
    const tls::certificate_summary& leaf = info.peer_chain.front();
    f.has_certificate = true;
    f.subject = leaf.subject;
    f.subject_cn = leaf.subject_cn;
    f.issuer = leaf.issuer;
    f.dns_names = leaf.dns_names;
    f.ip_addresses = leaf.ip_addresses;
    f.not_before = static_cast<std::int64_t>(leaf.not_before);
    f.not_after = static_cast<std::int64_t>(leaf.not_after);
    f.key_type = leaf.key_type;
    f.key_bits = leaf.key_bits;
    // The interpreter has no clock: the driver judges the validity period with its own.
    f.checked_at = static_cast<std::int64_t>(std::time(nullptr));
    f.time_valid = runner::check_validity(f.not_before, f.not_after, f.checked_at).ok;
  }
  if (!f.established) {
    f.failure = engine.error_reason();
    if (f.failure.empty()) {
      f.failure = engine.error() ? engine.error().message() : std::string("handshake incomplete");
    }
    const auto& alert = engine.alert_received();
    if (alert && f.failure.find(alert->text) == std::string::npos) {
      f.failure += " (peer alert: " + alert->text + ")";
    }
  }
  return f;
}

runner::tls_facts failed_facts(std::string failure, bool implicit) {
  runner::tls_facts f;
  f.attempted = true;
  f.implicit = implicit;
  f.failure = std::move(failure);
  return f;
}

}  // namespace mailtls::client::detail
