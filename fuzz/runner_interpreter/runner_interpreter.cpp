// Fuzz target: the scenario interpreter (harness/runner/interpreter) driven by a hostile server.
// Three fixed scenarios (SMTP, POP3, IMAP) are parsed once; the input chooses one, then is read as
// a script of events answering the interpreter's actions: server bytes in chunks, timeouts,
// closes, TLS results and connection errors, plus events nobody asked for.
// Invariants: no crash; no action after finished(); while a wait is answered and the session is
// not finished, it asks for the next wait (read or TLS) or stays finished; the transcript stays
// within run_limits::max_transcript_bytes (plus its one truncation note); a finished session has
// a verdict with a reason unless it passed; the run ends within a bounded number of events.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "runner/interpreter.hpp"
#include "runner/variables.hpp"
#include "scenario/parser.hpp"

namespace {

using namespace mailtls;
using namespace mailtls::runner;

constexpr std::string_view smtp_scn =
    "S: 220 *ESMTP*\n"
    "C: EHLO ${client_name}\n"
    "S: 250 /^[A-Z]+/ [+STARTTLS -AUTH=PLAIN] -> greet\n"
    "C: MAIL FROM:<${user}@${greet}>\n"
    "S: {250,5xx} *\n"
    "send \"STARTTLS\\r\\nNOOP\\r\\n\"\n"
    "S: 220 *\n"
    "starttls insecure min TLS1.2\n"
    "expect tls version TLS1.3\n"
    "expect tls cipher TLS_*\n"
    "C: AUTH PLAIN ${sasl_plain}\n"
    "S: 235 *\n"
    "expect silence 300ms\n"
    "C: QUIT\n"
    "S: 221 *\n"
    "expect close\n";

constexpr std::string_view pop3_scn =
    "requires: STLS\n"
    "S: +OK *\n"
    "C: CAPA\n"
    "S: +OK [+STLS -SASL=PLAIN] -> caps\n"
    "C: USER ${user}\n"
    "S: -ERR *\n"
    "C: STLS\n"
    "S: +OK\n"
    "starttls\n"
    "expect tls fail\n"
    "expect close\n"
    "C: AUTH PLAIN\n"
    "S: + *\n"
    "C: ${sasl_plain}\n"
    "S: +OK *\n"
    "C: LIST\n"
    "S: +OK *\n"
    "C: RETR 1\n"
    "S: +OK *\n";

constexpr std::string_view imap_scn =
    "timeout: 20s\n"
    "S: * OK [+IMAP4rev1]\n"
    "C: a1 CAPABILITY\n"
    "S: tag OK [+STARTTLS +AUTH -LOGINDISABLED]\n"
    "C: a2 AUTHENTICATE PLAIN\n"
    "S: + *\n"
    "C: ${sasl_plain}\n"
    "S: tag {NO,BAD} /fail|no/ -> why\n"
    "C: a3 SELECT INBOX\n"
    "S: * 3 EXISTS\n"
    "S: * FLAGS *\n"
    "S: a3 OK *\n"
    "C: a4 LOGOUT\n"
    "S: * BYE\n"
    "S: tag OK\n"
    "expect close\n";

struct fixture {
  scenario::scenario scn[3];
  fixture() {
    const std::string_view texts[3] = {smtp_scn, pop3_scn, imap_scn};
    for (int i = 0; i < 3; ++i) {
      auto r = scenario::parse(texts[i], "fuzz.scn");
      if (!r.ok()) std::abort();
      scn[i] = std::move(r.value);
    }
  }
};

const fixture& scenarios() {
  static const fixture f;
  return f;
}

constexpr service targets[6] = {service::smtp,  service::submissions, service::pop3,
                                service::pop3s, service::imap,        service::imaps};

class input {
 public:
  input(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  bool empty() const { return i_ >= n_; }
  std::uint8_t byte() { return i_ < n_ ? d_[i_++] : 0; }
  std::string_view take(std::size_t k) {
    k = std::min(k, n_ - std::min(i_, n_));
    const std::string_view s(reinterpret_cast<const char*>(d_) + i_, k);
    i_ += k;
    return s;
  }

 private:
  const std::uint8_t* d_;
  std::size_t n_;
  std::size_t i_ = 0;
};

std::size_t transcript_bytes(const scenario_result& r) {
  std::size_t n = 0;
  for (const auto& e : r.transcript)
    n += e.text.size();
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return 0;
  input in(data, size);
  const std::uint8_t pick = in.byte();
  const service target = targets[pick % 6];
  const auto& s = scenarios().scn[static_cast<std::size_t>(pick % 6) / 2];

  run_config c;
  c.target = target;
  c.variables = standard_variables("127.0.0.1", 25, "mx.test", "alice", "s3cret");
  c.secret_variables = secret_variable_names();
  c.credential_variables = credential_variable_names();
  c.limits.max_reply_bytes = 2048;
  c.limits.max_line_length = 256;
  c.limits.max_transcript_bytes = 1024;
  interpreter it(s, c);

  std::uint64_t now = 0;
  actions out;
  it.start(now, out);
  // Bounded: at most one event per input byte plus the final ones.
  for (std::size_t round = 0; round < size + 8; ++round) {
    if (it.finished()) break;
    const bool asked_read = !out.empty() && std::holds_alternative<read_bytes>(out.back());
    const bool asked_tls = !out.empty() && std::holds_alternative<start_tls>(out.back());
    // A session that is not finished must be waiting for something.
    if (!asked_read && !asked_tls) std::abort();
    const action wait = out.back();
    out.clear();
    const std::uint8_t op = in.empty() ? 0xFF : in.byte();
    now += op % 7 == 0 ? 6000 : op % 13;
    if (asked_tls) {
      tls_facts f;
      f.established = (op & 1) != 0;
      f.version = (op & 2) ? "TLSv1.3" : "TLSv1";
      f.cipher = "TLS_AES_128_GCM_SHA256";
      f.verified = (op & 4) != 0;
      f.failure = f.established ? "" : "alert handshake failure";
      it.on_tls_done(f, now, out);
    } else if (in.empty()) {
      it.on_closed(now, out);
    } else if (op < 160) {
      it.on_bytes(in.take(op % 64 + 1), now, out);
    } else if (op < 200) {
      it.on_timeout(now, out);
    } else if (op < 220) {
      it.on_closed(now, out);
    } else if (op < 230) {
      it.on_io_error("Connection reset by peer", now, out);
    } else {
      // A TLS result nobody asked for is ignored: no action, still waiting for the read.
      actions stray;
      it.on_tls_done(tls_facts{}, now, stray);
      if (!stray.empty()) std::abort();
      out.push_back(wait);
    }
    if (transcript_bytes(it.result()) > c.limits.max_transcript_bytes + 32) std::abort();
  }
  if (!it.finished()) {
    // The input ran out: answer the last wait with a timeout or a failed handshake; it must end.
    for (int k = 0; k < 64 && !it.finished(); ++k) {
      out.clear();
      now += 6000;
      it.on_timeout(now, out);
      it.on_tls_done(tls_facts{}, now, out);
    }
    if (!it.finished()) std::abort();
  }
  // Nothing after the end.
  actions after;
  it.on_bytes("250 late\r\n", now, after);
  it.on_closed(now, after);
  it.on_timeout(now, after);
  it.on_tls_done(tls_facts{}, now, after);
  it.on_io_error("late", now, after);
  if (!after.empty()) std::abort();
  const auto& v = it.result().v;
  if (v.result != outcome::pass && v.reason.empty()) std::abort();
  if (transcript_bytes(it.result()) > c.limits.max_transcript_bytes + 32) std::abort();
  return 0;
}
