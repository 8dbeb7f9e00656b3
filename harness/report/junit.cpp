#include "report/junit.hpp"

#include "report/escape.hpp"
#include "report/names.hpp"

namespace mailtls::report {
namespace {

void attr(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  out += xml_attr(value);
  out += '"';
}

void attr(std::string& out, std::string_view name, std::size_t value) {
  attr(out, name, std::to_string(value));
}

void count_attrs(std::string& out, const counts& c) {
  attr(out, "tests", c.total());
  attr(out, "failures", c.fail);
  attr(out, "errors", c.error);
  attr(out, "skipped", c.skip);
}

std::string transcript_text(const runner::scenario_result& res) {
  std::string t;
  for (const auto& e : res.transcript) {
    t += std::to_string(e.at_ms);
    t += "ms ";
    t += runner::to_name(e.dir);
    t += e.dir == runner::transcript_entry::direction::client ||
                 e.dir == runner::transcript_entry::direction::server
             ? ": "
             : " ";
    t += e.text;
    t += '\n';
  }
  return t;
}

std::string evidence(const case_result& c, const std::string& transcript) {
  const runner::verdict& v = c.result.v;
  std::string b;
  b += "reason: " + v.reason + "\n";
  if (!v.file.empty()) b += "location: " + v.file + ":" + std::to_string(v.line) + "\n";
  if (!v.expected.empty()) b += "expected: " + v.expected + "\n";
  if (!v.got.empty()) b += "got: " + v.got + "\n";
  if (v.limit != runner::limit_kind::none)
    b += "limit: " + std::string(runner::to_name(v.limit)) + "\n";
  for (const auto& n : v.notes)
    b += "note: " + n + "\n";
  if (!c.refs.empty()) {
    b += "refs:";
    for (const auto& ref : c.refs)
      b += " " + ref;
    b += "\n";
  }
  if (!transcript.empty()) b += "\ntranscript:\n" + transcript;
  return b;
}

void testcase(std::string& out, const run& r, const case_result& c) {
  const runner::verdict& v = c.result.v;
  out += "    <testcase";
  attr(out, "classname", runner::info(target_of(r, c).svc).name);
  attr(out, "name", c.scenario_id);
  if (!c.file.empty()) attr(out, "file", c.file);
  attr(out, "time", seconds(c.result.duration_ms));
  if (v.result == runner::outcome::pass) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  if (v.result == runner::outcome::skip) {
    out += "      <skipped";
    attr(out, "message", v.reason);
    out += "/>\n";
  } else {
    const bool fail = v.result == runner::outcome::fail;
    const std::string transcript = transcript_text(c.result);
    out += fail ? "      <failure" : "      <error";
    attr(out, "message", v.reason);
    if (fail) {
      attr(out, "type", c.severity.empty() ? std::string_view("fail") : c.severity);
    } else {
      attr(out, "type", v.limit == runner::limit_kind::none ? "error" : runner::to_name(v.limit));
    }
    out += '>';
    out += xml_text(evidence(c, transcript));
    out += fail ? "</failure>\n" : "</error>\n";
    out += "      <system-out>";
    out += xml_text(transcript);
    out += "</system-out>\n";
  }
  out += "    </testcase>\n";
}

}  // namespace

std::string to_junit(const run& r) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites";
  attr(out, "name", "mailtls");
  count_attrs(out, count(r));
  attr(out, "time", seconds(r.duration_ms));
  out += ">\n";
  // One suite per target; cases whose target_index is out of range (a broken model) go to a last
  // suite "(unknown target)" so the suites always add up to the <testsuites> totals.
  const std::size_t n = r.targets.size();
  for (std::size_t t = 0; t <= n; ++t) {
    const auto in_suite = [&](const case_result& c) {
      return t < n ? c.target_index == t : c.target_index >= n;
    };
    std::uint64_t ms = 0;
    counts sc;
    for (const auto& c : r.cases) {
      if (!in_suite(c)) continue;
      ms += c.result.duration_ms;
      add(sc, c.result.v.result);
    }
    if (t == n && sc.total() == 0) break;
    const target& tg = t < n ? r.targets[t] : target{};
    out += "  <testsuite";
    attr(out, "name", t < n ? std::string_view(tg.url) : "(unknown target)");
    count_attrs(out, sc);
    attr(out, "time", seconds(ms));
    if (!r.started_at.empty()) attr(out, "timestamp", r.started_at);
    attr(out, "id", t);
    out += ">\n";
    out += "    <properties>\n      <property";
    attr(out, "name", "service");
    attr(out, "value", runner::info(tg.svc).name);
    out += "/>\n    </properties>\n";
    for (const auto& c : r.cases) {
      if (in_suite(c)) testcase(out, r, c);
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace mailtls::report
