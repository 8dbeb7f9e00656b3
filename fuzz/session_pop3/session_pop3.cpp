// Fuzz target: the POP3 server session (reference-server/session/pop3) driven in-process with
// fuzzed client bytes and a simulated TLS upgrade.
//
// Byte 0: bit 0 listener (0: pop3/110, 1: pop3s/995 with implicit TLS); bit 1 TLS not required
// for login; bits 2-3 chunking;
// bit 4 bugs from byte 2; bit 5 small limits; bit 6 no USER; bit 7 no SASL.
// Chunking: 0 all at once, 1 chunks of byte 1 + 1 octets, 2 varying sizes 1-13, 3 byte by byte.
// Byte 1: chunk size (1-256). Byte 2: bits 0-4 the POP3 bugs (with byte-0 bit 4), bit 5 a
// timeout at the end, bit 6 a shutdown at the end, bit 7 the TLS handshake fails.
// The rest, at most 4 KiB: what the client sends (plaintext, then decrypted bytes after STLS).
//
// Invariants (std::abort):
//  - cleartext 110 without injected bugs: never authenticated() while !tls_active();
//  - no send after start_tls in the same output, and (without pop3-stls-injection)
//    on_tls_established sends nothing: plaintext read before STLS is never answered after it;
//  - after close, no action at all in that output and no send in any later one; closed() agrees;
//  - an output that neither closes nor starts TLS ends with read;
//  - the number of actions is bounded by the input size.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "session/memory_backend.hpp"
#include "session/pop3/session.hpp"

namespace {

namespace act = mailtls::session;
using mailtls::server::bug;
using mailtls::server::memory_backend;
namespace pop3 = mailtls::server::pop3;

constexpr bug pop3_bugs[] = {bug::pop3_stls_injection, bug::pop3_auth_before_tls,
                             bug::starttls_readvertised, bug::starttls_argument_accepted,
                             bug::second_starttls_accepted};

struct checker {
  bool strict_cleartext = false;  // 110, TLS required, no bugs
  bool injection = false;         // pop3-stls-injection on
  bool closed = false;            // a close action was seen
  std::size_t total = 0;

  // Returns true if the output ended with start_tls.
  bool check(const pop3::pop3_session& s, const act::actions& out, bool from_tls_established) {
    total += out.size();
    bool started_tls = false;
    for (const auto& a : out) {
      if (closed) std::abort();  // nothing after close
      if (std::holds_alternative<act::send>(a)) {
        if (started_tls) std::abort();
        if (from_tls_established && !injection) std::abort();
      } else if (std::holds_alternative<act::start_tls>(a)) {
        if (started_tls) std::abort();
        started_tls = true;
      } else if (std::holds_alternative<act::close>(a)) {
        closed = true;
      } else if (std::holds_alternative<act::read>(a) || std::holds_alternative<act::pause>(a)) {
        if (started_tls) std::abort();
      }
    }
    if (s.closed() != closed) std::abort();
    if (!out.empty() && !closed && !started_tls && !std::holds_alternative<act::read>(out.back()))
      std::abort();
    if (strict_cleartext && s.authenticated() && !s.tls_active()) std::abort();
    return started_tls;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3 || size > 4096 + 3) return 0;
  const std::uint8_t c0 = data[0];
  const std::size_t chunk = std::size_t{data[1]} + 1;
  const std::uint8_t c2 = data[2];
  const std::string_view input(reinterpret_cast<const char*>(data + 3), size - 3);

  pop3::config cfg;
  cfg.listener = (c0 & 1) != 0 ? pop3::listener_kind::pop3s : pop3::listener_kind::pop3;
  cfg.require_tls_for_auth = (c0 & 2) == 0;
  if ((c0 & 0x10) != 0) {
    for (unsigned i = 0; i < 5; ++i) {
      if ((c2 & (1u << i)) != 0) cfg.bugs.add(pop3_bugs[i]);
    }
  }
  if ((c0 & 0x20) != 0) {
    cfg.limits.max_bad_commands = 3;
    cfg.limits.max_line = 24;
    cfg.limits.max_auth_line = 64;
    cfg.limits.failed_auth_delay_ms = 0;
  }
  cfg.offer_user = (c0 & 0x40) == 0;
  cfg.offer_sasl = (c0 & 0x80) == 0;

  memory_backend backend;
  backend.add_domain("example.org");
  backend.add_user("alice@example.org", "secret");
  backend.add_user("bob@example.org", "pw");
  backend.add_message("alice@example.org", "Subject: a\r\n\r\nhello\r\n.\r\n..x\r\n");
  backend.add_message("alice@example.org", "Subject: b\r\n\r\nbody");
  backend.add_message("alice@example.org", "no header separator\n.\n");

  checker chk;
  chk.strict_cleartext =
      cfg.listener == pop3::listener_kind::pop3 && cfg.require_tls_for_auth && cfg.bugs.empty();
  chk.injection = cfg.bugs.has(bug::pop3_stls_injection);
  const bool tls_fails = (c2 & 0x80) != 0;

  pop3::pop3_session s(backend, cfg);
  act::actions out;
  s.on_connect({.peer_address = "192.0.2.1",
                .peer_port = 1110,
                .implicit_tls = cfg.listener == pop3::listener_kind::pop3s},
               out);
  chk.check(s, out, false);

  const unsigned mode = (c0 >> 2) & 3;
  std::size_t pos = 0;
  while (pos < input.size()) {
    std::size_t n = input.size() - pos;
    if (mode == 1) n = std::min(n, chunk);
    if (mode == 2) n = std::min(n, std::size_t{1} + (pos * 7 + chunk) % 13);
    if (mode == 3) n = 1;
    out.clear();
    s.on_bytes(input.substr(pos, n), out);
    pos += n;
    if (chk.check(s, out, false)) {
      // The simulated handshake: later chunks are what TLS decrypts.
      out.clear();
      if (tls_fails) {
        s.on_tls_failed("simulated", out);
      } else {
        s.on_tls_established({.version = "TLSv1.3", .cipher = "TLS_AES_128_GCM_SHA256"}, out);
      }
      // pop3-stls-injection with a second accepted STLS in the kept bytes: upgrade again (each
      // round answers a shorter remainder, so this ends).
      while (chk.check(s, out, !tls_fails)) {
        out.clear();
        s.on_tls_established({.version = "TLSv1.3", .cipher = "TLS_AES_128_GCM_SHA256"}, out);
      }
    }
    if (chk.closed) {
      out.clear();
      s.on_bytes("NOOP\r\n", out);
      if (!out.empty()) std::abort();
      break;
    }
  }
  if ((c2 & 0x20) != 0) {
    out.clear();
    s.on_timeout(out);
    chk.check(s, out, false);
  }
  if ((c2 & 0x40) != 0) {
    out.clear();
    s.on_shutdown(out);
    chk.check(s, out, false);
  }
  if (chk.total > 64 + 8 * size) std::abort();
  return 0;
}
