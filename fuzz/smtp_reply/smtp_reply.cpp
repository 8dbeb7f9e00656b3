// Fuzz target: SMTP replies (harness/codec/smtp/reply_parser) and EHLO capabilities
// (harness/codec/smtp/ehlo).
// Invariants: consumed never exceeds the input; need_more consumes everything; whole and cut
// feeds give the same transcript; every complete reply serializes to bytes that parse back to
// the same code and lines; EHLO capabilities survive to_reply -> serialize -> parse -> parse.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/smtp/ehlo.hpp"
#include "codec/smtp/reply_parser.hpp"
#include "support/feed.hpp"

namespace {

using namespace mailtls::codec::smtp;

limits wide_limits() {
  limits w;
  w.max_reply_line = 1 << 20;
  w.max_reply_lines = 1 << 16;
  w.allow_bare_cr = true;
  w.allow_nul = true;
  return w;
}

reply reparse(const std::string& bytes) {
  reply_parser again(wide_limits());
  const auto r = again.parse(bytes);
  if (!r.is_complete() || r.consumed != bytes.size()) std::abort();
  return again.get();
}

void check_round_trip(const reply& rep) {
  std::string bytes;
  serialize(rep, bytes);
  const reply back = reparse(bytes);
  if (back.code != rep.code || back.lines != rep.lines) std::abort();
  // Enhanced codes are a pure function of the line text.
  for (std::size_t i = 0; i < rep.lines.size(); ++i) {
    if (back.enhanced(i) != rep.enhanced(i)) std::abort();
  }

  ehlo_capabilities caps;
  if (caps.parse(rep)) {
    if (rep.code == 250) std::abort();
    return;
  }
  std::string built;
  serialize(caps.to_reply(), built);
  ehlo_capabilities caps2;
  if (caps2.parse(reparse(built))) std::abort();
  if (caps2.domain() != caps.domain() || caps2.greeting() != caps.greeting() ||
      caps2.all() != caps.all()) {
    std::abort();
  }
  for (const auto& c : caps.all()) {
    if (!caps.has(c.keyword) || caps.params(c.keyword).size() != c.params.size()) std::abort();
  }
  (void)caps.size_limit();
}

// The round trip is checked on the first (whole) feed only: the cut feed must match it anyway.
std::string run(std::string_view in, std::size_t cut, const limits& lim, bool check) {
  reply_parser p(lim);
  std::string out;
  mailtls::fuzz::feed_two_chunks(p, in, cut, [&](const auto& res) {
    if (res.is_complete()) {
      const reply& rep = p.get();
      if (rep.lines.empty() || rep.lines.size() > lim.max_reply_lines) std::abort();
      if (rep.code < 200 || rep.code > 559) std::abort();
      std::string s;
      serialize(rep, s);
      if (rep.bare_lf) s += "+lf";
      if (rep.bare_cr) s += "+cr";
      if (rep.nul) s += "+nul";
      out += s;
      if (check) check_round_trip(rep);
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
  if ((data[0] & 8) != 0) lim.max_reply_line = 8 + (data[0] >> 4) * 4;
  if ((data[0] & 16) != 0) lim.max_reply_lines = 3;
  const std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = in.empty() ? 0 : data[1] % (in.size() + 1);
  if (run(in, 0, lim, true) != run(in, cut, lim, false)) std::abort();
  return 0;
}
