#include "codec/imap/value.hpp"

#include <charconv>
#include <cstring>

namespace mailtls::codec::imap {

const char* to_string(value_kind k) noexcept {
  switch (k) {
    case value_kind::atom:
      return "atom";
    case value_kind::number:
      return "number";
    case value_kind::quoted:
      return "quoted";
    case value_kind::literal:
      return "literal";
    case value_kind::nil:
      return "nil";
    case value_kind::list:
      return "list";
  }
  return "?";
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}

value value::make_atom(std::string_view a) {
  value v;
  v.kind = value_kind::atom;
  v.text = a;
  return v;
}

value value::make_number(std::uint64_t n) {
  value v;
  v.kind = value_kind::number;
  v.number = n;
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  v.text.assign(buf, r.ptr);
  return v;
}

value value::make_quoted(std::string_view s) {
  value v;
  v.kind = value_kind::quoted;
  v.text = s;
  return v;
}

value value::make_literal(std::string_view data, bool non_sync, bool binary) {
  value v;
  v.kind = value_kind::literal;
  v.text = data;
  v.non_sync = non_sync;
  v.binary = binary;
  return v;
}

value value::make_string(std::string_view s) {
  const bool quotable =
      s.size() <= 1000 && s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
  return quotable ? make_quoted(s) : make_literal(s);
}

value value::make_nil() {
  value v;
  v.kind = value_kind::nil;
  v.text = "NIL";
  return v;
}

value value::make_list(std::vector<value> items) {
  value v;
  v.kind = value_kind::list;
  v.items = std::move(items);
  return v;
}

bool value::is_astring() const {
  switch (kind) {
    case value_kind::atom:
      // 1*ASTRING-CHAR: no flag backslash, no list-wildcards (RFC 9051 §9).
      return !has_section && !partial && !text.empty() && text[0] != '\\' &&
             text.find_first_of("%*") == std::string::npos;
    case value_kind::number:
    case value_kind::quoted:
    case value_kind::literal:
    case value_kind::nil:
      return true;
    case value_kind::list:
      return false;
  }
  return false;
}

bool value::is_flag() const {
  if (!is_plain_atom() || text.empty()) return false;
  // RFC 9051 §9: flag-keyword is an atom; list-wildcards and "]" are not ATOM-CHARs.
  const std::size_t from = text[0] == '\\' ? 1 : 0;
  if (text == "\\*") return true;
  if (from == text.size()) return false;
  return text.find_first_of("%*]", from) == std::string::npos;
}

bool value::atom_is(std::string_view a) const {
  return is_plain_atom() && iequals(text, a);
}

namespace {

void serialize_quoted(std::string_view s, std::string& out) {
  out.push_back('"');
  std::size_t from = 0;
  while (from < s.size()) {
    const std::size_t at = s.find_first_of("\"\\", from);
    if (at == std::string_view::npos) {
      out.append(s.substr(from));
      break;
    }
    out.append(s.substr(from, at - from));
    out.push_back('\\');  // RFC 9051 §9 quoted-specials are escaped
    out.push_back(s[at]);
    from = at + 1;
  }
  out.push_back('"');
}

void append_number(std::uint64_t n, std::string& out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

}  // namespace

void serialize(const value& v, std::string& out) {
  switch (v.kind) {
    case value_kind::atom:
      out.append(v.text);
      if (v.has_section) {
        out.push_back('[');
        serialize_values(v.section, out);
        out.push_back(']');
      }
      if (v.partial) {
        out.push_back('<');
        append_number(v.partial->origin, out);
        if (v.partial->length) {
          out.push_back('.');
          append_number(*v.partial->length, out);
        }
        out.push_back('>');
      }
      return;
    case value_kind::number:
    case value_kind::nil:
      out.append(v.text);
      return;
    case value_kind::quoted:
      serialize_quoted(v.text, out);
      return;
    case value_kind::literal:
      if (v.binary) out.push_back('~');
      out.push_back('{');
      append_number(v.text.size(), out);
      if (v.non_sync) out.push_back('+');
      out.append("}\r\n");
      out.append(v.text);
      return;
    case value_kind::list:
      out.push_back('(');
      serialize_values(v.items, out);
      out.push_back(')');
      return;
  }
}

void serialize_values(const std::vector<value>& vs, std::string& out) {
  for (std::size_t i = 0; i < vs.size(); ++i) {
    if (i != 0) out.push_back(' ');
    serialize(vs[i], out);
  }
}

}  // namespace mailtls::codec::imap
