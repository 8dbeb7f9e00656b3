// The result every incremental codec parser returns.
//
// Contract, shared by all parsers in harness/codec:
//  - parse(bytes) looks at `bytes` from the start and reports how many it used (`consumed`).
//  - need_more: everything given was consumed (buffered inside the parser, bounded by its limits);
//    call parse again with the next bytes.
//  - complete: one message ends at bytes[consumed - 1]; the rest is NOT consumed and belongs to the
//    next message (or, across STARTTLS, to nobody: RFC 3207 §4.2). The parsed message stays valid
//    until the next parse call. The next parse call starts a new message.
//  - error: `error` names what was wrong and `offset` is the absolute stream offset (counted from
//  the
//    parser's construction or last reset()) of the offending byte. Whether the parser can go on is
//    documented per parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <system_error>

namespace mailtls::codec {

enum class parse_status : std::uint8_t { complete, need_more, error };

struct parse_result {
  std::size_t consumed = 0;
  parse_status status = parse_status::need_more;
  std::error_code error{};
  std::uint64_t offset = 0;  // absolute stream offset of the error, when status == error

  static parse_result complete(std::size_t n) { return {n, parse_status::complete, {}, 0}; }
  static parse_result need_more(std::size_t n) { return {n, parse_status::need_more, {}, 0}; }
  static parse_result failed(std::size_t n, std::error_code ec, std::uint64_t at) {
    return {n, parse_status::error, ec, at};
  }

  bool is_complete() const { return status == parse_status::complete; }
  bool is_need_more() const { return status == parse_status::need_more; }
  bool is_error() const { return status == parse_status::error; }
};

const char* to_string(parse_status s) noexcept;

}  // namespace mailtls::codec
