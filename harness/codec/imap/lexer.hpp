// Tokenizer over one framed IMAP message (command or response): the message's lines with their
// endings and its literal data, exactly as received, so that position p is stream offset base + p.
// The framer (framer.hpp) guarantees that a line ending inside the message follows a literal
// announcement "{n}" and that the n data octets are present.
//
// Character classes are those of RFC 9051 §9 (ATOM-CHAR, ASTRING-CHAR, tag, QUOTED-CHAR).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "codec/imap/errc.hpp"
#include "codec/imap/limits.hpp"
#include "codec/imap/value.hpp"

namespace mailtls::codec::imap {

// RFC 9051 §9: ATOM-CHAR = any CHAR except atom-specials ( "(" ")" "{" SP CTL "%" "*" DQUOTE "\"
// "]" ).
bool is_atom_char(unsigned char c) noexcept;
// ASTRING-CHAR = ATOM-CHAR / resp-specials ("]").
bool is_astring_char(unsigned char c) noexcept;
// tag = 1*<any ASTRING-CHAR except "+">.
bool is_tag_char(unsigned char c) noexcept;
// Length of the well-formed UTF-8 sequence at p (RFC 3629 §4), or 0.
std::size_t utf8_sequence_length(const unsigned char* p, std::size_t avail) noexcept;

class lexer {
 public:
  lexer(std::string_view msg, std::uint64_t base, const imap_limits& limits)
      : msg_(msg), base_(base), limits_(&limits) {}

  std::size_t pos() const { return pos_; }
  std::uint64_t offset(std::size_t p) const { return base_ + p; }
  std::uint64_t offset() const { return base_ + pos_; }
  // At a line ending (CRLF, or a bare LF the framer let through) or past the end.
  bool at_line_end() const;
  int peek() const { return pos_ < msg_.size() ? static_cast<unsigned char>(msg_[pos_]) : -1; }
  void advance(std::size_t n = 1) { pos_ += n; }

  // The longest run of bytes satisfying pred from pos (pos moves past it).
  template <class Pred>
  std::string_view take_while(Pred pred) {
    const std::size_t from = pos_;
    while (pos_ < msg_.size() && pred(static_cast<unsigned char>(msg_[pos_])))
      ++pos_;
    return msg_.substr(from, pos_ - from);
  }
  // Everything up to the line ending (pos moves to the ending).
  std::string_view rest_of_line();

  // One value of any kind. `in_bracket`: inside "[...]", where "]" ends an atom.
  bool read_value(value& out, std::size_t depth = 0, bool in_bracket = false);
  // Zero or more values, each after exactly one SP, up to the line ending. Records each value's
  // stream offset in `offsets` when given.
  bool read_args(std::vector<value>& out, std::vector<std::uint64_t>* offsets = nullptr);
  // Exactly one SP followed by a token (not SP, not the line end).
  bool expect_sp();
  // The final line ending must come next (it ends the message).
  bool expect_end();

  bool fail(imap_errc e, std::size_t at) {
    if (!failed_) {
      failed_ = true;
      error_ = e;
      error_offset_ = base_ + at;
    }
    return false;
  }
  bool failed() const { return failed_; }
  imap_errc error() const { return error_; }
  std::uint64_t error_offset() const { return error_offset_; }

 private:
  bool read_list(value& out, std::size_t depth, bool in_bracket);
  bool read_quoted(value& out);
  bool read_literal(value& out);
  bool read_atom(value& out, std::size_t depth, bool in_bracket);
  bool read_section(value& out, std::size_t depth);
  bool read_partial(value& out);
  bool count_value(std::size_t at);

  std::string_view msg_;
  std::uint64_t base_ = 0;
  const imap_limits* limits_;
  std::size_t pos_ = 0;
  std::size_t values_ = 0;
  bool failed_ = false;
  imap_errc error_{};
  std::uint64_t error_offset_ = 0;
};

}  // namespace mailtls::codec::imap
