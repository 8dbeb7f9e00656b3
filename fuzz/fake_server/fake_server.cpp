// Fuzz target: the fake server's scenario interpreter (harness/fake/interpreter, `role: server`)
// driven by a hostile client. Three fixed server-role scenarios (SMTP with a certificate kind and
// response injection, IMAP with tags and a PREAUTH-free STARTTLS, POP3 stripping) are parsed once;
// the input chooses one and a service, then is read as a script of events answering the
// interpreter's actions: client bytes in chunks (credentials included, which the monitor must
// flag), timeouts, closes, TLS results and connection errors, plus events nobody asked for.
// Invariants: no crash; a session that is not finished waits for something (read or TLS); no
// action after finished(); the transcript stays within its limit; the test password never reaches
// the transcript or the verdict; the run ends within a bounded number of events.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "fake/interpreter.hpp"
#include "scenario/parser.hpp"

namespace {

using namespace mailtls;
using namespace mailtls::fake;

constexpr std::string_view password = "fuzz-Secret-99";

constexpr std::string_view smtp_scn =
    "role: server\n"
    "S: 220 mail.example.org ESMTP\n"
    "C: EHLO *\n"
    "S: 250-mail.example.org\n"
    "S: 250 STARTTLS\n"
    "C: STARTTLS\n"
    "send \"220 2.0.0 Ready\\r\\n250-mail.example.org\\r\\n250 AUTH LOGIN\\r\\n\"\n"
    "starttls cert wrong-name max TLS1.2\n"
    "C: EHLO * -> helo\n"
    "expect silence 500ms\n"
    "S: 250-mail.example.org\n"
    "S: 250 AUTH PLAIN\n"
    "C: AUTH PLAIN *\n"
    "S: 235 2.7.0 ok\n"
    "expect abort\n";

constexpr std::string_view imap_scn =
    "role: server\n"
    "S: * OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\n"
    "C: * CAPABILITY\n"
    "S: * CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\n"
    "S: ${tag} OK done\n"
    "C: * STARTTLS\n"
    "S: * 54321 EXISTS\n"
    "S: ${tag} OK begin TLS\n"
    "send \"* CAPABILITY IMAP4REV1 AUTH=PLAIN\\r\\n\"\n"
    "starttls\n"
    "C: * LOGIN *\n"
    "S: ${tag} OK logged in\n"
    "expect close\n";

constexpr std::string_view pop3_scn =
    "role: server\n"
    "timeout: 20s\n"
    "S: +OK POP3 ready\n"
    "C: CAPA\n"
    "S: +OK capabilities follow\n"
    "S: USER\n"
    "S: SASL PLAIN\n"
    "S: .\n"
    "timeout 2s\n"
    "expect abort\n";

struct fixture {
  scenario::scenario scn[3];
  fixture() {
    const std::string_view texts[3] = {smtp_scn, imap_scn, pop3_scn};
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

constexpr runner::service targets[6] = {runner::service::submission, runner::service::smtp,
                                        runner::service::imap,       runner::service::imaps,
                                        runner::service::pop3,       runner::service::pop3s};

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

void check_result(const runner::scenario_result& r, std::size_t limit) {
  std::size_t n = 0;
  for (const auto& e : r.transcript) {
    n += e.text.size();
    if (e.text.find(password) != std::string::npos) std::abort();
  }
  if (n > limit + 64) std::abort();
  if (r.v.reason.find(password) != std::string::npos) std::abort();
  for (const auto& note : r.v.notes)
    if (note.find(password) != std::string::npos) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return 0;
  input in(data, size);
  const std::uint8_t pick = in.byte();
  const runner::service target = targets[pick % 6];
  const auto& s = scenarios().scn[static_cast<std::size_t>(pick % 6) / 2];

  run_config c;
  c.target = target;
  c.variables = {{"host", "127.0.0.1"}, {"user", "fuzz-user"}, {"password", std::string(password)}};
  c.secret_variables = {"password"};
  c.limits.max_reply_bytes = 2048;
  c.limits.max_line_length = 256;
  c.limits.max_transcript_bytes = 1024;
  interpreter it(s, c);

  std::uint64_t now = 0;
  actions out;
  it.start(now, out);
  for (std::size_t round = 0; round < size + 8; ++round) {  // one event per input byte at most
    if (it.finished()) break;
    const bool asked_read = !out.empty() && std::holds_alternative<read_bytes>(out.back());
    const bool asked_tls = !out.empty() && std::holds_alternative<start_tls>(out.back());
    if (!asked_read && !asked_tls) std::abort();  // not finished: it must be waiting
    out.clear();
    const std::uint8_t op = in.empty() ? 0xFF : in.byte();
    now += op % 7 == 0 ? 6000 : op % 13;
    if (asked_tls) {
      runner::tls_facts f;
      f.attempted = true;
      f.established = (op & 1) != 0;
      f.version = (op & 2) ? "TLSv1.3" : "TLSv1";
      f.failure = f.established ? "" : "alert bad certificate";
      it.on_tls_done(f, now, out);
    } else if (in.empty()) {
      it.on_closed(now, out);
    } else if (op < 170) {
      it.on_bytes(in.take(op % 64 + 1), now, out);
    } else if (op < 205) {
      it.on_timeout(now, out);
    } else if (op < 225) {
      it.on_closed(now, out);
    } else {
      it.on_io_error("Connection reset by peer", now, out);
    }
    check_result(it.result(), c.limits.max_transcript_bytes);
  }
  if (!it.finished()) {
    // The input ran out: answer the last wait with timeouts and failed handshakes; it must end.
    for (int k = 0; k < 64 && !it.finished(); ++k) {
      out.clear();
      now += 6000;
      it.on_timeout(now, out);
      it.on_tls_done(runner::tls_facts{}, now, out);
    }
    if (!it.finished()) std::abort();
  }
  actions after;  // nothing after the end
  it.on_bytes("a1 LOGIN x y\r\n", now, after);
  it.on_closed(now, after);
  it.on_timeout(now, after);
  it.on_tls_done(runner::tls_facts{}, now, after);
  it.on_io_error("late", now, after);
  if (!after.empty()) std::abort();
  const auto& v = it.result().v;
  if (v.result != runner::outcome::pass && v.reason.empty()) std::abort();
  check_result(it.result(), c.limits.max_transcript_bytes);
  return 0;
}
