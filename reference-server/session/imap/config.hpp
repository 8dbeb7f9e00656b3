// Configuration of the IMAP server session (reference-server/session/imap): which listener it
// serves, the login policy, the limits and the injected bugs.
#pragma once

#include <cstdint>
#include <string>

#include "codec/imap/limits.hpp"
#include "session/bugs.hpp"

namespace mailtls::server::imap {

enum class listener_kind : std::uint8_t {
  imap,   // 143: cleartext, STARTTLS (RFC 9051 §6.2.1, RFC 2595 §3)
  imaps,  // 993: implicit TLS (RFC 8314 §3.3)
};

const char* to_string(listener_kind k) noexcept;

struct imap_session_limits {
  // Autologout timer (RFC 9051 §5.4: at least 30 minutes); also the timeout of IDLE.
  std::uint32_t idle_timeout_ms = 1'800'000;
  // BAD replies before "* BYE Too many invalid commands" and close.
  std::uint32_t max_bad_commands = 10;
  // Pause before a failed LOGIN/AUTHENTICATE reply.
  std::uint32_t failed_auth_delay_ms = 1000;
  // Largest message APPEND accepts; the command parser's max_literal is capped to it.
  std::uint64_t max_message_size = 16u << 20;
  // APPEND and COPY refuse with "NO [OVERQUOTA]" (RFC 5530 §3) once the target mailbox holds
  // this many messages (a stand-in for a quota: COPY 1:* into the same mailbox doubles it).
  std::size_t max_mailbox_messages = 1u << 20;
  // Command framing bounds (line length, literal and command size, nesting).
  codec::imap::imap_limits parser = codec::imap::imap_limits::commands();
};

struct imap_config {
  listener_kind listener = listener_kind::imap;
  std::string host_name = "localhost";
  // LOGIN/AUTHENTICATE only under TLS (RFC 9051 §6.2.3, RFC 8314 §5): LOGINDISABLED before TLS
  // and "NO [PRIVACYREQUIRED]" to a plaintext attempt.
  bool require_tls_for_login = true;
  imap_session_limits limits{};
  bug_set bugs{};

  // The defaults for a listener: 143 requires STARTTLS before login; 993 is TLS from the start.
  static imap_config for_listener(listener_kind k, std::string host = "localhost");
};

}  // namespace mailtls::server::imap
