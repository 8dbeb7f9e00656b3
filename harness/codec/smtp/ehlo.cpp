#include "codec/smtp/ehlo.hpp"

#include <charconv>

#include "codec/smtp/errc.hpp"
#include "codec/smtp/syntax.hpp"

namespace mailtls::codec::smtp {

namespace {

std::string upper(std::string_view s) {
  std::string u(s);
  for (char& c : u)
    c = syntax::to_upper(c);
  return u;
}

void split_params(std::string_view s, std::vector<std::string>& out) {
  // ehlo-param = 1*(%d33-126) separated by SP (RFC 5321 §4.1.1.1); runs of SP are tolerated.
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ')
      ++i;
    std::size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
}

}  // namespace

std::error_code ehlo_capabilities::parse(const reply& r) {
  *this = {};
  if (r.code != 250 || r.lines.empty()) return smtp_errc::not_ehlo_reply;
  const std::string_view first = r.lines.front();
  const std::size_t sp = first.find(' ');
  domain_.assign(first.substr(0, sp));
  if (sp != std::string_view::npos) greeting_.assign(first.substr(sp + 1));
  for (std::size_t i = 1; i < r.lines.size(); ++i) {
    const std::string_view line = r.lines[i];
    const std::size_t ksp = line.find(' ');
    std::string_view key = line.substr(0, ksp);
    const std::string_view rest = ksp == std::string_view::npos ? "" : line.substr(ksp + 1);
    bool legacy = false;
    std::string_view legacy_first;
    if (key.size() > 5 && syntax::iequals(key.substr(0, 5), "AUTH=")) {
      // Legacy "AUTH=PLAIN LOGIN": the first mechanism is glued to the keyword.
      legacy = true;
      legacy_first = key.substr(5);
      key = key.substr(0, 4);
    }
    if (syntax::check_keyword(key) != syntax::npos) {
      ++malformed_;
      continue;
    }
    capability* c = nullptr;
    for (auto& existing : caps_) {
      if (existing.keyword.size() == key.size() && syntax::iequals(key, existing.keyword)) {
        c = &existing;
      }
    }
    const bool merge = c != nullptr;
    if (c == nullptr) {
      c = &caps_.emplace_back();
      c->keyword = upper(key);
    }
    std::vector<std::string> ps;
    if (!legacy_first.empty()) ps.emplace_back(legacy_first);
    split_params(rest, ps);
    for (auto& p : ps) {
      bool dup = false;
      if (merge) {  // the same keyword twice (AUTH and AUTH=): keep each parameter once
        const std::string up = upper(p);
        for (const auto& q : c->params)
          dup = dup || syntax::iequals(q, up);
      }
      if (!dup) c->params.push_back(std::move(p));
    }
    if (legacy) c->legacy_auth = true;
  }
  return {};
}

const capability* ehlo_capabilities::find(std::string_view keyword) const {
  for (const auto& c : caps_) {
    if (c.keyword.size() == keyword.size() && syntax::iequals(keyword, c.keyword)) return &c;
  }
  return nullptr;
}

std::span<const std::string> ehlo_capabilities::params(std::string_view keyword) const {
  const capability* c = find(keyword);
  if (c == nullptr) return {};
  return c->params;
}

std::optional<std::uint64_t> ehlo_capabilities::size_limit() const {
  const capability* c = find(ehlo_keyword::size);
  if (c == nullptr) return std::nullopt;
  std::uint64_t n = 0;
  if (!c->params.empty()) {
    const std::string& s = c->params.front();
    const auto r = std::from_chars(s.data(), s.data() + s.size(), n);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) n = 0;
  }
  return n;
}

void ehlo_capabilities::set_domain(std::string_view domain, std::string_view greeting) {
  domain_.assign(domain);
  greeting_.assign(greeting);
}

void ehlo_capabilities::add(std::string_view keyword, std::vector<std::string> params) {
  capability& c = caps_.emplace_back();
  c.keyword = upper(keyword);
  c.params = std::move(params);
}

reply ehlo_capabilities::to_reply() const {
  reply r;
  r.code = 250;
  std::string first = domain_;
  if (!greeting_.empty()) {
    first += ' ';
    first += greeting_;
  }
  r.lines.push_back(std::move(first));
  for (const auto& c : caps_) {
    std::string line = c.keyword;
    for (const auto& p : c.params) {
      line += ' ';
      line += p;
    }
    r.lines.push_back(std::move(line));
    if (c.legacy_auth && !c.params.empty()) {
      std::string legacy = c.keyword + "=";
      for (std::size_t i = 0; i < c.params.size(); ++i) {
        if (i != 0) legacy += ' ';
        legacy += c.params[i];
      }
      r.lines.push_back(std::move(legacy));
    }
  }
  return r;
}

}  // namespace mailtls::codec::smtp
