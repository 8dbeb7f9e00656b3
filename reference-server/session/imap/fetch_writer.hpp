// FETCH data items (RFC 9051 §6.4.5, §7.5.2): which items a FETCH asks for, and how each one is
// written; plus the IMAP date-time and flag conversions the session needs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/imap/value.hpp"
#include "session/backend.hpp"

namespace mailtls::server::imap {

enum class fetch_kind : std::uint8_t {
  flags,
  uid,
  rfc822_size,
  internaldate,
  body,  // BODY[section]<partial>, BODY.PEEK[...], RFC822, RFC822.HEADER, RFC822.TEXT
};

enum class body_part : std::uint8_t {
  full,               // BODY[]
  header,             // BODY[HEADER]
  text,               // BODY[TEXT]
  header_fields,      // BODY[HEADER.FIELDS (a b)]
  header_fields_not,  // BODY[HEADER.FIELDS.NOT (a b)]
};

struct fetch_item {
  fetch_kind kind = fetch_kind::flags;
  body_part part = body_part::full;
  bool peek = false;                    // does not set \Seen (BODY.PEEK, RFC822.HEADER)
  std::vector<std::string> fields;      // HEADER.FIELDS names
  std::optional<std::uint64_t> origin;  // <origin.length>
  std::uint64_t length = 0;             // with origin
  std::string name;                     // the name in the response: "BODY[HEADER]", "RFC822"
  bool operator==(const fetch_item&) const = default;
};

// Reads the FETCH items argument (an atom, macro or parenthesised list). On failure returns the
// text for a BAD reply.
std::optional<std::string> parse_fetch_items(const codec::imap::value& arg,
                                             std::vector<fetch_item>& out);

// Appends "NAME value" for one item (bodies as a literal: "BODY[] {n}\r\n" + data).
void write_fetch_item(const fetch_item& item, const message_entry& m, std::string_view content,
                      std::string& out);

// "(\Seen \Deleted)" (RFC 9051 §2.3.2 system flags).
void append_flag_list(std::uint8_t flags, std::string& out);
// The flag bit of a system flag atom ("\Seen", any case); 0 for keywords and unknown flags.
std::uint8_t flag_bit(std::string_view atom) noexcept;

// RFC 9051 §9 date-time "dd-Mon-yyyy hh:mm:ss +zzzz" (UTC, +0000) from unix seconds.
std::string format_date_time(std::int64_t t);
// Unix seconds from a date-time string; nothing if it is not a valid date.
std::optional<std::int64_t> parse_date_time(std::string_view s);

// The header of a message up to and including the empty line, and the rest (RFC 5322 §2.1).
std::string_view header_of(std::string_view message);
std::string_view text_of(std::string_view message);

}  // namespace mailtls::server::imap
