// One proxied connection, sans-I/O: the driver feeds what the client and the server send and
// carries out the returned actions (action.hpp). Std only: no Asio, OpenSSL, sockets, clocks or
// threads; time comes in as now_ms.
//
// In cleartext both directions are framed and parsed with the codecs (SMTP, POP3, IMAP: see
// protocol_rules.hpp), forwarded message by message (raw, as received) and rewritten as the attack
// says (attack.hpp, docs/mitm.md). The session records what the client does (findings.hpp). Once
// the server has accepted STARTTLS both directions are TLS records: relay_opaque, and the session
// only copies.
//
// Protocol between driver and session:
//   start(now)                       once, when both connections are up
//   on_client_bytes / on_server_bytes   what arrived (any split)
//   on_client_closed / on_server_closed  EOF or reset
//   on_timeout                       nothing arrived within the last read_both's timeout
// Each call appends actions; every answer of a session not finished ends with read_both. After
// finished() no event has an effect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "codec/parse_result.hpp"
#include "mitm/action.hpp"
#include "mitm/attack.hpp"
#include "mitm/findings.hpp"
#include "mitm/tls_record_skipper.hpp"
#include "runner/service.hpp"

namespace mailtls::mitm {

class protocol_rules;

struct proxy_limits {
  std::size_t max_line = 64 * 1024;      // one command or reply line, CRLF included
  std::size_t max_buffer = 1024 * 1024;  // bytes held per direction (messages, held input)
  std::size_t max_findings = 256;
  // After downgrade: cleartext client bytes read (not forwarded) before the proxy gives up.
  std::size_t max_fallback_bytes = 64 * 1024;
};

struct proxy_config {
  runner::protocol proto = runner::protocol::smtp;
  bool implicit_tls = false;  // RFC 8314: 465, 993, 995
  attack atk = attack::none;
  std::uint32_t idle_timeout_ms = 60'000;     // both directions silent this long: close
  std::uint32_t fallback_timeout_ms = 5'000;  // after downgrade: wait this long for cleartext
  proxy_limits limits;
};

// mitm_errc::attack_needs_starttls for a cleartext-rewriting attack on an implicit-TLS upstream.
std::error_code check_config(const proxy_config& cfg) noexcept;

enum class proxy_phase : std::uint8_t {
  cleartext,        // parsing and forwarding
  opaque,           // TLS both ways: copying
  await_handshake,  // downgrade: the STARTTLS answer went out, the client's TLS bytes are due
  fallback,         // downgrade: the server is gone, the client's cleartext is read and recorded
  done,
};

class proxy_session {
 public:
  explicit proxy_session(const proxy_config& cfg);
  ~proxy_session();
  proxy_session(proxy_session&&) noexcept;
  proxy_session& operator=(proxy_session&&) noexcept;

  void start(std::uint64_t now_ms, actions& out);
  void on_client_bytes(std::string_view bytes, std::uint64_t now_ms, actions& out);
  void on_server_bytes(std::string_view bytes, std::uint64_t now_ms, actions& out);
  void on_client_closed(std::uint64_t now_ms, actions& out);
  void on_server_closed(std::uint64_t now_ms, actions& out);
  void on_timeout(std::uint64_t now_ms, actions& out);

  bool finished() const { return phase_ == proxy_phase::done; }
  proxy_phase phase() const { return phase_; }
  const findings& result() const { return findings_; }
  verdict_result verdict() const { return judge(findings_); }
  const proxy_config& config() const { return cfg_; }
  // Bytes held now (both directions): bounded by 2 * limits.max_buffer plus the codecs' state.
  std::size_t buffered() const;

 private:
  struct side {
    std::string in;   // received, not parsed yet (held while the client waits for the server)
    std::string msg;  // raw bytes of the message being parsed
    bool discarding = false;  // the rest of an over-long line is being skipped: forward it
    bool open = true;
  };

  void note(finding_kind k, std::string_view detail = {});
  void emit_client(std::string_view bytes, actions& out);
  void emit_server(std::string_view bytes, actions& out);
  void pump_client(actions& out);
  void pump_server(actions& out);
  void client_message(const codec::parse_result& r, actions& out);
  void server_message(const codec::parse_result& r, actions& out);
  void go_opaque(actions& out);
  void downgrade_bytes(std::string_view bytes, actions& out);
  void close_all(actions& out);
  void finish_read(actions& out);
  bool over_limit(const side& s, std::size_t more, std::string_view who, actions& out);

  proxy_config cfg_;
  std::unique_ptr<protocol_rules> rules_;
  findings findings_;
  side client_;
  side server_;
  proxy_phase phase_ = proxy_phase::cleartext;
  tls_record_skipper skipper_;
  std::string last_command_;
  std::uint64_t start_ms_ = 0;
  std::uint64_t now_ms_ = 0;
  std::size_t fallback_bytes_ = 0;
  std::size_t first_new_action_ = 0;  // index in `out` of this call's first action
  bool started_ = false;
};

}  // namespace mailtls::mitm
