// BDAT chunk reader (RFC 3030 §2): exactly `size` octets follow the BDAT command line, with no
// dot-stuffing and no end marker.
//
// begin_chunk(size, last) arms the reader; parse() then consumes up to the remaining octets and
// returns complete when the chunk is done (the rest of the input is not consumed: it is the next
// command). Nothing is allocated up front: an announced "BDAT 999999999" costs nothing until
// octets arrive, and at most limits::max_message_size octets of one message (all its chunks up to
// the LAST one) are stored; beyond that octets are counted and skipped, and oversize() is set
// (RFC 3030 §2: reply 552 to the chunk). parse() never fails; called with no chunk armed (or for
// a chunk of size 0) it returns complete(0).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/parse_result.hpp"
#include "codec/smtp/limits.hpp"

namespace mailtls::codec::smtp {

class bdat_reader {
 public:
  explicit bdat_reader(limits lim = {}, std::string* sink = nullptr);

  // Starts a chunk. The first chunk after construction, reset() or a completed LAST chunk starts
  // a new message (the internal buffer is cleared; a caller's sink is only appended to).
  void begin_chunk(std::uint64_t size, bool last);

  parse_result parse(std::string_view bytes);

  std::uint64_t remaining() const { return remaining_; }
  bool last() const { return last_; }
  // True once the LAST chunk has been read completely.
  bool message_complete() const { return message_done_; }
  std::uint64_t message_size() const { return size_; }  // octets of all chunks so far
  bool oversize() const { return size_ > limits_.max_message_size; }
  std::string_view content() const;
  std::uint64_t stream_offset() const { return offset_; }
  void reset();

 private:
  limits limits_;
  std::string* sink_ = nullptr;
  std::string content_;
  std::size_t sink_start_ = 0;
  std::uint64_t offset_ = 0;
  std::uint64_t remaining_ = 0;
  std::uint64_t size_ = 0;
  std::uint64_t stored_ = 0;
  bool last_ = false;
  bool message_done_ = true;  // no message in progress
};

}  // namespace mailtls::codec::smtp
