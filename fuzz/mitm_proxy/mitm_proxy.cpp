// Fuzz target: the MITM proxy session (harness/mitm/proxy_session) between a hostile client and a
// hostile server. The first byte picks the protocol, the attack and implicit TLS; then each step
// is an op byte: client bytes or server bytes (a length byte and that many bytes), a timeout, or a
// close of either side.
// Invariants: no crash; nothing happens after finished(); every answer of an unfinished session
// ends with read_both and no other read_both; the session holds at most 2 * max_buffer bytes plus
// one chunk; findings stay within their cap; a finished session has a verdict with a reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "mitm/proxy_session.hpp"

namespace {

using namespace mailtls;
using namespace mailtls::mitm;

class input {
 public:
  input(const std::uint8_t* data, std::size_t size)
      : rest_(reinterpret_cast<const char*>(data), size) {}
  bool empty() const { return rest_.empty(); }
  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return b;
  }
  std::string_view take(std::size_t n) {
    const std::string_view out = rest_.substr(0, n);
    rest_.remove_prefix(out.size());
    return out;
  }

 private:
  std::string_view rest_;
};

void check_answer(const proxy_session& s, const actions& out) {
  for (std::size_t i = 0; i < out.size(); ++i) {
    const bool read = std::holds_alternative<read_both>(out[i]);
    if (read && i + 1 != out.size()) std::abort();  // a read only ends an answer
  }
  const bool ends_in_read = !out.empty() && std::holds_alternative<read_both>(out.back());
  if (s.finished() == ends_in_read) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16384) return 0;
  input in(data, size);
  const std::uint8_t pick = in.byte();
  proxy_config cfg;
  cfg.proto = static_cast<runner::protocol>(pick % 3);
  cfg.atk = all_attacks()[(pick / 3) % all_attacks().size()];
  cfg.implicit_tls = ((pick / 18) & 1) != 0;
  cfg.idle_timeout_ms = 1000;
  cfg.fallback_timeout_ms = 500;
  cfg.limits.max_line = 512;
  cfg.limits.max_buffer = 4096;
  cfg.limits.max_findings = 32;
  cfg.limits.max_fallback_bytes = 1024;
  proxy_session s(cfg);

  std::uint64_t now = 0;
  actions out;
  s.start(now, out);
  check_answer(s, out);
  // Bounded: every round reads at least one input byte, or the input is over and the session is
  // closed.
  for (std::size_t round = 0; round < size + 2 && !s.finished(); ++round) {
    out.clear();
    const std::uint8_t op = in.empty() ? 7 : in.byte();
    now += op % 13;
    switch (op % 8) {
      case 0:
      case 1:
      case 2:
        s.on_client_bytes(in.take(in.byte()), now, out);
        break;
      case 3:
      case 4:
      case 5:
        s.on_server_bytes(in.take(in.byte()), now, out);
        break;
      case 6:
        s.on_timeout(now, out);
        break;
      default:
        if ((op / 8) % 2 == 0) {
          s.on_client_closed(now, out);
        } else {
          s.on_server_closed(now, out);
        }
        break;
    }
    check_answer(s, out);
    if (s.buffered() > 2 * cfg.limits.max_buffer + 256) std::abort();
    if (s.result().list().size() > cfg.limits.max_findings) std::abort();
  }
  if (!s.finished()) {
    out.clear();
    s.on_client_closed(now, out);
    if (!s.finished()) std::abort();
  }
  // Finished: further events do nothing.
  out.clear();
  s.on_client_bytes("x", now, out);
  s.on_server_bytes("x", now, out);
  s.on_timeout(now, out);
  if (!out.empty()) std::abort();
  const verdict_result v = s.verdict();
  if (v.reason.empty()) std::abort();
  return 0;
}
