// The scenario interpreter: runs one parsed scenario (harness/scenario/ast.hpp) against one
// service as a sans-I/O client session (client_session.hpp). It sends the `C:` lines with variables
// substituted, reads and parses whole replies with the protocol's codec (SMTP reply, POP3
// response, IMAP tagged completion with its untagged responses), matches them against the `S:`
// matchers, asks for TLS, and records a redacted, timestamped transcript.
//
// Semantics (docs/scenario-format.md, "Running"):
// - Implicit-TLS services (submissions, pop3s, imaps) start with start_tls{implicit} before the
//   first statement, unless the scenario's `connect: plain` header says otherwise.
// - Every wait is bounded: read_bytes carries min(step timeout, time left of the scenario).
// - Bytes still unread when a `starttls` statement runs (the server spoke after its STARTTLS
//   reply, before the handshake) are a fail: RFC 3207 §4.2 / RFC 2595 §3.1 response injection.
// - `requires:`: when a statement fails and a required capability has not been advertised in any
//   capability list seen so far (EHLO, CAPABILITY, CAPA, greeting code), the outcome is skip.
// - A `C:` line that uses a variable the run does not define is an error, or a skip when the
//   variable is a credential (run_config::credential_variables) and credentials were not given.
// - Secrets (run_config::secret_variables) never reach the transcript: the line shows
//   `<redacted:name>` in their place.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "runner/client_session.hpp"
#include "runner/service.hpp"
#include "scenario/ast.hpp"

namespace mailtls::runner {

struct run_limits {
  std::uint32_t step_timeout_ms = 5'000;       // each wait for a reply, close or TLS
  std::uint32_t scenario_timeout_ms = 30'000;  // whole run, unless the scenario's `timeout:`
  std::size_t max_line_length = 64 * 1024;     // one reply line
  std::size_t max_reply_bytes = 1024 * 1024;   // one whole reply (multi-line, literals)
  std::size_t max_transcript_bytes = 256 * 1024;
};

struct run_config {
  service target = service::smtp;
  run_limits limits;
  // ${name} values: host, port, servername, user, password, sasl_plain, ... (see variables.hpp).
  std::map<std::string, std::string> variables;
  // Names whose values are redacted in transcripts and verdicts.
  std::set<std::string> secret_variables;
  // Names that stand for credentials: using one that is undefined makes the scenario a skip
  // ("needs credentials") instead of an error.
  std::set<std::string> credential_variables;
};

class interpreter final : public client_session {
 public:
  // `s` must outlive the interpreter (scenarios are parsed once and shared by many runs).
  interpreter(const scenario::scenario& s, run_config config);
  ~interpreter() override;

  void start(std::uint64_t now_ms, actions& out) override;
  void on_bytes(std::string_view bytes, std::uint64_t now_ms, actions& out) override;
  void on_closed(std::uint64_t now_ms, actions& out) override;
  void on_timeout(std::uint64_t now_ms, actions& out) override;
  void on_tls_done(const tls_facts& facts, std::uint64_t now_ms, actions& out) override;
  void on_io_error(std::string_view what, std::uint64_t now_ms, actions& out) override;

  bool finished() const override;
  const scenario_result& result() const override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mailtls::runner
