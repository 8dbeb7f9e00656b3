// Sequence sets (RFC 9051 §9 sequence-set, seq-range, seq-number; RFC 5182 "$" for SEARCHRES):
// "1:5,7,*", "2:*", "$".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace mailtls::codec::imap {

// seq-number = nz-number / "*" ("*" is the largest number in use).
struct seq_number {
  std::uint32_t number = 0;  // 0 when star
  bool star = false;
  bool operator==(const seq_number&) const = default;
};

struct seq_range {
  seq_number first;
  seq_number last;  // equal to first for a single number
  bool operator==(const seq_range&) const = default;
};

struct sequence_set {
  std::vector<seq_range> ranges;
  bool saved = false;  // "$": the saved search result (RFC 5182 §2.1); ranges is empty then
  bool operator==(const sequence_set&) const = default;

  // True if n is in the set, given the largest number in use (for "*"); false for "$".
  bool contains(std::uint32_t n, std::uint32_t largest) const;
};

struct sequence_parse_result {
  sequence_set set;
  std::error_code error;     // imap_errc::sequence_*; empty on success
  std::size_t position = 0;  // index in the input of the offending byte
};

// Parses the whole of `text` as a sequence set. Errors: sequence_set_empty (""),
// sequence_number_zero ("0", "1:0"), sequence_number_too_large (above 4294967295),
// sequence_set_syntax (anything else: "1::2", "1,", ",1", "a", "$,1").
sequence_parse_result parse_sequence_set(std::string_view text);

void serialize(const sequence_set& s, std::string& out);

}  // namespace mailtls::codec::imap
