// A run with several targets and every outcome, shared by the report tests.
//   target 0 submission://127.0.0.1:5587  pass (STARTTLS ok), fail (with a redacted secret)
//   target 1 imaps://127.0.0.1:5993       error (step timeout, TLS handshake failed)
//   target 2 pop3://127.0.0.1:5110        skip (needs credentials), pass
#pragma once

#include <string>

#include "report/model.hpp"

namespace mailtls::report::test {

using runner::outcome;
using dir = runner::transcript_entry::direction;

inline case_result make_case(std::string id, std::size_t target, outcome o,
                             std::uint64_t duration_ms) {
  case_result c;
  c.scenario_id = id;
  c.title = "title of " + id;
  c.file = "scenarios/" + id + ".scn";
  c.severity = "must";
  c.target_index = target;
  c.result.v.result = o;
  c.result.duration_ms = duration_ms;
  return c;
}

inline run sample_run() {
  run r;
  r.run_id = "20261129T140512Z-3f2a";
  r.started_at = "2026-11-29T14:05:12Z";
  r.duration_ms = 3204;
  r.tool_version = "mailtls 0.1.0";
  r.profile = "default";
  r.command_line = "mailtls check submission://127.0.0.1:5587 imaps://127.0.0.1:5993";
  r.targets = {
      {"submission://127.0.0.1:5587", runner::service::submission, "127.0.0.1", 5587},
      {"imaps://127.0.0.1:5993", runner::service::imaps, "127.0.0.1", 5993},
      {"pop3://127.0.0.1:5110", runner::service::pop3, "127.0.0.1", 5110},
  };

  case_result ehlo = make_case("smtp-ehlo", 0, outcome::pass, 12);
  ehlo.refs = {"RFC 5321 §4.1.1.1"};
  ehlo.keywords = {"ehlo", "starttls"};
  ehlo.result.transcript = {
      {0, dir::server, "220 mx.example ESMTP"},
      {1, dir::client, "EHLO client.example"},
      {2, dir::server, "250-mx.example"},
      {2, dir::server, "250 STARTTLS"},
      {3, dir::client, "STARTTLS"},
      {4, dir::server, "220 go ahead"},
      {9, dir::tls, "TLSv1.3 TLS_AES_128_GCM_SHA256, verified"},
  };
  auto& tls = ehlo.result.tls;
  tls.attempted = tls.established = tls.verified = true;
  tls.version = "TLSv1.3";
  tls.cipher = "TLS_AES_128_GCM_SHA256";
  tls.verify_error = "ok";
  tls.subject = "CN=mx.example";
  tls.issuer = "CN=mailtls test CA";
  tls.dns_names = {"mx.example", "localhost"};
  tls.not_after = 1893456000;
  tls.key_type = "EC";
  tls.key_bits = 256;

  case_result auth = make_case("smtp-auth-before-tls", 0, outcome::fail, 31);
  auth.severity = "must";
  auth.refs = {"RFC 4954 §4", "RFC 3207 §4"};
  auth.result.v.reason = "expected a reply 530 or 538, got 235";
  auth.result.v.file = "scenarios/smtp-auth-before-tls.scn";
  auth.result.v.line = 14;
  auth.result.v.expected = "S: {530,538} *";
  auth.result.v.got = "235 2.7.0 Authentication successful";
  auth.result.v.notes = {"503 accepted: tolerated reply"};
  auth.result.transcript = {
      {0, dir::server, "220 mx.example ESMTP"},
      {1, dir::client, "EHLO client.example"},
      {2, dir::server, "250 AUTH PLAIN"},
      {3, dir::client, "AUTH PLAIN <redacted:sasl_plain>"},
      {5, dir::server, "235 2.7.0 Authentication successful"},
  };

  case_result greet = make_case("imap-greeting", 1, outcome::error, 5003);
  greet.severity = "should";
  greet.result.v.reason = "no complete reply within 5000 ms";
  greet.result.v.file = "scenarios/imap-greeting.scn";
  greet.result.v.line = 3;
  greet.result.v.expected = "S: * OK *";
  greet.result.v.limit = runner::limit_kind::step_timeout;
  greet.result.transcript = {
      {0, dir::tls, "handshake start (implicit)"},
      {5003, dir::note, "step timeout after 5000 ms"},
  };
  greet.result.tls.attempted = true;
  greet.result.tls.implicit = true;
  greet.result.tls.failure = "unsupported protocol";

  case_result pop_auth = make_case("pop3-auth", 2, outcome::skip, 0);
  pop_auth.result.v.reason = "needs credentials";

  case_result capa = make_case("pop3-capa", 2, outcome::pass, 7);
  capa.result.transcript = {{0, dir::server, "+OK ready"}, {1, dir::client, "CAPA"}};

  r.cases = {ehlo, auth, greet, pop_auth, capa};
  return r;
}

// A transcript line a hostile server could produce (the interpreter escapes control bytes, but a
// writer must not trust that).
inline std::string hostile_text() {
  return std::string("]]> <script>alert(\"x\")</script> & 'q' \x01\x1b[31m") +
         std::string(1, '\0') + "\xff\xfe\xc3(\xed\xa0\x80 end";
}

}  // namespace mailtls::report::test
