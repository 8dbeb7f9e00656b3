#include "session/imap/fetch_writer.hpp"

#include <array>

namespace mailtls::server::imap {

namespace cimap = mailtls::codec::imap;

namespace {

constexpr std::array<std::string_view, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// Days since 1970-01-01 of a proleptic Gregorian date (the well-known era-based algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t y;
  unsigned m;
  unsigned d;
};

civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

void two_digits(unsigned v, std::string& out) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

bool digits_at(std::string_view s, std::size_t at, std::size_t n, unsigned& v) {
  v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

std::optional<std::string> unsupported(std::string_view what) {
  return "Unsupported FETCH item " + upper(what.substr(0, 40));
}

std::optional<std::string> parse_one(const cimap::value& v, std::vector<fetch_item>& out) {
  if (v.kind != cimap::value_kind::atom) return "Invalid FETCH item";
  const std::string name = upper(v.text);
  fetch_item it;
  if (!v.has_section) {
    if (v.partial) return "Invalid FETCH item";
    if (name == "FLAGS") {
      it.kind = fetch_kind::flags;
    } else if (name == "UID") {
      it.kind = fetch_kind::uid;
    } else if (name == "RFC822.SIZE") {
      it.kind = fetch_kind::rfc822_size;
    } else if (name == "INTERNALDATE") {
      it.kind = fetch_kind::internaldate;
    } else if (name == "RFC822" || name == "RFC822.HEADER" || name == "RFC822.TEXT") {
      // RFC 3501 §6.4.5: RFC822 = BODY[], RFC822.HEADER = BODY.PEEK[HEADER], RFC822.TEXT =
      // BODY[TEXT]; the response uses the same name.
      it.kind = fetch_kind::body;
      it.part = name == "RFC822" ? body_part::full
                                 : (name == "RFC822.HEADER" ? body_part::header : body_part::text);
      it.peek = name == "RFC822.HEADER";
    } else {
      return unsupported(v.text);
    }
    it.name = name;
    out.push_back(std::move(it));
    return std::nullopt;
  }
  if (name != "BODY" && name != "BODY.PEEK") return unsupported(v.text);
  it.kind = fetch_kind::body;
  it.peek = name == "BODY.PEEK";
  std::string section;
  if (v.section.empty()) {
    it.part = body_part::full;
  } else {
    const cimap::value& s0 = v.section[0];
    if (s0.atom_is("HEADER") && v.section.size() == 1) {
      it.part = body_part::header;
      section = "HEADER";
    } else if (s0.atom_is("TEXT") && v.section.size() == 1) {
      it.part = body_part::text;
      section = "TEXT";
    } else if ((s0.atom_is("HEADER.FIELDS") || s0.atom_is("HEADER.FIELDS.NOT")) &&
               v.section.size() == 2 && v.section[1].is_list() && !v.section[1].items.empty()) {
      const bool is_not = s0.atom_is("HEADER.FIELDS.NOT");
      it.part = is_not ? body_part::header_fields_not : body_part::header_fields;
      section = is_not ? "HEADER.FIELDS.NOT (" : "HEADER.FIELDS (";
      bool first = true;
      for (const auto& f : v.section[1].items) {
        if (!f.is_astring()) return "Invalid header field name";
        it.fields.push_back(f.text);
        if (!first) section.push_back(' ');
        first = false;
        cimap::serialize(f, section);
      }
      section.push_back(')');
    } else {
      return "Unsupported BODY section";
    }
  }
  it.name = "BODY[" + section + "]";
  if (v.partial) {
    // RFC 9051 §9: partial = "<" number64 "." nz-number64 ">"; the response gives <origin>.
    if (!v.partial->length || *v.partial->length == 0) return "Invalid partial range";
    it.origin = v.partial->origin;
    it.length = *v.partial->length;
    it.name += "<" + std::to_string(v.partial->origin) + ">";
  }
  out.push_back(std::move(it));
  return std::nullopt;
}

bool field_listed(std::string_view name, const std::vector<std::string>& fields) {
  for (const auto& f : fields)
    if (cimap::iequals(f, name)) return true;
  return false;
}

// RFC 9051 §6.4.5 HEADER.FIELDS: the listed header lines (with their continuation lines), then
// the blank line.
std::string select_fields(std::string_view header, const std::vector<std::string>& fields,
                          bool invert) {
  std::string out;
  bool keep = false;
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t eol = header.find('\n', pos);
    eol = eol == std::string_view::npos ? header.size() : eol + 1;
    const std::string_view line = header.substr(pos, eol - pos);
    pos = eol;
    if (line == "\r\n" || line == "\n") break;  // the blank line ending the header
    if (line[0] != ' ' && line[0] != '\t') {
      const std::size_t colon = line.find(':');
      std::string_view name = colon == std::string_view::npos ? line : line.substr(0, colon);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
        name.remove_suffix(1);
      keep = field_listed(name, fields) != invert;
    }
    if (keep) out.append(line);
  }
  out.append("\r\n");
  return out;
}

}  // namespace

std::optional<std::string> parse_fetch_items(const cimap::value& arg,
                                             std::vector<fetch_item>& out) {
  out.clear();
  if (arg.is_list()) {
    if (arg.items.empty()) return "Empty FETCH item list";
    for (const auto& v : arg.items)
      if (auto err = parse_one(v, out)) return err;
    return std::nullopt;
  }
  if (arg.is_plain_atom()) {
    // RFC 9051 §6.4.5 macros. ALL and FULL include ENVELOPE (and BODY), which this server lacks.
    if (arg.atom_is("FAST")) {
      for (const char* n : {"FLAGS", "INTERNALDATE", "RFC822.SIZE"})
        (void)parse_one(cimap::value::make_atom(n), out);
      return std::nullopt;
    }
    if (arg.atom_is("ALL") || arg.atom_is("FULL")) return unsupported("ENVELOPE");
  }
  return parse_one(arg, out);
}

