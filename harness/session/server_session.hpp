// The interface every sans-I/O server session implements (SMTP, POP3, IMAP). The net layer
// (harness/net) owns the socket, the TLS engine and the timers; it feeds events in and performs
// the actions that come out (see action.hpp). The same objects run under libFuzzer with a
// simulated TLS upgrade, so nothing here may block, sleep or touch the network.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "session/action.hpp"

namespace mailtls::session {

struct connection_facts {
  std::string peer_address;  // "127.0.0.1", "::1"
  std::uint16_t peer_port = 0;
  bool implicit_tls = false;  // the TLS handshake completed before on_connect (465, 993, 995)
};

struct tls_facts {
  std::string version;  // "TLSv1.3"
  std::string cipher;
};

class server_session {
 public:
  virtual ~server_session() = default;

  // The connection is up (and, on an implicit-TLS port, TLS is already established): greet.
  virtual void on_connect(const connection_facts& facts, actions& out) = 0;
  // Bytes from the peer (plaintext, or decrypted when TLS is up). The session consumes all of
  // them; after it has emitted start_tls it must not be given bytes until the TLS outcome.
  virtual void on_bytes(std::string_view bytes, actions& out) = 0;
  virtual void on_tls_established(const tls_facts& facts, actions& out) = 0;
  virtual void on_tls_failed(std::string_view reason, actions& out) = 0;
  // The read timeout of the last `read` action expired.
  virtual void on_timeout(actions& out) = 0;
  // The server is shutting down (SIGTERM): finish what is in flight if it can, then close.
  virtual void on_shutdown(actions& out) = 0;

  // For invariants (fuzz targets, tests, logs).
  virtual bool tls_active() const = 0;
  virtual bool authenticated() const = 0;
  virtual bool closed() const = 0;
};

}  // namespace mailtls::session
