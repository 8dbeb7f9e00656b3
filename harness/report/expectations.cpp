#include "report/expectations.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace mailtls::report {
namespace {

using runner::outcome;

std::optional<outcome> outcome_from_name(std::string_view s) {
  for (const outcome o : {outcome::pass, outcome::fail, outcome::error, outcome::skip})
    if (runner::to_name(o) == s) return o;
  return std::nullopt;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])) != 0)
      ++i;
    const std::size_t start = i;
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])) == 0)
      ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool covers(const expectation& e, const case_result& c, const run& r) {
  if (e.scenario_id != c.scenario_id) return false;
  if (e.services.empty()) return true;
  const auto svc = r.targets[c.target_index].svc;
  return std::find(e.services.begin(), e.services.end(), svc) != e.services.end();
}

}  // namespace

bool parse_expectations(std::string_view text, std::string file, expectations& out,
                        std::string& error) {
  out = {};
  out.file = std::move(file);
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    const auto w = words(line);
    if (w.empty()) continue;
    const std::string where = out.file + ":" + std::to_string(line_no) + ": ";
    expectation e;
    e.line = line_no;
    const auto o = outcome_from_name(w[0]);
    if (!o) {
      error =
          where + "expected an outcome (pass, fail, error, skip), got '" + std::string(w[0]) + "'";
      return false;
    }
    e.expected = *o;
    if (w.size() < 2) {
      error = where + "expected a scenario id after '" + std::string(w[0]) + "'";
      return false;
    }
    e.scenario_id = std::string(w[1]);
    for (std::size_t i = 2; i < w.size(); ++i) {
      const auto svc = runner::service_from_name(w[i]);
      if (!svc) {
        error = where + "unknown service '" + std::string(w[i]) +
                "' (smtp, submission, submissions, pop3, pop3s, imap, imaps)";
        return false;
      }
      e.services.push_back(*svc);
    }
    for (const auto& earlier : out.entries) {
      if (earlier.scenario_id != e.scenario_id) continue;
      const bool overlap =
          earlier.services.empty() || e.services.empty() ||
          std::any_of(e.services.begin(), e.services.end(), [&](runner::service s) {
            return std::find(earlier.services.begin(), earlier.services.end(), s) !=
                   earlier.services.end();
          });
      if (overlap) {
        error = where + "'" + e.scenario_id + "' is already expected on line " +
                std::to_string(earlier.line) + " for the same service";
        return false;
      }
    }
    out.entries.push_back(std::move(e));
  }
  return true;
}

expectation_result compare(const run& r, const expectations& e) {
  expectation_result res;
  std::vector<bool> used(e.entries.size(), false);
  for (const auto& c : r.cases) {
    const outcome got = c.result.v.result;
    const auto svc_name = runner::info(r.targets[c.target_index].svc).name;
    const std::string what =
        upper(runner::to_name(got)) + "  " + std::string(svc_name) + "  " + c.scenario_id;
    std::optional<std::size_t> entry;
    for (std::size_t i = 0; i < e.entries.size() && !entry; ++i)
      if (covers(e.entries[i], c, r)) entry = i;
    if (!entry) {
      if (got == outcome::pass || got == outcome::skip) {
        ++res.matched;
      } else {
        res.mismatches.push_back(what + ": expected pass (not listed in " + e.file + ")");
      }
      continue;
    }
    const auto& x = e.entries[*entry];
    if (got == x.expected) {
      used[*entry] = true;
      ++res.matched;
      if (got == outcome::fail || got == outcome::error) ++res.expected_failures;
    } else {
      // A listed case that now has another outcome: the entry is not "used", but its mismatch
      // is already reported here, so it is not reported again as stale.
      used[*entry] = true;
      res.mismatches.push_back(what + ": expected " + std::string(runner::to_name(x.expected)) +
                               " (" + e.file + ":" + std::to_string(x.line) + ")");
    }
  }
  for (std::size_t i = 0; i < e.entries.size(); ++i) {
    if (used[i]) continue;
    const auto& x = e.entries[i];
    res.mismatches.push_back(e.file + ":" + std::to_string(x.line) + ": expected " +
                             std::string(runner::to_name(x.expected)) + " for '" + x.scenario_id +
                             "', but no such case ran");
  }
  return res;
}

}  // namespace mailtls::report
