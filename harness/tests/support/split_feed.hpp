// "Parsegrind" for mailtls codecs (after Boost.Beast's test of the same name): feed an input to a
// parser in every possible split and check that what comes out does not depend on how the bytes
// were cut.
//
// A parser here is anything with `parse_result parse(std::string_view)`. `describe(parser)` turns
// the message just completed into a string (include every field the test cares about). A feed
// produces a transcript: one entry per complete message, plus "error <message> @<offset>" for an
// error, plus "need_more" if the input ended inside a message.
//
// Every chunk is copied into an exact-size heap buffer before it is parsed, so ASan reports any
// read past the bytes the parser was given.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "codec/parse_result.hpp"

namespace mailtls::test {

struct feed_options {
  // Stop at the first error (default), or keep feeding what follows (for parsers that recover).
  bool continue_after_error = false;
};

// Feeds `input` cut at `cuts` (ascending offsets strictly inside the input). The caller's buffer
// keeps unconsumed bytes, as a network layer would.
template <class Parser, class Describe>
std::vector<std::string> feed_chunks(Parser& parser, std::string_view input,
                                     const std::vector<std::size_t>& cuts, Describe&& describe,
                                     feed_options opts = {}) {
  std::vector<std::string> out;
  std::string pending;
  std::size_t from = 0;
  bool stopped = false;
  bool mid_message = false;
  for (std::size_t i = 0; i <= cuts.size() && !stopped; ++i) {
    const std::size_t to = i < cuts.size() ? cuts[i] : input.size();
    pending.append(input.substr(from, to - from));
    from = to;
    // Bounded: every round consumes at least one byte or leaves the loop.
    for (std::size_t rounds = 0; !pending.empty() && rounds <= input.size() + 1; ++rounds) {
      auto exact = std::make_unique<char[]>(pending.size());
      std::memcpy(exact.get(), pending.data(), pending.size());
      const std::string_view view(exact.get(), pending.size());
      const codec::parse_result r = parser.parse(view);
      EXPECT_LE(r.consumed, pending.size()) << "parser consumed more than it was given";
      if (r.is_need_more()) {
        EXPECT_EQ(r.consumed, pending.size()) << "need_more must consume everything given";
        pending.clear();
        mid_message = true;
        break;
      }
      if (r.is_complete()) {
        EXPECT_GT(r.consumed, 0u) << "a complete message consumed no bytes";
        out.push_back(describe(parser));
        mid_message = false;
        pending.erase(0, r.consumed);
        if (r.consumed == 0) {
          stopped = true;
          break;
        }
        continue;
      }
      out.push_back("error " + r.error.message() + " @" + std::to_string(r.offset));
      mid_message = false;
      pending.erase(0, std::min(r.consumed, pending.size()));
      if (!opts.continue_after_error) {
        stopped = true;
        break;
      }
      if (r.consumed == 0) {
        stopped = true;
        break;
      }
    }
  }
  if (mid_message && !stopped) out.push_back("need_more");
  return out;
}

// Checks that every two-way split and the byte-by-byte feed give the transcript of the whole
// input fed at once; returns that transcript for further assertions.
template <class MakeParser, class Describe>
std::vector<std::string> expect_split_invariant(std::string_view input, MakeParser&& make,
                                                Describe&& describe, feed_options opts = {}) {
  auto whole_parser = make();
  const auto whole = feed_chunks(whole_parser, input, {}, describe, opts);
  for (std::size_t cut = 1; cut < input.size(); ++cut) {
    auto p = make();
    EXPECT_EQ(feed_chunks(p, input, {cut}, describe, opts), whole) << "split at byte " << cut;
  }
  std::vector<std::size_t> every;
  for (std::size_t cut = 1; cut < input.size(); ++cut)
    every.push_back(cut);
  auto p = make();
  EXPECT_EQ(feed_chunks(p, input, every, describe, opts), whole) << "fed one byte at a time";
  return whole;
}

}  // namespace mailtls::test
