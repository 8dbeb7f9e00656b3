#include "scenario/lint.hpp"

#include <algorithm>
#include <array>

#include "scenario/syntax.hpp"

namespace mailtls::scenario {
namespace {

constexpr std::array<std::string_view, 6> required = {"id",   "title",    "services",
                                                      "refs", "keywords", "severity"};
constexpr std::array<std::string_view, 9> known = {
    "id", "title", "services", "refs", "keywords", "severity", "requires", "timeout", "profile"};

template <class Range>
bool contains(const Range& r, std::string_view v) {
  return std::find(std::begin(r), std::end(r), v) != std::end(r);
}

}  // namespace

std::string diagnostic::to_string() const {
  return file + ':' + std::to_string(line) + ": " + message;
}

std::vector<diagnostic> lint(const scenario& s, std::string_view file_name) {
  std::vector<diagnostic> out;
  const std::string file = s.files_.empty() ? std::string(file_name) : s.files_.front();
  auto add = [&](lint_check c, std::size_t line, std::string msg) {
    out.push_back({c, file, line, std::move(msg)});
  };
  std::vector<std::string_view> seen;
  for (const auto& h : s.headers_) {
    if (!contains(known, h.key)) {
      add(lint_check::unknown_header, h.line,
          "unknown header '" + h.key + ":' (expected one of id title services refs keywords " +
              "severity requires timeout profile)");
      continue;
    }
    if (contains(seen, h.key)) {
      add(lint_check::duplicate_header, h.line,
          "duplicate header '" + h.key + ":' (the first one counts)");
      continue;
    }
    seen.push_back(h.key);
    if (h.key == "id" && !is_id(h.value)) {
      add(lint_check::bad_id, h.line, "id " + shown(h.value) + " is not [a-z0-9-]+");
    } else if (h.key == "refs") {
      for (const auto& r : s.refs_) {
        if (!is_ref(r)) {
          add(lint_check::bad_ref, h.line,
              "ref " + shown(r) + " is not 'RFC <n>', 'RFC <n> \xC2\xA7<section>' or " +
                  "'CVE-YYYY-NNNN'");
        }
      }
    } else if (h.key == "services") {
      for (const auto& sv : s.services_) {
        if (!contains(known_services, sv)) {
          add(lint_check::unknown_service, h.line,
              "unknown service " + shown(sv) +
                  " (expected smtp submission submissions pop3 pop3s imap imaps)");
        }
      }
    } else if (h.key == "severity" && !s.severity_) {
      add(lint_check::bad_severity, h.line,
          "severity " + shown(h.value) + " is not critical, high, medium, low or info");
    } else if (h.key == "profile" && !s.profile_) {
      add(lint_check::bad_profile, h.line,
          "profile " + shown(h.value) + " is not default, rfc or strict");
    }
  }
  for (auto key : required) {
    if (!contains(seen, key)) {
      add(lint_check::missing_header, 0, "missing required header '" + std::string(key) + ":'");
    }
  }
  const bool has_reply = std::any_of(
      s.statements_.begin(), s.statements_.end(),
      [](const statement& st) { return std::holds_alternative<expect_reply>(st.body_); });
  if (!has_reply) add(lint_check::no_reply, 0, "no 'S:' statement: the scenario checks no reply");
  if (!file_name.empty() && !s.id_.empty()) {
    auto base = file_name.substr(file_name.find_last_of('/') + 1);
    if (base.ends_with(".scn")) base.remove_suffix(4);
    if (base != s.id_) {
      add(lint_check::id_mismatch, 0,
          "id " + shown(s.id_) + " does not match the file name " + shown(base));
    }
  }
  return out;
}

}  // namespace mailtls::scenario
