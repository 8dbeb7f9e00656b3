// Fuzz target: the IMAP server session (reference-server/session/imap) driven in-process.
// Input: byte 0 picks the listener (bit 0: 993) and optionally one injected bug (bit 6 set: bug
// number bits 0-4 >> 1); byte 1 the chunk size (0: whole input); the rest is what the client
// sends. start_tls is answered at once with on_tls_established; later chunks are then the
// decrypted bytes.
// Invariants (std::abort): on 143 without bugs the session is never authenticated() while
// !tls_active(); nothing is sent after start_tls in the same output, and on_tls_established sends
// nothing (no injection bug); nothing is sent after close; the number of actions is bounded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "session/imap/imap_session.hpp"
#include "session/memory_backend.hpp"

namespace {

namespace act = mailtls::session;
using namespace mailtls::server;
using mailtls::server::imap::imap_config;
using mailtls::server::imap::imap_session;
using mailtls::server::imap::listener_kind;

struct checker {
  bool closed = false;
  std::size_t total = 0;

  // Checks one output; returns true if it asked for TLS.
  bool check(const act::actions& out, bool sends_allowed) {
    bool tls = false;
    for (const auto& a : out) {
      ++total;
      if (std::holds_alternative<act::send>(a)) {
        if (closed || tls || !sends_allowed) std::abort();
      } else if (std::holds_alternative<act::start_tls>(a)) {
        if (closed) std::abort();
        tls = true;
      } else if (std::holds_alternative<act::close>(a)) {
        closed = true;
      }
    }
    return tls;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 4096) return 0;
  const std::uint8_t mode = data[0];
  const std::size_t chunk = data[1] == 0 ? size : (data[1] % 97) + 1;
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);

  const listener_kind kind = (mode & 1) != 0 ? listener_kind::imaps : listener_kind::imap;
  imap_config cfg = imap_config::for_listener(kind, "mx.example.org");
  if ((mode & 0x40) != 0) {
    const auto bugs = all_bugs();
    cfg.bugs.add(bugs[((mode >> 1) & 0x1f) % bugs.size()].id);
  }
  cfg.limits.parser.max_line = 1024;
  cfg.limits.max_message_size = 4096;
  cfg.limits.max_mailbox_messages = 32;
  cfg.limits.failed_auth_delay_ms = 0;
  const bool injection = cfg.bugs.has(bug::imap_starttls_injection);
  const bool strict = cfg.bugs.empty() && kind == listener_kind::imap;

  memory_backend backend;
  backend.add_domain("example.org");
  backend.add_user("alice@example.org", "s3cret");
  backend.add_message("alice@example.org", "Subject: one\r\nFrom: a@example.org\r\n\r\nhello\r\n");
  backend.add_message("alice@example.org", "Subject: two\r\n\r\nbody\r\n", flag_seen);

  imap_session s(backend, cfg);
  checker c;
  act::actions out;
  s.on_connect({"192.0.2.1", 1, kind == listener_kind::imaps}, out);
  c.check(out, true);
  for (std::size_t at = 0; at < input.size() && !s.closed(); at += chunk) {
    out.clear();
    s.on_bytes(input.substr(at, chunk), out);
    bool tls = c.check(out, true);
    for (int rounds = 0; tls && !s.closed() && rounds < 4; ++rounds) {
      out.clear();
      s.on_tls_established({"TLSv1.3", "TLS_AES_128_GCM_SHA256"}, out);
      tls = c.check(out, injection);
    }
    if (strict && s.authenticated() && !s.tls_active()) std::abort();
  }
  out.clear();
  if ((mode & 0x80) != 0)
    s.on_timeout(out);
  else
    s.on_shutdown(out);
  c.check(out, true);
  if (c.total > 16 * size + 256) std::abort();
  return 0;
}
