// Fuzz target: POP3 server responses (harness/codec/pop3/response_parser).
// Input: byte 0 = the expectation of the first four responses, two bits each (0 single line,
// 1 and 3 multi-line, 2 SASL), then repeating; byte 1 = leniency bits (bare LF, bare CR, NUL,
// lower-case status) and small body limits (bit 4); byte 2 = where to cut; the rest = the
// server's byte stream.
// Invariants: consumed <= size; need_more consumes everything; whole vs cut gives the same
// transcript; every complete, untransformed response serializes to bytes that parse back equal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/pop3/response_parser.hpp"

namespace {

using namespace mailtls::codec::pop3;

response_kind kind_at(std::uint8_t script, std::size_t i) {
  switch ((script >> (2 * (i % 4))) & 3) {
    case 0:
      return response_kind::single_line;
    case 2:
      return response_kind::sasl;
    default:
      return response_kind::multi_line;
  }
}

void check_round_trip(const response& r, response_kind kind, response_parser& q) {
  const response_flags& f = r.flags;
  // These flags mean the parser normalised or dropped something: no byte-exact echo expected.
  if (f.lowercase_status || f.bare_lf || f.truncated || f.dropped_lines != 0) return;
  std::string wire;
  serialize(r, wire);
  q.reset();
  q.expect(kind);
  const auto res = q.parse(wire);
  if (!res.is_complete() || res.consumed != wire.size()) std::abort();
  if (!(q.message() == r)) std::abort();
}

std::string run(std::string_view in, std::size_t cut, const response_limits& lim,
                std::uint8_t script) {
  response_parser p(lim);
  response_parser q(lim);  // for the round trip, reset before each use
  std::string out;
  std::string pending;
  std::size_t index = 0;
  bool started = false;
  response_kind kind = response_kind::single_line;
  for (std::string_view chunk : {in.substr(0, cut), in.substr(cut)}) {
    pending.append(chunk);
    for (std::size_t guard = 0; !pending.empty(); ++guard) {
      if (guard > in.size() + 1) std::abort();  // every round must consume
      if (!started) {
        kind = kind_at(script, index++);
        p.expect(kind);
        started = true;
      }
      const auto res = p.parse(pending);
      if (res.consumed > pending.size()) std::abort();
      if (res.is_need_more()) {
        if (res.consumed != pending.size()) std::abort();
        pending.clear();
        break;
      }
      if (res.is_complete()) {
        if (res.consumed == 0) std::abort();
        serialize(p.message(), out);
        out += std::to_string(p.message().flags.dropped_lines);
        check_round_trip(p.message(), kind, q);
        started = false;
      } else {
        out += "E" + std::to_string(res.error.value()) + "@" + std::to_string(res.offset) + "\n";
        if (!p.in_body()) started = false;
      }
      pending.erase(0, res.consumed);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3 || size > 2048) return 0;
  const bool small = (data[1] & 16) != 0;
  const response_limits lim{.max_status_line = small ? 64u : 512u,
                            .max_sasl_line = small ? 96u : 2048u,
                            .max_body_line = small ? 80u : 1001u,
                            .max_body_size = small ? 256 : std::size_t{16} << 20,
                            .max_body_lines = small ? 8 : std::size_t{1} << 20,
                            .allow_bare_lf = (data[1] & 1) != 0,
                            .allow_bare_cr = (data[1] & 2) != 0,
                            .allow_nul = (data[1] & 4) != 0,
                            .allow_lowercase_status = (data[1] & 8) != 0};
  const std::string_view in(reinterpret_cast<const char*>(data) + 3, size - 3);
  const std::size_t cut = in.empty() ? 0 : data[2] % (in.size() + 1);
  if (run(in, 0, lim, data[0]) != run(in, cut, lim, data[0])) std::abort();
  return 0;
}
