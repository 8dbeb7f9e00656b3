#include "store/uidlist.hpp"

#include <algorithm>
#include <charconv>

namespace mailtls::server::store {
namespace {

bool read_number(std::string_view& s, std::uint32_t& v) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr == s.data()) return false;
  s.remove_prefix(static_cast<std::size_t>(r.ptr - s.data()));
  return true;
}

bool valid_base(std::string_view b) {
  return !b.empty() && std::all_of(b.begin(), b.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

std::error_code parse_uidlist(std::string_view text, uidlist& out) {
  const auto bad = std::make_error_code(std::errc::invalid_argument);
  uidlist list;
  std::vector<std::string_view> bases;
  bool header = true;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) return bad;  // a torn last line
    auto line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (header) {
      if (!read_number(line, list.uid_validity) || !line.starts_with(' ')) return bad;
      line.remove_prefix(1);
      if (!read_number(line, list.uid_next) || !line.empty()) return bad;
      if (list.uid_validity == 0 || list.uid_next == 0) return bad;
      header = false;
      continue;
    }
    uidlist_entry e;
    if (!read_number(line, e.uid) || !line.starts_with(' ')) return bad;
    line.remove_prefix(1);
    if (e.uid == 0 || e.uid >= list.uid_next || !valid_base(line)) return bad;
    if (!list.entries.empty() && e.uid <= list.entries.back().uid) return bad;
    e.base.assign(line);
    bases.push_back(line);
    list.entries.push_back(std::move(e));
  }
  if (header) return bad;
  std::sort(bases.begin(), bases.end());
  if (std::adjacent_find(bases.begin(), bases.end()) != bases.end()) return bad;
  out = std::move(list);
  return {};
}

void serialize_uidlist(const uidlist& list, std::string& out) {
  out += std::to_string(list.uid_validity);
  out += ' ';
  out += std::to_string(list.uid_next);
  out += '\n';
  for (const auto& e : list.entries) {
    out += std::to_string(e.uid);
    out += ' ';
    out += e.base;
    out += '\n';
  }
}

}  // namespace mailtls::server::store
