// The fake-server interpreter: runs one parsed `role: server` scenario (docs/scenario-format.md,
// "Server role") against one client connection as a sans-I/O session (session.hpp). It sends the
// `S:` lines and `send` bytes, reads the client's lines and matches them against the `C:`
// patterns, asks for the server side of TLS with the certificate kind of each `starttls`, and
// judges the client:
//   - every client line in cleartext goes through the monitor (monitor.hpp): a credential or mail
//     command is a FAIL at once ("client sent credentials in cleartext: AUTH PLAIN <redacted>";
//     RFC 3207 §4.1, RFC 8314 §5.2: a client that requires TLS must not go on without it);
//   - after a handshake with a bad certificate (any kind but `good`), ANY application data from
//     the client is a FAIL ("client accepted an expired certificate"; RFC 8314 §5.3-5.4, RFC 7817
//     §3, RFC 6125 §6);
//   - bytes the client sent after STARTTLS before the handshake are a FAIL (RFC 2595 §3.1,
//     RFC 3207 §4.2: no pipelining across the upgrade);
//   - `expect abort`: the client closes or says nothing more until the wait ends; QUIT / LOGOUT
//     is answered (221, +OK, * BYE) and counts as closing.
// A client that closes or goes silent early, before a `C:` line it would have sent, passes when
// the scenario expects it to stop (a later `expect abort` or `expect tls fail`)
// and fails otherwise. The transcript never holds a password or a SASL blob.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "fake/session.hpp"
#include "runner/interpreter.hpp"
#include "runner/service.hpp"
#include "runner/variables.hpp"
#include "scenario/ast.hpp"

namespace mailtls::fake {

struct run_config {
  runner::service target = runner::service::smtp;
  // step_timeout_ms bounds each wait for a client line, close or silence; scenario_timeout_ms the
  // whole run (unless the scenario's `timeout:`); max_line_length one client line (64 KiB);
  // max_reply_bytes the client bytes waiting to be read; max_transcript_bytes the transcript.
  runner::run_limits limits;
  // ${name} values for `S:` lines: host, port, user, password, ... (and `tag`, captures).
  runner::variable_map variables;
  // Names whose values never reach the transcript or the verdict.
  std::set<std::string> secret_variables;
};

class interpreter final : public session {
 public:
  // `s` must outlive the interpreter.
  interpreter(const scenario::scenario& s, run_config config);
  ~interpreter() override;

  void start(std::uint64_t now_ms, actions& out) override;
  void on_bytes(std::string_view bytes, std::uint64_t now_ms, actions& out) override;
  void on_closed(std::uint64_t now_ms, actions& out) override;
  void on_timeout(std::uint64_t now_ms, actions& out) override;
  void on_tls_done(const runner::tls_facts& facts, std::uint64_t now_ms, actions& out) override;
  void on_io_error(std::string_view what, std::uint64_t now_ms, actions& out) override;

  bool finished() const override;
  const runner::scenario_result& result() const override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mailtls::fake
