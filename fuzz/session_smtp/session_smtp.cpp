// Fuzz target: the SMTP server session (reference-server/session/smtp) driven in-process by
// fuzzed client bytes, with a simulated TLS upgrade (start_tls -> on_tls_established at once).
//
// Input: byte 0 picks the listener (bits 0-1: 25, 587, 465, 25), CHUNKING (bit 2), small limits
// (bit 3) and an injected bug (bits 4-7: 1-9 one of the SMTP bugs, else none); byte 1 picks how
// the rest is cut into reads (bits 0-2: largest read, bits 3-7: seed). The rest is client bytes.
//
// Invariants (std::abort):
//  - with no bug, on 587 before TLS the session is never authenticated, and on 25 never at all;
//  - no `send` follows `start_tls` in one output; on_tls_established sends nothing (no bug);
//  - nothing is emitted after `close`; every on_bytes output ends in read, close or start_tls;
//  - the number of actions is bounded by the input size;
//  - when no STARTTLS was accepted, the transcript (without `read`) does not depend on the cuts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "session/memory_backend.hpp"
#include "session/smtp/session.hpp"

namespace {

namespace act = mailtls::session;
using mailtls::server::bug;
using mailtls::server::memory_backend;
using mailtls::server::smtp::config;
using mailtls::server::smtp::listener;
using mailtls::server::smtp::session;

constexpr bug smtp_bugs[] = {
    bug::smtp_starttls_injection,
    bug::submission_auth_before_tls,
    bug::smtp_state_not_reset,
    bug::starttls_readvertised,
    bug::starttls_argument_accepted,
    bug::second_starttls_accepted,
    bug::smtp_auth_on_25,
    bug::smtp_open_relay,
    bug::bare_lf_end_of_data,
};

struct outcome {
  std::string transcript;  // every action but `read`, tagged
  bool started_tls = false;
};

void check_and_record(const act::actions& out, bool was_closed, outcome& o, std::size_t& total) {
  bool after_start_tls = false;
  for (const auto& a : out) {
    if (was_closed) std::abort();  // nothing after close
    if (std::holds_alternative<act::send>(a) && after_start_tls) std::abort();
    if (std::holds_alternative<act::start_tls>(a)) {
      after_start_tls = true;
      o.started_tls = true;
    }
    if (std::holds_alternative<act::close>(a)) was_closed = true;
    // Raw bytes with a tag per action (cheaper than to_string's escaping).
    if (const auto* snd = std::get_if<act::send>(&a)) {
      o.transcript += 'S';
      o.transcript += snd->bytes;
    } else if (const auto* lg = std::get_if<act::log>(&a)) {
      o.transcript += 'L';
      o.transcript += lg->text;
    } else if (const auto* p = std::get_if<act::pause>(&a)) {
      o.transcript += 'P';
      o.transcript += std::to_string(p->ms);
    } else if (std::holds_alternative<act::start_tls>(a)) {
      o.transcript += 'T';
    } else if (std::holds_alternative<act::close>(a)) {
      o.transcript += 'C';
    }
  }
  total += out.size();
}

outcome run(std::uint8_t mode, std::uint8_t cuts, std::string_view in) {
  memory_backend backend;
  backend.add_domain("example.org");
  backend.add_user("alice@example.org", "s3cret");
  const listener kinds[] = {listener::smtp, listener::submission, listener::submissions,
                            listener::smtp};
  const listener kind = kinds[mode & 3];
  config cfg = config::for_listener(kind, "mx.example.org");
  cfg.offer_chunking = (mode & 4) != 0;
  if ((mode & 8) != 0) {
    cfg.max_message_size = 64;
    cfg.max_recipients = 2;
    cfg.max_line = 40;
    cfg.max_bad_commands = 3;
  }
  const unsigned b = mode >> 4;
  const bool bugged = b >= 1 && b <= 9;
  if (bugged) cfg.bugs.add(smtp_bugs[b - 1]);
  session s(backend, cfg);

  outcome o;
  std::size_t total = 0;
  act::actions out;
  s.on_connect({"192.0.2.7", 40000, kind == listener::submissions}, out);
  check_and_record(out, false, o, total);

  const std::size_t max_chunk[] = {in.size() + 1, 1, 2, 3, 7, 16, 64, 512};
  const std::size_t limit = max_chunk[cuts & 7];
  std::uint32_t rng = (cuts >> 3) * 2654435761u + 1;
  std::size_t pos = 0;
  while (pos < in.size() && !s.closed()) {
    rng = rng * 1103515245u + 12345u;
    const std::size_t n = std::min(in.size() - pos, 1 + (rng >> 8) % limit);
    out.clear();
    s.on_bytes(in.substr(pos, n), out);
    pos += n;
    check_and_record(out, false, o, total);
    if (out.empty()) std::abort();
    const auto& last = out.back();
    const bool tls_started = std::holds_alternative<act::start_tls>(last);
    if (!std::holds_alternative<act::read>(last) && !std::holds_alternative<act::close>(last) &&
        !tls_started) {
      std::abort();
    }
    if (tls_started) {
      out.clear();
      s.on_tls_established({"TLSv1.3", "TLS_AES_128_GCM_SHA256"}, out);
      if (!bugged) {
        for (const auto& a : out) {
          if (std::holds_alternative<act::send>(a)) std::abort();  // RFC 3207 §4.2
        }
      }
      check_and_record(out, false, o, total);
    }
    if (!bugged) {
      if (kind == listener::submission && s.authenticated() && !s.tls_active()) std::abort();
      if (kind == listener::smtp && s.authenticated()) std::abort();
    }
  }
  const bool closed = s.closed();
  out.clear();
  s.on_timeout(out);
  check_and_record(out, closed, o, total);
  if (!closed && (out.empty() || !std::holds_alternative<act::close>(out.back()))) std::abort();
  // Bounded work: a few actions per input byte at most (each reply needs a line of input).
  if (total > 4 * in.size() + 16) std::abort();
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 4096) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const outcome cut = run(data[0], data[1], in);
  if (cut.started_tls) return 0;  // what follows STARTTLS depends on the reads: not comparable
  const outcome whole = run(data[0], 0, in);
  if (!whole.started_tls && cut.transcript != whole.transcript) std::abort();
  return 0;
}
