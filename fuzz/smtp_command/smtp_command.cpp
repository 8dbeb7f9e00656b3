// Fuzz target: SMTP command lines (harness/codec/smtp/command_parser).
// Invariants: consumed never exceeds the input; need_more consumes everything; every error
// consumes at least one byte (the parser goes on with the next line); feeding the input whole or
// cut at a fuzzer-chosen offset gives the same transcript; every complete command serializes to a
// line that parses back to an equal command.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/smtp/command_parser.hpp"
#include "support/feed.hpp"

namespace {

using namespace mailtls::codec::smtp;

void check_round_trip(const command& c, const limits& lim) {
  std::string line;
  serialize(c, line);
  limits wide = lim;
  wide.max_command_line = line.size() + 2;
  command_parser again(wide);
  const auto r = again.parse(line);
  if (!r.is_complete() || r.consumed != line.size()) std::abort();
  if (!(again.get() == c)) std::abort();
}

std::string run(std::string_view in, std::size_t cut, const limits& lim) {
  command_parser p(lim);
  std::string out;
  mailtls::fuzz::feed_two_chunks(p, in, cut, [&](const auto& res) {
    if (res.is_complete()) {
      serialize(p.get(), out);
      check_round_trip(p.get(), lim);
    } else {
      out += ("E" + std::to_string(res.error.value()) + "/" +
              std::string(res.error.category().name()) + "@" + std::to_string(res.offset));
    }
  });
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 4096) return 0;
  limits lim;
  lim.allow_bare_lf = (data[0] & 1) != 0;
  lim.allow_bare_cr = (data[0] & 2) != 0;
  lim.allow_nul = (data[0] & 4) != 0;
  if ((data[0] & 8) != 0) lim.max_command_line = 16 + (data[0] >> 4) * 8;
  if ((data[0] & 16) != 0) lim.max_parameters = 2;
  const std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = in.empty() ? 0 : data[1] % (in.size() + 1);
  if (run(in, 0, lim) != run(in, cut, lim)) std::abort();
  return 0;
}
