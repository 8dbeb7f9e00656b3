#include "runner/reply_match.hpp"

#include <optional>
#include <regex>

#include "runner/text.hpp"

namespace mailtls::runner {
namespace {

using scenario::reply_matcher;
using scenario::text_pattern;
using kind = reply_matcher::kind;

// std::regex (libstdc++) recurses per character: long subjects can exhaust the stack. Lines
// longer than this are matched on their first regex_subject_limit bytes.
constexpr std::size_t regex_subject_limit = 2048;

evaluation failed(std::string reason) {
  return {evaluation::kind::fail, std::move(reason), {}, {}};
}

evaluation error(std::string reason) {
  return {evaluation::kind::error, std::move(reason), {}, {}};
}

std::string head_of(const reply_matcher& m) {
  switch (m.kind_) {
    case kind::smtp:
      return m.codes_.size() == 1 ? m.codes_.front() : "{...}";
    case kind::pop3_ok:
      return "+OK";
    case kind::pop3_err:
      return "-ERR";
    case kind::imap_tagged:
      return m.tag_ + " " + describe_alternatives(m.statuses_);
    case kind::imap_untagged:
      return "* " + m.keyword_;
    case kind::imap_continuation:
      return "+";
  }
  return "?";
}

evaluation wrong_protocol(const reply_matcher& m, std::string_view proto) {
  return error("the matcher '" + head_of(m) + "' is not a reply of " + std::string(proto));
}

// Whether any of `texts` matches. Sets `bad` to the regex error, if the regex does not compile.
bool text_matches(const text_pattern& p, const std::vector<std::string_view>& texts,
                  std::string& bad) {
  switch (p.kind_) {
    case text_pattern::kind::any:
      return true;
    case text_pattern::kind::glob:
      for (const auto t : texts) {
        if (glob_match(p.value_, t)) return true;
      }
      return false;
    case text_pattern::kind::regex:
      try {
        const std::regex re(p.value_, std::regex::ECMAScript);
        for (const auto t : texts) {
          const auto s = t.substr(0, regex_subject_limit);
          if (std::regex_search(s.begin(), s.end(), re)) return true;
        }
      } catch (const std::regex_error& e) {
        bad = "the regex " + describe(p) + " is not valid: " + e.what();
      }
      return false;
  }
  return false;
}

// The text check shared by every protocol: pass, or fail naming `shown_text`.
evaluation check_text(const text_pattern& p, const std::vector<std::string_view>& texts,
                      std::string_view what, std::string_view shown_text) {
  std::string bad;
  if (text_matches(p, texts, bad)) return {};
  if (!bad.empty()) return error(std::move(bad));
  return failed("expected " + std::string(what) + " matching " + describe(p) + ", got " +
                quoted(shown_text));
}

evaluation check_capabilities(const reply_matcher& m, const capability_list* caps) {
  if (m.capabilities_.empty()) return {};
  if (caps == nullptr) {
    return failed("expected a capability list in the reply, got none");
  }
  for (const auto& a : m.capabilities_) {
    const bool has = caps->offers(a.name_);
    if (a.present_ && !has) {
      return failed("expected the server to offer " + a.name_ + ", it does not");
    }
    if (!a.present_ && has) {
      return failed("expected the server not to offer " + a.name_ + ", it does");
    }
  }
  return {};
}

bool code_matches(std::string_view pattern, int code) {
  if (code < 0 || code > 999) return false;
  const std::string digits = std::to_string(code + 1000).substr(1);
  for (std::size_t i = 0; i < 3 && i < pattern.size(); ++i) {
    if (pattern[i] != 'x' && pattern[i] != digits[i]) return false;
  }
  return pattern.size() == 3;
}

// The rest of `line` after `n` blank-separated words (and the blank after them).
std::string_view after_words(std::string_view line, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const auto sp = line.find(' ');
    if (sp == std::string_view::npos) return {};
    line.remove_prefix(sp + 1);
  }
  return line;
}

const char* imap_status_name(codec::imap::response_status s) {
  return codec::imap::status_keyword(s);
}

// A set element written `~X` is a tolerated alternative: it passes, with a note, where the RFC
// prefers another reply (docs/scenario-format.md, "Tolerated replies").
bool is_tolerated(std::string_view alternative) {
  return !alternative.empty() && alternative.front() == '~';
}

std::string bare(std::string_view alternative) {
  return std::string(is_tolerated(alternative) ? alternative.substr(1) : alternative);
}

std::vector<std::string> pick(const std::vector<std::string>& v, bool tolerated) {
  std::vector<std::string> out;
  for (const auto& a : v) {
    if (is_tolerated(a) == tolerated) out.push_back(bare(a));
  }
  return out;
}

// Which alternative `matches` accepts, conformant ones first: nullopt for none; the bool says
// whether it was a tolerated one.
template <class Matches>
std::optional<bool> match_alternative(const std::vector<std::string>& v, Matches matches) {
  for (const bool tolerated : {false, true}) {
    for (const auto& a : v) {
      if (is_tolerated(a) == tolerated && matches(bare(a))) return tolerated;
    }
  }
  return std::nullopt;
}

std::string tolerated_note(const std::string& got, const std::vector<std::string>& v) {
  const auto conformant = pick(v, false);
  return "tolerated reply " + got +
         (conformant.empty() ? std::string()
                             : " (conformant: " + describe_alternatives(conformant) + ")");
}

}  // namespace

