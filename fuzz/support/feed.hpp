// Shared driver of the fuzz targets: feeds an input to an incremental parser and checks the parse
// contract of harness/codec/parse_result.hpp on every call, so each target only states what is
// specific to its parser (transcript, round trip, oracles, mode switches).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string_view>

#include "codec/parse_result.hpp"

namespace mailtls::fuzz {

// The default per-call check of feed_two_chunks: none.
struct no_check {
  void operator()(const codec::parse_result&) const noexcept {}
};

// Feeds `in` to `p` (anything with `parse_result parse(std::string_view)`) as two chunks,
// [0, cut) and [cut, end), and checks the parse contract with std::abort() on violation:
// consumed <= given; need_more consumes everything; a result that is not need_more consumes at
// least one byte; a chunk takes a bounded number of rounds.
//  - after_parse(const parse_result&) runs after every parse call, need_more included (buffer
//    bounds and other invariants that must hold between calls).
//  - on_result(const parse_result&) runs for every complete message or error, before the next
//    parse call: the parsed message is still valid, and the callback may switch the parser's mode
//    (it captures the parser by reference).
// Since need_more consumes everything, nothing is carried from one chunk to the next: no pending
// buffer, every view handed to the parser points into `in`.
template <class Parser, class OnResult, class AfterParse = no_check>
void feed_two_chunks(Parser& p, std::string_view in, std::size_t cut, OnResult&& on_result,
                     AfterParse&& after_parse = {}) {
  if (cut > in.size()) std::abort();
  for (std::string_view rest : {in.substr(0, cut), in.substr(cut)}) {
    // Every round but the last consumes at least one byte: at most size + 1 rounds per chunk.
    const std::size_t max_rounds = rest.size() + 1;
    for (std::size_t round = 0; !rest.empty(); ++round) {
      if (round >= max_rounds) std::abort();
      const codec::parse_result res = p.parse(rest);
      if (res.consumed > rest.size()) std::abort();
      after_parse(res);
      if (res.is_need_more()) {
        if (res.consumed != rest.size()) std::abort();
        break;
      }
      if (res.consumed == 0) std::abort();
      on_result(res);
      rest.remove_prefix(res.consumed);
    }
  }
}

}  // namespace mailtls::fuzz
