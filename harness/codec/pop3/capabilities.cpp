#include "codec/pop3/capabilities.hpp"

#include <charconv>

#include "codec/pop3/syntax.hpp"

namespace mailtls::codec::pop3 {

capabilities capabilities::parse(std::string_view body) {
  capabilities caps;
  while (!body.empty()) {
    const std::size_t lf = body.find('\n');
    std::string_view line = body.substr(0, lf);
    body.remove_prefix(lf == std::string_view::npos ? body.size() : lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // RFC 2449 §5: capability = capa-tag *(SP param); tolerate extra spaces.
    capability c;
    std::size_t pos = 0;
    while (pos < line.size()) {
      const std::size_t start = line.find_first_not_of(' ', pos);
      if (start == std::string_view::npos) break;
      std::size_t end = line.find(' ', start);
      if (end == std::string_view::npos) end = line.size();
      std::string word(line.substr(start, end - start));
      if (c.name.empty())
        c.name = std::move(word);
      else
        c.params.push_back(std::move(word));
      pos = end;
    }
    if (!c.name.empty()) caps.entries_.push_back(std::move(c));
  }
  return caps;
}

capabilities& capabilities::add(std::string name, std::vector<std::string> params) {
  entries_.push_back({std::move(name), std::move(params)});
  return *this;
}

void capabilities::append_body(std::string& out) const {
  for (const capability& c : entries_) {
    out += c.name;
    for (const std::string& p : c.params) {
      out += ' ';
      out += p;
    }
    out += "\r\n";
  }
}

const capability* capabilities::find(std::string_view name) const {
  for (const capability& c : entries_)
    if (iequals(c.name, name)) return &c;
  return nullptr;
}

const std::vector<std::string>& capabilities::params(std::string_view name) const {
  static const std::vector<std::string> none;
  const capability* c = find(name);
  return c != nullptr ? c->params : none;
}

std::optional<unsigned> capabilities::number_param(std::string_view name) const {
  const auto& p = params(name);
  if (p.empty()) return std::nullopt;
  unsigned v = 0;
  const char* b = p[0].data();
  const char* e = b + p[0].size();
  const auto r = std::from_chars(b, e, v);
  if (r.ec != std::errc{} || r.ptr != e) return std::nullopt;
  return v;
}

bool capabilities::expire_never() const {
  const auto& p = params("EXPIRE");
  return !p.empty() && iequals(p[0], "NEVER");
}

std::optional<unsigned> capabilities::expire_days() const {
  return number_param("EXPIRE");
}

std::optional<unsigned> capabilities::login_delay() const {
  return number_param("LOGIN-DELAY");
}

std::optional<std::string> capabilities::implementation() const {
  const capability* c = find("IMPLEMENTATION");
  if (c == nullptr) return std::nullopt;
  std::string s;
  for (const std::string& p : c->params) {
    if (!s.empty()) s += ' ';
    s += p;
  }
  return s;
}

}  // namespace mailtls::codec::pop3
