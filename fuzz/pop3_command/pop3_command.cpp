// Fuzz target: POP3 command lines (harness/codec/pop3/command_parser).
// Input: byte 0 = leniency bits (bare LF / bare CR / NUL), SASL mode for the first line, AUTH
// line limit; byte 1 = where to cut the rest in two; the rest = the client's byte stream.
// Invariants: consumed <= size; need_more consumes everything; whole vs cut gives the same
// transcript; every complete command serializes to a line that parses back to the same command.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/pop3/command_parser.hpp"
#include "support/feed.hpp"

namespace {

using namespace mailtls::codec::pop3;

void check_round_trip(const command& c, command_parser& q) {
  std::string wire;
  serialize(c, wire);
  q.reset();
  if (c.kind == command_kind::sasl_response) q.expect_sasl_response();
  const auto r = q.parse(wire);
  if (!r.is_complete() || r.consumed != wire.size()) std::abort();
  if (!(q.message() == c)) std::abort();
}

// The round trip is checked in the first (whole) run only: the cut run must match it anyway.
std::string run(std::string_view in, std::size_t cut, const command_limits& lim, bool sasl,
                bool check) {
  command_parser p(lim);
  command_parser q(lim);  // for the round trip, reset before each use
  if (sasl) p.expect_sasl_response();
  std::string out;
  mailtls::fuzz::feed_two_chunks(p, in, cut, [&](const auto& res) {
    if (res.is_complete()) {
      serialize(p.message(), out);
      if (check) check_round_trip(p.message(), q);
    } else {
      out += "E" + std::to_string(res.error.value()) + "@" + std::to_string(res.offset) + "\n";
    }
  });
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 2048) return 0;
  const command_limits lim{.max_auth_line = 255 + static_cast<std::size_t>(data[0] >> 4) * 64,
                           .allow_bare_lf = (data[0] & 1) != 0,
                           .allow_bare_cr = (data[0] & 2) != 0,
                           .allow_nul = (data[0] & 4) != 0};
  const bool sasl = (data[0] & 8) != 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = in.empty() ? 0 : data[1] % (in.size() + 1);
  if (run(in, 0, lim, sasl, true) != run(in, cut, lim, sasl, false)) std::abort();
  return 0;
}
