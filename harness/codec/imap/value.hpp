// The generic IMAP value tree shared by commands and responses (RFC 9051 §4 data formats, §9
// formal syntax): atom, number, quoted string, literal, NIL and parenthesised list. An atom may
// carry a [section] and a <partial> suffix, as in BODY.PEEK[HEADER.FIELDS (SUBJECT)]<0.1024>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls::codec::imap {

enum class value_kind : std::uint8_t { atom, number, quoted, literal, nil, list };

const char* to_string(value_kind k) noexcept;

// "<origin>" or "<origin.length>" after a section (RFC 9051 §9 partial, section-partial).
struct partial_range {
  std::uint64_t origin = 0;
  std::optional<std::uint64_t> length;
  bool operator==(const partial_range&) const = default;
};

struct value {
  value_kind kind = value_kind::atom;
  // atom: the atom as sent (flags keep their backslash, "\Seen"); number: the digits as sent;
  // quoted: the unescaped content; literal: the data; nil: "NIL" as sent.
  std::string text;
  std::uint64_t number = 0;              // kind == number
  bool non_sync = false;                 // literal sent as {n+} (RFC 7888)
  bool binary = false;                   // literal8 ~{n} (RFC 3516, RFC 9051 §9)
  bool has_section = false;              // atom followed by "[...]"
  std::vector<value> section;            // the section's items, e.g. HEADER.FIELDS (SUBJECT)
  std::optional<partial_range> partial;  // "<o.l>" after the section
  std::vector<value> items;              // kind == list

  bool operator==(const value&) const = default;

  static value make_atom(std::string_view a);
  static value make_number(std::uint64_t n);
  static value make_quoted(std::string_view s);
  static value make_literal(std::string_view data, bool non_sync = false, bool binary = false);
  // A string as quoted when it can be (no CR, LF, NUL, at most 1000 octets), else as a literal.
  static value make_string(std::string_view s);
  static value make_nil();
  static value make_list(std::vector<value> items = {});

  bool is_atom() const { return kind == value_kind::atom; }
  bool is_plain_atom() const { return kind == value_kind::atom && !has_section && !partial; }
  bool is_string() const { return kind == value_kind::quoted || kind == value_kind::literal; }
  // astring (RFC 9051 §9): atom (ASTRING-CHARs), number, quoted or literal; NIL counts (it is an
  // atom there).
  bool is_astring() const;
  bool is_nstring() const { return kind == value_kind::nil || is_string(); }
  bool is_list() const { return kind == value_kind::list; }
  // A flag atom: "\Seen", "\*" or a keyword atom.
  bool is_flag() const;
  // True if the atom equals `a`, ASCII case-insensitively (plain atoms only).
  bool atom_is(std::string_view a) const;
};

// Appends the wire form of v: quoted strings escaped, literals as "{n}\r\n" + data (with "+" and
// "~" preserved), lists parenthesised with single SP separators.
void serialize(const value& v, std::string& out);
void serialize_values(const std::vector<value>& vs, std::string& out);  // SP-separated

// ASCII case-insensitive comparison.
bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace mailtls::codec::imap