// ---- capability_list ---------------------------------------------------------------------------

capability_list capability_list::from_ehlo(const codec::smtp::ehlo_capabilities& c) {
  capability_list out;
  for (const auto& cap : c.all())
    out.entries_.push_back({cap.keyword, cap.params});
  return out;
}

capability_list capability_list::from_capa(const codec::pop3::capabilities& c) {
  capability_list out;
  for (const auto& cap : c.entries())
    out.entries_.push_back({cap.name, cap.params});
  return out;
}

capability_list capability_list::from_imap(const codec::imap::capability_set& c) {
  capability_list out;
  for (const auto& atom : c.items()) {
    const auto eq = atom.find('=');
    if (eq == std::string::npos) {
      out.entries_.push_back({atom, {}});
    } else {
      out.entries_.push_back({atom.substr(0, eq), {atom.substr(eq + 1)}});
    }
  }
  return out;
}

bool capability_list::offers(std::string_view assertion) const {
  const auto eq = assertion.find('=');
  const auto name = assertion.substr(0, eq);
  for (const auto& e : entries_) {
    if (!iequals(e.name, name)) continue;
    if (eq == std::string_view::npos) return true;
    const auto param = assertion.substr(eq + 1);
    for (const auto& p : e.params) {
      if (iequals(p, param)) return true;
    }
  }
  return false;
}

void capability_list::merge(const capability_list& other) {
  entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
}

void capability_list::add_names(std::set<std::string>& out) const {
  for (const auto& e : entries_) {
    const auto name = to_upper(e.name);
    out.insert(name);
    for (const auto& p : e.params)
      out.insert(name + "=" + to_upper(p));
  }
}

// ---- descriptions ------------------------------------------------------------------------------

std::string describe(const text_pattern& p) {
  switch (p.kind_) {
    case text_pattern::kind::any:
      return "*";
    case text_pattern::kind::glob:
      return "'" + p.value_ + "'";
    case text_pattern::kind::regex:
      return "/" + p.value_ + "/";
  }
  return "*";
}

std::string describe_alternatives(const std::vector<std::string>& all) {
  const auto conformant = pick(all, false);
  const auto tolerated = pick(all, true);
  if (!conformant.empty() && !tolerated.empty()) {
    return describe_alternatives(conformant) + " (tolerated: " + describe_alternatives(tolerated) +
           ")";
  }
  const auto& v = conformant.empty() ? tolerated : conformant;
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += i + 1 == v.size() ? " or " : ", ";
    out += v[i];
  }
  return out;
}

// ---- SMTP --------------------------------------------------------------------------------------

evaluation evaluate_smtp(const reply_matcher& m, const codec::smtp::reply& r,
                         const capability_list* caps) {
  if (m.kind_ != kind::smtp) return wrong_protocol(m, "smtp");
  // RFC 5321 §4.2: the reply code decides; the text is for humans, patterns may still test it.
  const auto code_ok =
      match_alternative(m.codes_, [&](const std::string& c) { return code_matches(c, r.code); });
  if (!code_ok) {
    return failed("expected a reply " + describe_alternatives(m.codes_) + ", got " +
                  std::to_string(r.code));
  }
  std::vector<std::string_view> texts(r.lines.begin(), r.lines.end());
  const std::string first = r.lines.empty() ? std::string() : r.lines.front();
  if (auto e = check_text(m.text_, texts, "a reply line", first);
      e.result != evaluation::kind::pass)
    return e;
  if (auto e = check_capabilities(m, caps); e.result != evaluation::kind::pass) return e;
  evaluation ok;
  ok.capture = first;
  if (*code_ok) ok.note = tolerated_note(std::to_string(r.code), m.codes_);
  return ok;
}

