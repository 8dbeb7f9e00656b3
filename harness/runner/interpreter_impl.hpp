// Internal: the state of the scenario interpreter (interpreter.hpp), shared by interpreter.cpp
// (events, waits, the verdict) and interpreter_steps.cpp (the statements). Not a public header.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runner/command_state.hpp"
#include "runner/interpreter.hpp"
#include "runner/reply_match.hpp"
#include "runner/reply_reader.hpp"
#include "runner/variables.hpp"

namespace mailtls::runner {

namespace sc = scenario;
using dir = transcript_entry::direction;

enum class wait_kind : std::uint8_t { none, reply, tls, close, silence };

// "TLSv1.3 TLS_AES_128_GCM_SHA256, verified" (OpenSSL's "TLSv1" shown as TLSv1.0).
std::string normalized_version(std::string_view v);
std::string describe_tls(const tls_facts& f);

struct interpreter::impl {
  impl(const sc::scenario& s, run_config c)
      : s_(s),
        cfg_(std::move(c)),
        proto_(info(cfg_.target).proto),
        vars_(cfg_.variables),
        reader_(proto_, cfg_.limits),
        commands_(proto_) {}

  const sc::scenario& s_;
  run_config cfg_;
  protocol proto_;
  scenario_result res_;
  variable_map vars_;  // run variables, then `set` and captures
  std::vector<std::string> notes_;

  std::uint64_t start_ms_ = 0;
  std::uint64_t deadline_ms_ = 0;
  bool started_ = false;
  bool finished_ = false;
  std::size_t pc_ = 0;  // the statement running or next to run
  wait_kind wait_ = wait_kind::none;
  std::uint32_t wait_ms_ = 0;  // timeout of the pending read
  bool wait_capped_ = false;   // ... cut short by the scenario deadline

  bool open_ = true;       // false once the server closed or reset the connection
  bool tls_dead_ = false;  // a handshake failed: nothing more can be exchanged
  bool tls_ok_ = false;
  bool tls_attempted_ = false;
  bool tls_implicit_ = false;  // the pending handshake is the RFC 8314 one at connect
  bool tls_optional_ = false;  // the pending handshake came from `starttls ... optional`
  // Each wait's bound: the run's step timeout, or the last `timeout D`.
  std::uint32_t step_ms_ = cfg_.limits.step_timeout_ms;
  bool step_set_ = false;  // a `timeout D` statement ran
  // `expect close allow-alert`: the bytes read while waiting for the close.
  std::string alert_buf_;
  // `expect close skip N`: lines seen before the close, and their bytes (bounded).
  std::size_t close_lines_ = 0;
  std::size_t close_bytes_ = 0;
  // Counts the lines of `bytes` for `expect close skip N`; false (and a verdict) when there are
  // more than N or more than max_reply_bytes.
  bool skip_before_close(std::string_view bytes, const scenario::expect_close& st,
                         std::uint64_t now, actions& out);

  std::string buf_;  // received bytes not yet read as a reply
  reply_reader reader_;
  command_state commands_;
  std::vector<std::string> got_;  // display lines of the reply being matched
  capability_list imap_caps_;     // IMAP: CAPABILITY lists seen in the current match
  bool imap_has_caps_ = false;
  std::set<std::string> caps_seen_;  // every capability name advertised so far (upper case)

  std::size_t transcript_bytes_ = 0;
  bool transcript_cut_ = false;

  std::uint64_t since_start(std::uint64_t now) const {
    return now > start_ms_ ? now - start_ms_ : 0;
  }
  const sc::statement* current() const {
    return pc_ < s_.statements_.size() ? &s_.statements_[pc_] : nullptr;
  }
  std::string redacted(std::string_view text) const {
    return redact(text, vars_, cfg_.secret_variables);
  }
  limit_kind timeout_kind(std::uint64_t now) const {
    return wait_capped_ || now >= deadline_ms_ ? limit_kind::scenario_timeout
                                               : limit_kind::step_timeout;
  }

