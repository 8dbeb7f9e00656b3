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
#include "support/feed.hpp"

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
  std::size_t index = 0;
  response_kind kind = kind_at(script, index++);
  p.expect(kind);
  mailtls::fuzz::feed_two_chunks(p, in, cut, [&](const auto& res) {
    if (res.is_complete()) {
      serialize(p.message(), out);
      out += std::to_string(p.message().flags.dropped_lines);
      check_round_trip(p.message(), kind, q);
    } else {
      out += "E" + std::to_string(res.error.value()) + "@" + std::to_string(res.offset) + "\n";
      if (p.in_body()) return;  // a bad body line: the same response goes on
    }
    // The response is over: the next one is the script's next expectation.
    kind = kind_at(script, index++);
    p.expect(kind);
  });
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
