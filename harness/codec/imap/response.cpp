#include "codec/imap/response.hpp"

#include <array>
#include <charconv>

namespace mailtls::codec::imap {

namespace {

struct data_entry {
  std::string_view keyword;
  data_kind kind;
};

constexpr std::array<data_entry, 14> data_keywords{{
    {"CAPABILITY", data_kind::capability},
    {"ENABLED", data_kind::enabled},
    {"ID", data_kind::id},
    {"NAMESPACE", data_kind::namespace_},
    {"LIST", data_kind::list},
    {"LSUB", data_kind::lsub},
    {"STATUS", data_kind::status},
    {"FLAGS", data_kind::flags},
    {"SEARCH", data_kind::search},
    {"ESEARCH", data_kind::esearch},
    {"EXISTS", data_kind::exists},
    {"RECENT", data_kind::recent},
    {"EXPUNGE", data_kind::expunge},
    {"FETCH", data_kind::fetch},
}};

}  // namespace

const char* status_keyword(response_status s) noexcept {
  switch (s) {
    case response_status::ok:
      return "OK";
    case response_status::no:
      return "NO";
    case response_status::bad:
      return "BAD";
    case response_status::preauth:
      return "PREAUTH";
    case response_status::bye:
      return "BYE";
  }
  return "?";
}

const char* to_string(response_status s) noexcept {
  return status_keyword(s);
}

const char* to_string(data_kind d) noexcept {
  for (const auto& e : data_keywords)
    if (e.kind == d) return e.keyword.data();
  return "OTHER";
}

data_kind data_kind_from_keyword(std::string_view k) noexcept {
  for (const auto& e : data_keywords)
    if (iequals(e.keyword, k)) return e.kind;
  return data_kind::other;
}

std::optional<std::uint64_t> response_code::number() const {
  if (args.size() != 1 || args[0].kind != value_kind::number) return std::nullopt;
  return args[0].number;
}

response response::make_continuation(std::string_view text) {
  response r;
  r.kind = response_kind::continuation;
  r.text = text;
  return r;
}

response response::make_tagged(std::string_view tag, response_status s, std::string_view text,
                               std::optional<response_code> code) {
  response r;
  r.kind = response_kind::tagged;
  r.tag = tag;
  r.status = s;
  r.keyword = status_keyword(s);
  r.text = text;
  r.code = std::move(code);
  return r;
}

response response::make_status(response_status s, std::string_view text,
                               std::optional<response_code> code) {
  response r = make_tagged("", s, text, std::move(code));
  r.kind = response_kind::status;
  return r;
}

response response::make_data(std::string_view keyword, std::vector<value> args) {
  response r;
  r.kind = response_kind::data;
  r.keyword = keyword;
  r.data = data_kind_from_keyword(keyword);
  r.args = std::move(args);
  return r;
}

response response::make_message_data(std::uint64_t n, std::string_view keyword,
                                     std::vector<value> args) {
  response r = make_data(keyword, std::move(args));
  r.number = n;
  return r;
}

const value* fetch_attribute(const response& r, std::string_view name,
                             std::optional<std::string_view> section) {
  if (r.data != data_kind::fetch || r.args.size() != 1 || !r.args[0].is_list()) return nullptr;
  const auto& items = r.args[0].items;
  std::string s;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    if (!items[i].is_atom() || !iequals(items[i].text, name)) continue;
    if (section) {
      if (!items[i].has_section) continue;
      s.clear();
      serialize_values(items[i].section, s);
      if (!iequals(s, *section)) continue;
    }
    return &items[i + 1];
  }
  return nullptr;
}

void serialize(const response_code& c, std::string& out) {
  out.push_back('[');
  out.append(c.name);
  if (!c.text.empty()) {
    out.push_back(' ');
    out.append(c.text);
  }
  out.push_back(']');
}

void serialize(const response& r, std::string& out) {
  switch (r.kind) {
    case response_kind::continuation:
      out.push_back('+');
      if (!r.bare_plus) {
        out.push_back(' ');
        out.append(r.text);
      }
      break;
    case response_kind::tagged:
    case response_kind::status:
      out.append(r.kind == response_kind::tagged ? std::string_view(r.tag) : "*");
      out.push_back(' ');
      out.append(r.keyword.empty() ? status_keyword(r.status) : r.keyword);
      if (r.code) {
        out.push_back(' ');
        serialize(*r.code, out);
      }
      if (!r.text.empty()) {
        out.push_back(' ');
        out.append(r.text);
      }
      break;
    case response_kind::data:
      out.append("* ");
      if (r.number) {
        char buf[24];
        const auto res = std::to_chars(buf, buf + sizeof buf, *r.number);
        out.append(buf, res.ptr);
        out.push_back(' ');
      }
      out.append(r.keyword);
      for (const auto& a : r.args) {
        out.push_back(' ');
        serialize(a, out);
      }
      break;
  }
  out.append("\r\n");
}

}  // namespace mailtls::codec::imap