// ---- POP3 --------------------------------------------------------------------------------------

evaluation evaluate_pop3(const reply_matcher& m, const codec::pop3::response& r,
                         std::string_view status_text, const capability_list* caps) {
  using codec::pop3::response_status;
  const auto got = [&]() -> std::string {
    switch (r.status) {
      case response_status::ok:
        return "+OK";
      case response_status::err:
        return "-ERR";
      case response_status::continuation:
        return "a SASL challenge (+)";
    }
    return "?";
  };
  switch (m.kind_) {
    case kind::pop3_ok:
      if (!r.is_ok()) return failed("expected +OK, got " + got());
      break;
    case kind::pop3_err:
      if (!r.is_err()) return failed("expected -ERR, got " + got());
      break;
    case kind::imap_continuation:  // RFC 5034 §4: "+" SP base64 challenge
      if (!r.is_continuation()) return failed("expected a SASL challenge (+), got " + got());
      break;
    default:
      return wrong_protocol(m, "pop3");
  }
  // With and without the RFC 2449 §8 response code.
  const std::vector<std::string_view> texts = {status_text, r.text};
  if (auto e = check_text(m.text_, texts, "the response text", status_text);
      e.result != evaluation::kind::pass) {
    return e;
  }
  if (auto e = check_capabilities(m, caps); e.result != evaluation::kind::pass) return e;
  evaluation ok;
  ok.capture = std::string(status_text);
  return ok;
}

// ---- IMAP --------------------------------------------------------------------------------------

evaluation evaluate_imap(const reply_matcher& m, const codec::imap::response& r,
                         std::string_view first_line, std::string_view tag,
                         const capability_list* caps) {
  using codec::imap::response_kind;
  std::vector<std::string_view> texts;
  std::string capture;
  std::string note;  // a tolerated status
  switch (m.kind_) {
    case kind::imap_tagged: {
      if (r.kind != response_kind::tagged) {
        return failed("expected a tagged completion, got " + quoted(first_line));
      }
      if (r.tag != tag) {
        return failed("expected the tag " + std::string(tag) + ", got " + quoted(r.tag));
      }
      const auto status_ok = match_alternative(m.statuses_, [&](const std::string& s) {
        return iequals(s, imap_status_name(r.status));
      });
      if (!status_ok) {
        return failed("expected " + std::string(tag) + " " + describe_alternatives(m.statuses_) +
                      ", got " + std::string(tag) + " " + imap_status_name(r.status));
      }
      if (*status_ok) {
        note = tolerated_note(std::string(tag) + " " + imap_status_name(r.status), m.statuses_);
      }
      texts = {after_words(first_line, 2), r.text};
      capture = r.text;
      break;
    }
    case kind::imap_untagged: {
      const bool numeric =
          !m.keyword_.empty() && m.keyword_.find_first_not_of("0123456789") == std::string::npos;
      bool ok = false;
      std::size_t words = 2;
      if (r.kind == response_kind::status) {
        ok = iequals(m.keyword_, imap_status_name(r.status));
      } else if (r.kind == response_kind::data && numeric) {
        ok = r.number && std::to_string(*r.number) == m.keyword_;
      } else if (r.kind == response_kind::data) {
        ok = iequals(m.keyword_, r.keyword);
        if (r.number) words = 3;
      }
      if (!ok) {
        return failed("expected an untagged " + m.keyword_ + " response, got " +
                      quoted(first_line));
      }
      const auto rest = after_words(first_line, words);
      if (r.kind == response_kind::status) {
        texts = {rest, r.text};
        capture = r.text;
      } else {
        texts = {rest};
        capture = std::string(rest);
      }
      break;
    }
    case kind::imap_continuation:
      if (r.kind != response_kind::continuation) {
        return failed("expected a continuation request (+), got " + quoted(first_line));
      }
      texts = {r.text};
      capture = r.text;
      break;
    default:
      return wrong_protocol(m, "imap");
  }
  if (auto e = check_text(m.text_, texts, "the response text", texts.front());
      e.result != evaluation::kind::pass) {
    return e;
  }
  if (auto e = check_capabilities(m, caps); e.result != evaluation::kind::pass) return e;
  evaluation ok;
  ok.capture = std::move(capture);
  ok.note = std::move(note);
  return ok;
}

}  // namespace mailtls::runner
