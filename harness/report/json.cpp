#include "report/json.hpp"

#include <boost/json.hpp>

#include "report/escape.hpp"
#include "report/names.hpp"

namespace mailtls::report {
namespace {

namespace js = boost::json;

js::string str(std::string_view s) {
  const std::string v = valid_utf8(s);
  return js::string(v.data(), v.size());
}

js::array strings(const std::vector<std::string>& v) {
  js::array a;
  for (const auto& s : v)
    a.emplace_back(str(s));
  return a;
}

js::object counts_object(const counts& c) {
  js::object o;
  o["total"] = c.total();
  o["pass"] = c.pass;
  o["fail"] = c.fail;
  o["error"] = c.error;
  o["skip"] = c.skip;
  return o;
}

js::object target_object(const run& r, std::size_t index) {
  const target& t = r.targets[index];
  const auto& si = runner::info(t.svc);
  js::object o;
  o["index"] = index;
  o["url"] = str(t.url);
  o["service"] = str(si.name);
  o["protocol"] = str(runner::to_name(si.proto));
  o["implicit_tls"] = si.implicit_tls;
  o["host"] = str(t.host);
  o["port"] = t.port;
  o["summary"] = counts_object(count(r, index));
  return o;
}

js::object tls_object(const runner::tls_facts& f) {
  js::object o;
  o["established"] = f.established;
  o["implicit"] = f.implicit;
  o["version"] = str(f.version);
  o["cipher"] = str(f.cipher);
  o["alpn"] = str(f.alpn);
  o["verified"] = f.verified;
  o["verify_error"] = str(f.verify_error);
  o["failure"] = str(f.failure);
  js::object cert;
  cert["subject"] = str(f.subject);
  cert["issuer"] = str(f.issuer);
  cert["dns_names"] = strings(f.dns_names);
  cert["not_after"] = f.not_after;
  cert["key_type"] = str(f.key_type);
  cert["key_bits"] = f.key_bits;
  o["certificate"] = std::move(cert);
  return o;
}

js::object case_object(const run& r, const case_result& c) {
  const runner::scenario_result& res = c.result;
  const runner::verdict& v = res.v;
  js::object o;
  js::object scenario;
  scenario["id"] = str(c.scenario_id);
  scenario["title"] = str(c.title);
  scenario["file"] = str(c.file);
  scenario["severity"] = str(c.severity);
  scenario["refs"] = strings(c.refs);
  scenario["keywords"] = strings(c.keywords);
  o["scenario"] = std::move(scenario);
  const target& t = target_of(r, c);
  js::object tgt;
  tgt["index"] = c.target_index;
  tgt["url"] = str(t.url);
  tgt["service"] = str(runner::info(t.svc).name);
  o["target"] = std::move(tgt);
  o["outcome"] = str(runner::to_name(v.result));
  o["reason"] = str(v.reason);
  js::object loc;
  loc["file"] = str(v.file);
  loc["line"] = v.line;
  o["location"] = std::move(loc);
  o["expected"] = str(v.expected);
  o["got"] = str(v.got);
  o["limit"] = str(runner::to_name(v.limit));
  o["notes"] = strings(v.notes);
  o["duration_ms"] = res.duration_ms;
  if (res.tls.attempted) o["tls"] = tls_object(res.tls);
  js::array transcript;
  for (const auto& e : res.transcript) {
    js::object entry;
    entry["at_ms"] = e.at_ms;
    entry["dir"] = str(runner::to_name(e.dir));
    entry["text"] = str(e.text);
    transcript.emplace_back(std::move(entry));
  }
  o["transcript"] = std::move(transcript);
  return o;
}

void indent_to(std::string& out, std::size_t depth) {
  out.append(depth * 2, ' ');
}

// Boost.JSON serialises compactly; this adds the 2-space layout (scalars use its escaping).
void pretty(std::string& out, const js::value& v, std::size_t depth) {
  if (const js::object* o = v.if_object()) {
    if (o->empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    std::size_t i = 0;
    for (const auto& kv : *o) {
      indent_to(out, depth + 1);
      out += js::serialize(js::string_view(kv.key()));
      out += ": ";
      pretty(out, kv.value(), depth + 1);
      out += ++i < o->size() ? ",\n" : "\n";
    }
    indent_to(out, depth);
    out += '}';
  } else if (const js::array* a = v.if_array()) {
    if (a->empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < a->size(); ++i) {
      indent_to(out, depth + 1);
      pretty(out, (*a)[i], depth + 1);
      out += i + 1 < a->size() ? ",\n" : "\n";
    }
    indent_to(out, depth);
    out += ']';
  } else {
    out += js::serialize(v);
  }
}

}  // namespace

std::string to_json(const run& r) {
  js::object doc;
  doc["schema_version"] = json_schema_version;
  doc["run_id"] = str(r.run_id);
  doc["started_at"] = str(r.started_at);
  doc["duration_ms"] = r.duration_ms;
  doc["tool_version"] = str(r.tool_version);
  doc["profile"] = str(r.profile);
  doc["command_line"] = str(r.command_line);
  js::array targets;
  for (std::size_t i = 0; i < r.targets.size(); ++i)
    targets.emplace_back(target_object(r, i));
  doc["targets"] = std::move(targets);
  js::object summary = counts_object(count(r));
  summary["exit_status"] = exit_status(r);
  doc["summary"] = std::move(summary);
  js::array cases;
  for (const auto& c : r.cases)
    cases.emplace_back(case_object(r, c));
  doc["cases"] = std::move(cases);

  std::string out;
  pretty(out, doc, 0);
  out += '\n';
  return out;
}

}  // namespace mailtls::report