std::string_view header_of(std::string_view message) {
  if (message.starts_with("\r\n")) return message.substr(0, 2);
  const std::size_t end = message.find("\r\n\r\n");
  return end == std::string_view::npos ? message : message.substr(0, end + 4);
}

std::string_view text_of(std::string_view message) {
  return message.substr(header_of(message).size());
}

void write_fetch_item(const fetch_item& item, const message_entry& m, std::string_view content,
                      std::string& out) {
  switch (item.kind) {
    case fetch_kind::flags:
      out += "FLAGS ";
      append_flag_list(m.flags, out);
      return;
    case fetch_kind::uid:
      out += "UID " + std::to_string(m.uid);
      return;
    case fetch_kind::rfc822_size:
      out += "RFC822.SIZE " + std::to_string(m.size);
      return;
    case fetch_kind::internaldate:
      out += "INTERNALDATE \"" + format_date_time(m.internal_date) + "\"";
      return;
    case fetch_kind::body:
      break;
  }
  std::string selected;
  std::string_view data;
  switch (item.part) {
    case body_part::full:
      data = content;
      break;
    case body_part::header:
      data = header_of(content);
      break;
    case body_part::text:
      data = text_of(content);
      break;
    case body_part::header_fields:
    case body_part::header_fields_not:
      selected =
          select_fields(header_of(content), item.fields, item.part == body_part::header_fields_not);
      data = selected;
      break;
  }
  if (item.origin) {
    const std::uint64_t o = std::min<std::uint64_t>(*item.origin, data.size());
    data = data.substr(
        static_cast<std::size_t>(o),
        static_cast<std::size_t>(std::min<std::uint64_t>(item.length, data.size() - o)));
  }
  // RFC 9051 §4.3: a literal carries any octets.
  out += item.name;
  out += " {" + std::to_string(data.size()) + "}\r\n";
  out.append(data);
}

void append_flag_list(std::uint8_t flags, std::string& out) {
  static constexpr std::array<std::pair<std::uint8_t, std::string_view>, 5> names{{
      {flag_answered, "\\Answered"},
      {flag_flagged, "\\Flagged"},
      {flag_deleted, "\\Deleted"},
      {flag_seen, "\\Seen"},
      {flag_draft, "\\Draft"},
  }};
  out.push_back('(');
  bool first = true;
  for (const auto& [bit, name] : names) {
    if ((flags & bit) == 0) continue;
    if (!first) out.push_back(' ');
    first = false;
    out.append(name);
  }
  out.push_back(')');
}

std::uint8_t flag_bit(std::string_view atom) noexcept {
  if (cimap::iequals(atom, "\\Seen")) return flag_seen;
  if (cimap::iequals(atom, "\\Answered")) return flag_answered;
  if (cimap::iequals(atom, "\\Flagged")) return flag_flagged;
  if (cimap::iequals(atom, "\\Deleted")) return flag_deleted;
  if (cimap::iequals(atom, "\\Draft")) return flag_draft;
  return 0;
}

std::string format_date_time(std::int64_t t) {
  std::int64_t days = t / 86400;
  std::int64_t secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const civil c = civil_from_days(days);
  std::string out;
  two_digits(c.d, out);
  out.push_back('-');
  out.append(month_names[c.m - 1]);
  out.push_back('-');
  const std::int64_t y = c.y < 0 ? 0 : (c.y > 9999 ? 9999 : c.y);
  two_digits(static_cast<unsigned>(y / 100), out);
  two_digits(static_cast<unsigned>(y % 100), out);
  out.push_back(' ');
  two_digits(static_cast<unsigned>(secs / 3600), out);
  out.push_back(':');
  two_digits(static_cast<unsigned>(secs / 60 % 60), out);
  out.push_back(':');
  two_digits(static_cast<unsigned>(secs % 60), out);
  out.append(" +0000");
  return out;
}

std::optional<std::int64_t> parse_date_time(std::string_view s) {
  // "dd-Mon-yyyy hh:mm:ss +zzzz", the day may be " d" (RFC 9051 §9 date-day-fixed).
  if (s.size() != 26 || s[2] != '-' || s[6] != '-' || s[11] != ' ' || s[14] != ':' ||
      s[17] != ':' || s[20] != ' ' || (s[21] != '+' && s[21] != '-'))
    return std::nullopt;
  unsigned day = 0, year = 0, hour = 0, minute = 0, second = 0, zone = 0;
  const bool day_ok = s[0] == ' ' ? digits_at(s, 1, 1, day) : digits_at(s, 0, 2, day);
  if (!day_ok || !digits_at(s, 7, 4, year) || !digits_at(s, 12, 2, hour) ||
      !digits_at(s, 15, 2, minute) || !digits_at(s, 18, 2, second) || !digits_at(s, 22, 4, zone))
    return std::nullopt;
  unsigned month = 0;
  for (unsigned i = 0; i < month_names.size(); ++i)
    if (cimap::iequals(month_names[i], s.substr(3, 3))) month = i + 1;
  if (month == 0 || day == 0 || day > 31 || hour > 23 || minute > 59 || second > 60 ||
      zone % 100 > 59)
    return std::nullopt;
  const auto offset =
      static_cast<std::int64_t>(zone / 100 * 3600 + zone % 100 * 60) * (s[21] == '-' ? -1 : 1);
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
}

}  // namespace mailtls::server::imap