  // ---- transcript and verdict (interpreter.cpp) ----
  // Bounded by run_limits::max_transcript_bytes, then one "transcript truncated" note.
  void log(dir d, std::string text, std::uint64_t now);
  void note(std::string text, std::uint64_t now) { log(dir::note, std::move(text), now); }
  // Server bytes as transcript lines; also the evidence (`got`) of the reply being matched.
  void log_server(std::string_view bytes, std::uint64_t now);
  // The verdict; closes the connection unless the server closed or reset it.
  void finish(outcome o, std::string reason, const sc::statement* st, std::uint64_t now,
              actions& out, limit_kind limit = limit_kind::none);
  void fail(std::string reason, std::uint64_t now, actions& out,
            limit_kind limit = limit_kind::none);
  // Asks for a read of at most `want` ms, cut at the scenario deadline; false (and the run
  // failed) when the deadline has passed already.
  bool request_read(wait_kind w, std::uint32_t want, std::uint64_t now, actions& out);
  // Runs statements until one waits or the run ends.
  void run(std::uint64_t now, actions& out);
  // Whether the connection can still carry a statement; fails the run otherwise.
  bool usable(std::uint64_t now, actions& out);

  // ---- statements (interpreter_steps.cpp): each advances pc_, starts a wait, or finishes ----
  void send(std::string bytes, std::string display, std::uint64_t now, actions& out);
  void step(const sc::send_line& st, std::uint64_t now, actions& out);
  void step(const sc::send_raw& st, std::uint64_t now, actions& out);
  void step(const sc::expect_reply& st, std::uint64_t now, actions& out);
  // Reads messages out of buf_ until the matcher is decided or more bytes are needed.
  void read_reply(const sc::reply_matcher& m, std::uint64_t now, actions& out);
  // One complete message: true when the statement is decided (passed: pc_ advanced; or the run
  // finished), false when an IMAP tagged completion is still to come.
  bool on_message(const sc::reply_matcher& m, std::uint64_t now, actions& out);
  void step(const sc::starttls& st, std::uint64_t now, actions& out);
  void begin_tls(start_tls a, std::uint64_t now, actions& out);
  void step(const sc::expect_close& st, std::uint64_t now, actions& out);
  void step(const sc::expect_silence& st, std::uint64_t now, actions& out);
  bool tls_up(std::uint64_t now, actions& out);
  void step(const sc::expect_tls_version& st, std::uint64_t now, actions& out);
  void step(const sc::expect_tls_cipher& st, std::uint64_t now, actions& out);
  void step(const sc::expect_tls_cert& st, std::uint64_t now, actions& out);
  void step(const sc::expect_tls_cert_name& st, std::uint64_t now, actions& out);
  void step(const sc::expect_tls_cert_check& st, std::uint64_t now, actions& out);
  void step(const sc::set_timeout& st, std::uint64_t now, actions& out);
  // Replaces the variables of a template; false (and the run finished: error, or skip for a
  // missing credential) when one is not defined.
  bool expand(const sc::text_template& t, std::string& bytes, std::string& display,
              std::uint64_t now, actions& out);
  // `expect close allow-alert`: the bytes so far are TLS alert records only (else the run fails).
  bool alerts_only(std::uint64_t now, actions& out);
  // A handshake failed (the driver's report, or the server closed during it).
  void tls_failed(const std::string& failure, std::uint64_t now, actions& out);
  void step(const sc::expect_tls_fail& st, std::uint64_t now, actions& out);
  void step(const sc::set_variable& st, std::uint64_t now, actions& out);

  // ---- events (interpreter.cpp) ----
  void on_bytes(std::string_view bytes, std::uint64_t now, actions& out);
  void on_closed(std::uint64_t now, actions& out);
  void on_timeout(std::uint64_t now, actions& out);
  void on_tls_done(const tls_facts& facts, std::uint64_t now, actions& out);
  void on_io_error(std::string_view what, std::uint64_t now, actions& out);
};

}  // namespace mailtls::runner
