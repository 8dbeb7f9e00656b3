#include "scenario/matcher.hpp"

#include <string>
#include <vector>

namespace mailtls::scenario {
namespace {

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

bool is_status(std::string_view s) noexcept {
  return s == "OK" || s == "NO" || s == "BAD";
}

// Splits `s` at the first blank: returns the token, leaves the rest (trimmed) in s.
std::string_view next_token(std::string_view& s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && !is_blank(s[i]))
    ++i;
  const auto tok = s.substr(0, i);
  s = trim(s.substr(i));
  return tok;
}

// `{a,b,...}` at the start of s; elements checked by `valid`. On success s is the rest.
template <class Valid>
std::optional<syntax_error> parse_set(std::string_view& s, std::size_t offset, Valid valid,
                                      const char* what, std::vector<std::string>& out) {
  const auto close = s.find('}');
  if (close == std::string_view::npos) {
    return syntax_error{scenario_errc::bad_code_set, offset,
                        "expected '}' closing the set, got the end of the line"};
  }
  std::string_view inner = s.substr(1, close - 1);
  std::size_t pos = 1;
  while (true) {
    const auto comma = inner.find(',');
    const auto elem = trim(inner.substr(0, comma));
    if (!valid(elem)) {
      return syntax_error{scenario_errc::bad_code_set, offset + pos,
                          std::string("expected ") + what + " in the set, got " + shown(elem)};
    }
    out.emplace_back(elem);
    if (comma == std::string_view::npos) break;
    inner.remove_prefix(comma + 1);
    pos += comma + 1;
  }
  // A blank (or the end) must follow the set: `{NO,BAD}#x` would make `#x` pattern text that no
  // printed form can carry (` #` starts a comment). Found by fuzz/scenario_parse.
  if (close + 1 < s.size() && !is_blank(s[close + 1])) {
    return syntax_error{scenario_errc::bad_code_set, offset + close + 1,
                        "expected a blank after '}', got " + shown(s.substr(close + 1, 1))};
  }
  s = trim(s.substr(close + 1));
  return std::nullopt;
}

// In a set, `~X` marks X as tolerated rather than conformant (docs/scenario-format.md).
template <class Valid>
auto tolerable(Valid valid) {
  return [valid](std::string_view s) {
    if (!s.empty() && s.front() == '~') s.remove_prefix(1);
    return valid(s);
  };
}

}  // namespace

bool is_code_pattern(std::string_view s) noexcept {
  auto digit_or_x = [](char c) { return (c >= '0' && c <= '9') || c == 'x'; };
  return s.size() == 3 && s[0] >= '2' && s[0] <= '5' && digit_or_x(s[1]) && digit_or_x(s[2]);
}

std::optional<syntax_error> parse_matcher(std::string_view text, std::size_t offset,
                                          reply_matcher& out) {
  // `text` is trimmed by the caller; positions below are relative to it.
  if (text.empty()) {
    return syntax_error{scenario_errc::missing_matcher, offset,
                        "expected a reply matcher after 'S:', got nothing"};
  }
  const std::string_view whole = text;
  auto at = [&](std::string_view part) { return offset + (part.data() - whole.data()); };

  // Capture: a trailing `-> name`.
  if (const auto arrow = text.rfind("->");
      arrow != std::string_view::npos && arrow > 0 && is_blank(text[arrow - 1])) {
    const auto name = trim(text.substr(arrow + 2));
    if (!is_name(name)) {
      return syntax_error{
          scenario_errc::bad_variable_name, at(text.substr(arrow)),
          "expected a capture name [a-z_][a-z0-9_]* after '->', got " + shown(name)};
    }
    out.capture_ = std::string(name);
    text = trim(text.substr(0, arrow));
  }

  // Head: what kind of reply.
  std::string_view rest = text;
  if (rest.front() == '{') {
    out.kind_ = reply_matcher::kind::smtp;
    if (auto e = parse_set(rest, at(rest), tolerable(is_code_pattern),
                           "a reply code like 250, 5xx or ~503", out.codes_)) {
      return e;
    }
  } else {
    const auto head_pos = rest;
    const auto head = next_token(rest);
    if (head == "+OK") {
      out.kind_ = reply_matcher::kind::pop3_ok;
    } else if (head == "-ERR") {
      out.kind_ = reply_matcher::kind::pop3_err;
    } else if (head == "+") {
      out.kind_ = reply_matcher::kind::imap_continuation;
    } else if (head == "*") {
      out.kind_ = reply_matcher::kind::imap_untagged;
      const auto kw = next_token(rest);
      if (kw.empty()) {
        return syntax_error{scenario_errc::missing_matcher, at(head_pos) + 1,
                            "expected an untagged response keyword after '*', got nothing"};
      }
      out.keyword_ = std::string(kw);
    } else if (is_code_pattern(head)) {
      out.kind_ = reply_matcher::kind::smtp;
      out.codes_.emplace_back(head);
    } else {
      std::string_view peek = rest;
      const auto status = next_token(peek);
      if (!rest.empty() && rest.front() == '{') {
        out.kind_ = reply_matcher::kind::imap_tagged;
        out.tag_ = std::string(head);
        if (auto e = parse_set(rest, at(rest), tolerable(is_status), "OK, NO, BAD or ~BAD",
                               out.statuses_)) {
          e->code = scenario_errc::bad_imap_status;
          return e;
        }
      } else if (is_status(status)) {
        out.kind_ = reply_matcher::kind::imap_tagged;
        out.tag_ = std::string(head);
        out.statuses_.emplace_back(status);
        rest = peek;
      } else if (head.front() >= '0' && head.front() <= '9') {
        return syntax_error{scenario_errc::bad_reply_code, at(head_pos),
                            "expected a reply code like 250, 5xx or {530,538}, got " + shown(head)};
      } else {
        return syntax_error{
            scenario_errc::bad_imap_status, at(rest),
            "expected OK, NO or BAD after the tag " + shown(head) + ", got " + shown(status)};
      }
    }
  }

  // Capability assertions: a trailing `[...]` whose first element starts with + or -.
  if (!rest.empty() && rest.back() == ']') {
    auto open = rest.rfind('[');
    if (open != std::string_view::npos && (open == 0 || is_blank(rest[open - 1]))) {
      std::string_view inner = trim(rest.substr(open + 1, rest.size() - open - 2));
      if (!inner.empty() && (inner.front() == '+' || inner.front() == '-')) {
        while (!inner.empty()) {
          const auto tok = next_token(inner);
          if (tok.size() < 2 || (tok.front() != '+' && tok.front() != '-')) {
            return syntax_error{scenario_errc::bad_capability_assertion, at(tok),
                                "expected +CAPABILITY or -CAPABILITY, got " + shown(tok)};
          }
          out.capabilities_.push_back({std::string(tok.substr(1)), tok.front() == '+'});
        }
        rest = trim(rest.substr(0, open));
      }
    }
  }

  // Text pattern.
  if (rest.empty() || rest == "*") {
    out.text_ = {};
  } else if (rest.front() == '/') {
    if (rest.size() < 3 || rest.back() != '/') {
      return syntax_error{scenario_errc::bad_regex, at(rest),
                          "expected a non-empty /regex/, got " + shown(rest)};
    }
    out.text_ = {text_pattern::kind::regex, std::string(rest.substr(1, rest.size() - 2))};
  } else {
    out.text_ = {text_pattern::kind::glob, std::string(rest)};
  }
  return std::nullopt;
}

}  // namespace mailtls::scenario
