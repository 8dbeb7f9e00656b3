// Fuzz target: DATA content (harness/codec/smtp/data_reader), dot_stuff and BDAT chunks
// (harness/codec/smtp/bdat_reader).
// Invariants: consumed never exceeds the input; need_more consumes everything; whole and cut
// feeds give the same messages and flags; stored content never exceeds max_message_size;
// data_reader(dot_stuff(x)) == x (+ CRLF when x does not end in one); BDAT chunks are cut at
// exactly their size whatever the feed.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/smtp/bdat_reader.hpp"
#include "codec/smtp/data_reader.hpp"
#include "support/feed.hpp"

namespace {

using namespace mailtls::codec::smtp;

struct digest {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  std::uint64_t messages = 0;
  void add(std::uint64_t v) {
    for (int k = 0; k < 8; ++k) {
      h = (h ^ ((v >> (8 * k)) & 0xff)) * 1099511628211ull;
    }
  }
  void add(std::string_view s) {
    for (unsigned char c : s)
      h = (h ^ c) * 1099511628211ull;
    add(s.size());
  }
  bool operator==(const digest&) const = default;
};

void describe(const data_reader& r, digest& d) {
  const data_info& i = r.info();
  d.add(r.content());
  for (std::uint64_t v : {i.size, i.bare_lf, i.first_bare_lf, i.bare_cr, i.first_bare_cr,
                          i.smuggling, i.first_smuggling, i.long_lines, i.first_long_line}) {
    d.add(v);
  }
  d.add(i.oversize ? 1u : 0u);
  ++d.messages;
}

digest run(std::string_view in, std::size_t cut, const limits& lim) {
  data_reader r(lim);
  digest out;
  mailtls::fuzz::feed_two_chunks(
      r, in, cut,
      [&](const auto& res) {
        if (res.is_error()) std::abort();
        if (r.info().oversize != (r.info().size > lim.max_message_size)) std::abort();
        describe(r, out);
      },
      [&](const auto&) {
        if (r.content().size() > lim.max_message_size) std::abort();
      });
  return out;
}

void check_dot_stuff(std::string_view x) {
  std::string wire;
  dot_stuff(x, wire);
  data_reader r;
  const auto res = r.parse(wire);
  if (!res.is_complete() || res.consumed != wire.size()) std::abort();
  const bool ends_crlf = x.size() >= 2 && x.substr(x.size() - 2) == "\r\n";
  const std::string_view got = r.content();
  if (x.empty() || ends_crlf) {
    if (got != x) std::abort();
  } else if (got.size() != x.size() + 2 || got.substr(0, x.size()) != x ||
             got.substr(x.size()) != "\r\n") {
    std::abort();
  }
  if (r.info().smuggling != 0 && x.find('.') == std::string_view::npos) std::abort();
}

std::string run_bdat(std::string_view in, std::size_t cut, std::uint8_t sizes) {
  limits lim;
  lim.max_message_size = 7;
  bdat_reader r(lim);
  std::string out;
  std::uint64_t chunk_size = sizes % 13;
  r.begin_chunk(chunk_size, false);
  auto next_chunk = [&] {
    if (r.content().size() > lim.max_message_size) std::abort();
    out += r.content();
    out += '|';
    out += std::to_string(r.message_size());
    chunk_size = (chunk_size * 7 + 3) % 61 + 1;
    r.begin_chunk(chunk_size, chunk_size % 4 == 0);
  };
  // A first chunk of size 0 is complete without consuming a byte, which feed_two_chunks takes for
  // a stuck parser: take it here, when bytes follow (later chunks are never empty).
  if (chunk_size == 0 && !in.empty()) {
    const auto res = r.parse(in);
    if (!res.is_complete() || res.consumed != 0) std::abort();
    next_chunk();
  }
  mailtls::fuzz::feed_two_chunks(r, in, cut, [&](const auto& res) {
    if (res.is_error()) std::abort();
    next_chunk();
  });
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 4096) return 0;
  limits lim;
  if ((data[0] & 1) != 0) lim.max_message_size = data[0] >> 2;
  if ((data[0] & 2) != 0) lim.max_text_line = 4 + (data[0] >> 4);
  const std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = in.empty() ? 0 : data[1] % (in.size() + 1);
  if (run(in, 0, lim) != run(in, cut, lim)) std::abort();
  check_dot_stuff(in);
  if (run_bdat(in, 0, data[1]) != run_bdat(in, cut, data[1])) std::abort();
  return 0;
}
