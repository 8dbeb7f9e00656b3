// Fuzz target: CRLF line framing (harness/codec/line_reader).
// Invariants: consumed never exceeds the input; need_more consumes everything; the buffer never
// exceeds max_length; feeding the same bytes whole or cut in two gives the same lines.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/line_reader.hpp"
#include "support/feed.hpp"

namespace {

using mailtls::codec::line_limits;
using mailtls::codec::line_reader;

// Appends a transcript of every line and error to `out` (reused between runs: no allocation).
void run(std::string_view in, std::size_t cut, line_limits lim, std::string& out) {
  line_reader r(lim);
  out.clear();
  mailtls::fuzz::feed_two_chunks(
      r, in, cut,
      [&](const auto& res) {
        if (res.is_complete()) {
          // Oracle: the flags must match a naive byte-by-byte look at the line.
          const auto& l = r.line();
          bool cr = false, nul = false;
          for (char c : l.text) {
            cr = cr || c == '\r';
            nul = nul || c == '\0';
          }
          if (cr != l.bare_cr || nul != l.nul || l.text.find('\n') != std::string_view::npos) {
            std::abort();
          }
          if (l.text.size() + (l.ending == mailtls::codec::line_ending::crlf ? 2 : 1) >
              lim.max_length) {
            std::abort();
          }
          out.append(r.line().text);
          out.push_back('\n');
        } else {
          out.push_back('E');
          out.append(std::to_string(res.error.value()) + "@" + std::to_string(res.offset));
          out.push_back('\n');
        }
      },
      [&](const auto&) {
        if (r.buffered() > lim.max_length) std::abort();
      });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const line_limits lim{.max_length = static_cast<std::size_t>(data[0] % 64) + 2,
                        .allow_bare_lf = (data[1] & 1) != 0,
                        .allow_bare_cr = (data[1] & 2) != 0,
                        .allow_nul = (data[1] & 4) != 0};
  const std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = in.empty() ? 0 : (data[1] >> 3) % (in.size() + 1);
  static std::string whole, split;
  run(in, 0, lim, whole);
  run(in, cut, lim, split);
  if (whole != split) std::abort();
  return 0;
}
