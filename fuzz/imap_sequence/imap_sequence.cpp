// Fuzz target: IMAP sequence sets (harness/codec/imap/sequence_set).
// Invariants: an error position lies inside the input (or 0 for empty input); a parsed set is
// non-empty (or "$"), serializes to text that parses back to an equal set, and contains() agrees
// with the ranges for a few probe values.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/imap/sequence_set.hpp"

using namespace mailtls::codec::imap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1024) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto r = parse_sequence_set(in);
  if (r.error) {
    if (r.position > in.size()) std::abort();
    return 0;
  }
  if (!r.set.saved && r.set.ranges.empty()) std::abort();
  std::string wire;
  serialize(r.set, wire);
  const auto again = parse_sequence_set(wire);
  if (again.error || !(again.set == r.set)) std::abort();
  for (const auto& range : r.set.ranges) {
    const std::uint32_t largest = 1000;
    const std::uint32_t n = range.first.star ? largest : range.first.number;
    if (n != 0 && !r.set.contains(n, largest)) std::abort();
  }
  return 0;
}
