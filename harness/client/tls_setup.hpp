// Internal to harness/client: how a start_tls action becomes a client TLS context and engine, and
// how an engine's outcome becomes the runner's tls_facts.
//
// Contexts are cached per distinct option set (trust anchors, verify, version range, ciphers):
// one SSL_CTX per run is typical, shared by every connection that uses the same options, so
// 1,000 sessions load the CA file once. The name to check (SNI) is per engine, not per context.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "client/driver.hpp"
#include "runner/action.hpp"
#include "runner/result.hpp"
#include "tls/context.hpp"
#include "tls/engine.hpp"

namespace mailtls::client::detail {

// The client_config for a handshake: the action's options over the run's defaults.
//   verify      action.verify, else defaults.verify
//   ca_file     defaults.ca_file (empty: the system's CA store)
//   max         action.max, `any` = TLS 1.3
//   min         action.min; `any` = TLS 1.2 (the client's default floor, RFC 8996 deprecates
//               1.0/1.1), or TLS 1.0 when max is below 1.2 so `max TLS1.1` alone still works
//   ciphers     action.ciphers as the OpenSSL cipher list (TLS <= 1.2)
//   alpn        action.alpn, offered in order (RFC 7301); empty: no ALPN extension
// A range that reaches below TLS 1.2 gets security level 0 and OpenSSL's legacy cipher list
// (unless ciphers are given): OpenSSL 3 refuses TLS 1.0/1.1 otherwise.
tls::client_config make_client_config(const runner::start_tls& action,
                                      const tls_defaults& defaults);

// SNI and the name to verify: action.sni, else defaults.server_name, else the job's host. An
// explicit empty sni disables both (tls::engine_options::server_name).
std::string server_name_for(const runner::start_tls& action, const job& j);

class context_cache {
 public:
  // The context for these options, created on first use (failures are cached too: a bad CA
  // file is reported the same way by every connection, and read once).
  const tls::result<tls::context>& get(const runner::start_tls& action,
                                       const tls_defaults& defaults);
  std::size_t size() const { return contexts_.size(); }

 private:
  // ca_file, verify, min, max, cipher list, ALPN (wire form): everything make_client_config()
  // derives.
  using key = std::tuple<std::string, bool, int, int, std::string, std::string>;
  std::map<key, tls::result<tls::context>> contexts_;
};

// What the handshake showed (after success or failure). `failure` is set when not established:
// OpenSSL's reason, and the peer's alert when one arrived.
runner::tls_facts facts_from(const tls::engine& engine, bool implicit);

// Facts for a handshake that could not even start (bad options, no connection).
runner::tls_facts failed_facts(std::string failure, bool implicit);

}  // namespace mailtls::client::detail
