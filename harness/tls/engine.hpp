// tls::engine: one TLS connection (client or server) over two memory BIOs. Sans-I/O.
//
//   network --feed_ciphertext()--> [ engine ] --read_plaintext()--> application
//   network <--take_ciphertext()-- [ engine ] <--write_plaintext()-- application
//
// The engine never touches a socket. The handshake progresses implicitly on every call: a client
// engine has its ClientHello ready in take_ciphertext() right after construction; a server engine
// answers when fed one. Query handshake_done() / failed() / peer_closed() after each call, and
// always call take_ciphertext() afterwards (handshake messages, alerts and close_notify are
// written there, also when the handshake fails).
//
// STARTTLS (RFC 3207 §4.2, RFC 2595 §3.1, RFC 3501 §6.2.1): the caller creates the engine when the
// plaintext protocol says "go ahead" and feeds it ONLY bytes received after that point; any
// plaintext the line reader still holds from before (pipelined or injected commands,
// CVE-2011-0411) must be discarded or reported by the caller, never fed. Conversely, the engine
// delivers no plaintext before the handshake has completed (no 0-RTT/early data is accepted), so
// nothing read through read_plaintext() can predate the upgrade. looks_like_tls() lets a caller
// check that the first bytes fed are a TLS handshake record, not protocol text.
//
// Memory is bounded by engine_limits: undelivered ciphertext and plaintext in either direction.
// A peer (or an application) exceeding them gets input_buffer_full / output_buffer_full and the
// data is refused whole (nothing is taken), so the caller can apply back-pressure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "tls/context.hpp"
#include "tls/session_info.hpp"

struct ssl_st;          // OpenSSL's SSL
struct ssl_session_st;  // OpenSSL's SSL_SESSION

namespace mailtls::tls {

// A resumable session taken from a client engine; give it to another client engine to resume.
class session {
 public:
  session() = default;
  bool valid() const { return s_ != nullptr; }
  ssl_session_st* native_handle() const { return s_.get(); }

 private:
  friend class engine;
  std::shared_ptr<ssl_session_st> s_;
};

struct engine_limits {
  // Ciphertext fed but not yet decrypted.
  std::size_t max_input_ciphertext = 256 * 1024;
  // Decrypted plaintext not yet taken by read_plaintext(). At this level decryption pauses and the
  // ciphertext input fills up instead.
  std::size_t max_input_plaintext = 256 * 1024;
  // Ciphertext not yet taken by take_ciphertext(), or plaintext queued before the handshake ended.
  std::size_t max_output = 1024 * 1024;
};

struct engine_options {
  engine_limits limits;
  // Client: overrides context::server_name() (SNI and certificate name check); "" disables both.
  std::optional<std::string> server_name;
  // Client: offer this session for resumption.
  session resume;
};

struct alert_info {
  bool fatal = false;
  int description = 0;  // RFC 8446 §6 AlertDescription, e.g. 70 protocol_version
  std::string text;     // OpenSSL's long description, e.g. "protocol version"
};

struct engine_stats {
  std::uint64_t ciphertext_in = 0;   // bytes accepted by feed_ciphertext()
  std::uint64_t ciphertext_out = 0;  // bytes returned by take_ciphertext()
  std::uint64_t plaintext_in = 0;    // bytes returned by read_plaintext()
  std::uint64_t plaintext_out = 0;   // bytes accepted by write_plaintext()
};

enum class tls_prefix { tls_handshake, not_tls, need_more };

// Whether `bytes` (the first bytes of a stream) start like a TLS handshake record: content type 22
// and record version 3.x (RFC 8446 §5.1). Protocol text such as "EHLO" is not_tls.
tls_prefix looks_like_tls(std::string_view bytes) noexcept;

class engine {
 public:
  // The role is the context's. Construction cannot throw; an OpenSSL failure leaves the engine
  // failed() with errc::openssl_failure.
  explicit engine(const context& ctx, engine_options options = {});
  engine(engine&&) noexcept;
  engine& operator=(engine&&) noexcept;
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;
  ~engine();

  // Bytes from the network. Errors: input_buffer_full (nothing taken; read plaintext first), the
  // failure that this input caused or an earlier one (see error()).
  std::error_code feed_ciphertext(std::string_view bytes);
  // Appends the bytes to send to `out`; returns how many.
  std::size_t take_ciphertext(std::string& out);
  std::size_t pending_ciphertext() const;

  // Encrypts application data (queued, within max_output, until the handshake completes).
  // Errors: output_buffer_full (nothing taken; take ciphertext first), closed (after shutdown()),
  // the engine's failure.
  std::error_code write_plaintext(std::string_view bytes);
  // Appends decrypted application data to `out`; returns how many bytes.
  std::size_t read_plaintext(std::string& out);
  std::size_t pending_plaintext() const;

  // Sends close_notify (RFC 8446 §6.1). Errors: not_established, the engine's failure.
  std::error_code shutdown();
  // The transport reached EOF. Before the peer's close_notify this is a truncation: the engine
  // fails with unexpected_eof (returned); after it, nothing happens.
  std::error_code transport_closed();

  tls::role role() const;
  bool handshake_done() const;
  bool failed() const;
  bool peer_closed() const;        // the peer's close_notify arrived
  bool close_notify_sent() const;  // shutdown() was called successfully
  std::error_code error() const;   // the failure (empty if none)
  // OpenSSL's reason for the failure ("unsupported protocol", "certificate verify failed"), and
  // the whole error queue at that time.
  const std::string& error_reason() const;
  const std::string& error_detail() const;
  const std::optional<alert_info>& alert_received() const;  // last alert from the peer
  const std::optional<alert_info>& alert_sent() const;      // last alert we sent

  // Negotiated parameters (complete once handshake_done(); partial, e.g. the verification
  // result, after a failed handshake).
  session_info info() const;
  // Client, after the handshake (TLS 1.3: after the NewSessionTicket has been read): the session
  // to resume, or an invalid one if the server gave none.
  tls::session session() const;
  const engine_stats& stats() const;
  ssl_st* native_handle() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mailtls::tls
