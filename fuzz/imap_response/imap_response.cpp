// Fuzz target: IMAP server stream (harness/codec/imap/response_parser): greetings, status
// responses with codes, untagged data with literals, continuation requests.
// Invariants: consumed <= size; need_more consumes everything; the buffer stays bounded; the whole
// input and the input cut in two give the same transcript; every complete response serializes to
// bytes that parse back to an equal response; capability extraction never fails on a parsed
// response.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "codec/imap/capability_set.hpp"
#include "codec/imap/response_parser.hpp"
#include "support/feed.hpp"

namespace {

using namespace mailtls::codec::imap;

imap_limits limits_from(std::uint8_t cfg) {
  imap_limits l = imap_limits::responses();
  l.max_line = (cfg & 3) == 0 ? 48 : 8192;
  l.max_literal = (cfg & 4) != 0 ? 24 : 4096;
  l.max_message = (cfg & 8) != 0 ? 96 : 16384;
  l.max_depth = (cfg & 16) != 0 ? 3 : 32;
  l.max_values = (cfg & 16) != 0 ? 12 : 100000;
  l.allow_bare_lf = (cfg & 32) != 0;
  l.allow_bare_cr = (cfg & 64) != 0;
  l.allow_nul = (cfg & 64) != 0;
  l.allow_invalid_utf8 = (cfg & 128) != 0;
  return l;
}

void check_round_trip(const response_parser& p) {
  std::string wire;
  serialize(p.get(), wire);
  imap_limits relaxed = p.limits();  // bare LF became CRLF: a line or message may grow
  relaxed.max_line *= 2;
  relaxed.max_message *= 2;
  response_parser q(relaxed);
  const auto r = q.parse(wire);
  if (!r.is_complete() || r.consumed != wire.size()) std::abort();
  if (!(q.get() == p.get())) std::abort();
  const auto caps = capability_set::from_response(p.get());
  if (caps) {
    for (const auto& c : caps->items())
      if (!caps->has(c)) std::abort();
  }
}

// `check`: verify the round trip of every complete message (once per input is enough).
std::vector<std::string> run(std::string_view in, std::size_t cut, const imap_limits& lim,
                             bool check) {
  response_parser p(lim);
  std::vector<std::string> out;
  mailtls::fuzz::feed_two_chunks(
      p, in, cut,
      [&](const auto& res) {
        if (res.is_complete()) {
          if (check) check_round_trip(p);
          std::string s;
          serialize(p.get(), s);
          out.push_back(std::move(s));
        } else {
          // The bytes consumed with an error depend on the cut (line_too_long consumes what it
          // was given), so only the error and its offset are compared.
          out.push_back("E" + std::to_string(res.error.value()) + "@" + std::to_string(res.offset));
        }
      },
      [&](const auto&) {
        if (p.buffered() > lim.max_message + lim.max_line) std::abort();
      });
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 4096) return 0;
  const imap_limits lim = limits_from(data[0]);
  const std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = in.empty() ? 0 : data[1] % (in.size() + 1);
  if (run(in, 0, lim, true) != run(in, cut, lim, false)) std::abort();
  return 0;
}
