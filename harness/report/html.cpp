#include "report/html.hpp"

#include "report/escape.hpp"
#include "report/matrix.hpp"
#include "report/names.hpp"

namespace mailtls::report {
namespace {

constexpr std::string_view css = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1200px;
padding:1em 2em;color:#1b1f24;background:#fff}
h1{font-size:1.6em;margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid #d0d7de}
h3{margin:.2em 0 .5em}h4{margin:.6em 0 .2em}
code,pre{font:12.5px/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace}
pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.6em;overflow-x:auto;white-space:pre-wrap;
word-break:break-all;margin:.2em 0}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:.5em 0}
dl.meta dt{font-weight:600}dl.meta dd{margin:0}
.badge{display:inline-block;min-width:3.5em;text-align:center;border-radius:4px;padding:0 .4em;
font-weight:700;color:#fff}
.badge.st-pass{background:#1a7f37}.badge.st-fail{background:#cf222e}
.badge.st-error{background:#bc4c00}.badge.st-skip,.badge.st-none{background:#6e7781}
.cell{border-radius:4px;padding:.3em .5em;margin:.2em 0;border-left:6px solid #6e7781}
.cell.st-pass{background:#dafbe1;border-color:#1a7f37}
.cell.st-fail{background:#ffebe9;border-color:#cf222e}
.cell.st-error{background:#fff1e5;border-color:#bc4c00}
.cell.st-skip{background:#eaeef2}.cell.st-none{background:#fff;color:#6e7781}
.cell .svc{font-weight:700}.cell .ports{color:#57606a;font-size:.9em}
.n-pass{color:#1a7f37}.n-fail{color:#cf222e;font-weight:700}.n-error{color:#bc4c00;font-weight:700}
.n-skip{color:#57606a}.zero{color:#8c959f;font-weight:400}
section.case{border:1px solid #d0d7de;border-left:6px solid #cf222e;padding:.6em 1em;margin:1em 0}
section.case.st-error{border-left-color:#bc4c00}
.evidence{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.transcript .d-C{color:#0550ae}.transcript .d-S{color:#1b1f24}.transcript .d-TLS{color:#8250df}
.transcript .d-note{color:#6e7781;font-style:italic}
details{margin:.4em 0}summary{cursor:pointer}
details.case{border:1px solid #d0d7de;padding:.2em .6em}
)";

std::string esc(std::string_view s) {
  return xml_text(s);
}

std::string_view state_class(runner::outcome o) {
  return runner::to_name(o);  // "pass" -> class st-pass ...
}

std::string counts_html(const counts& c) {
  std::string out;
  const auto part = [&](std::size_t n, std::string_view word, bool last) {
    out += "<span class=\"n-";
    out += word;
    if (n == 0) out += " zero";
    out += "\">" + std::to_string(n) + " " + std::string(word) + "</span>";
    if (!last) out += " · ";
  };
  part(c.pass, "pass", false);
  part(c.fail, "fail", false);
  part(c.error, "error", false);
  part(c.skip, "skip", true);
  return out;
}

std::string_view run_state(const run& r) {
  switch (exit_status(r)) {
    case 1:
      return "fail";
    case 3:
      return "error";
    default:
      return "pass";
  }
}

void header(std::string& out, const run& r) {
  const std::string_view state = run_state(r);
  out += "<header>\n<h1>mailtls report <span class=\"badge st-" + std::string(state) + "\">";
  out += state == "pass" ? "PASS" : state == "fail" ? "FAIL" : "ERROR";
  out += "</span></h1>\n<dl class=\"meta\">\n";
  const auto row = [&](std::string_view k, const std::string& v) {
    out += "<dt>" + std::string(k) + "</dt><dd>" + v + "</dd>\n";
  };
  row("run", "<code>" + esc(r.run_id) + "</code>");
  row("started", esc(r.started_at));
  row("duration", seconds(r.duration_ms) + " s");
  row("tool", esc(r.tool_version));
  row("profile", esc(r.profile));
  row("command", "<code>" + esc(r.command_line) + "</code>");
  const counts c = count(r);
  row("cases", std::to_string(c.total()) + ": " + counts_html(c));
  out +=
      "</dl>\n<table class=\"targets\">\n<thead><tr><th>#</th><th>target</th><th>service</th>"
      "<th>cases</th><th>verdicts</th></tr></thead>\n<tbody>\n";
  for (std::size_t t = 0; t < r.targets.size(); ++t) {
    const counts tc = count(r, t);
    out += "<tr><td>" + std::to_string(t) + "</td><td><code>" + esc(r.targets[t].url) +
           "</code></td><td>" + std::string(runner::info(r.targets[t].svc).name) + "</td><td>" +
           std::to_string(tc.total()) + "</td><td>" + counts_html(tc) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n</header>\n";
}

void matrix_cell(std::string& out, const run& r, const std::vector<matrix_entry>& entries) {
  out += "<td>";
  for (const auto& e : entries) {
    const std::string name(runner::info(e.svc).name);
    out += "<div class=\"cell st-" + std::string(entry_state(e)) + "\" id=\"svc-" + name +
           "\"><span class=\"svc\">" + esc(e.label) + "</span> ";
    if (e.targets == 0) {
      out += "<span class=\"zero\">not checked</span>";
    } else {
      out += counts_html(e.c);
      out += "<div class=\"ports\">";
      bool first = true;
      for (const auto& t : r.targets) {
        if (t.svc != e.svc) continue;
        if (!first) out += ", ";
        first = false;
        out += esc(t.url);
      }
      out += "</div>";
    }
    out += "</div>";
  }
  out += "</td>";
}

void matrix(std::string& out, const run& r) {
  out +=
      "<h2 id=\"matrix\">Service matrix</h2>\n<table class=\"matrix\">\n<thead><tr><th>protocol"
      "</th><th>explicit TLS (STARTTLS)</th><th>implicit TLS</th></tr></thead>\n<tbody>\n";
  for (const auto& row : service_matrix(r)) {
    out += "<tr><th>" + upper(runner::to_name(row.proto)) + "</th>";
    matrix_cell(out, r, row.explicit_tls);
    matrix_cell(out, r, row.implicit_tls);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

std::string_view dir_class(runner::transcript_entry::direction d) {
  return d == runner::transcript_entry::direction::note ? "note" : runner::to_name(d);
}

void transcript(std::string& out, const runner::scenario_result& res) {
  if (res.transcript.empty()) {
    out += "<p class=\"zero\">(empty transcript)</p>\n";
    return;
  }
  out += "<pre class=\"transcript\">";
  for (const auto& e : res.transcript) {
    std::string at = std::to_string(e.at_ms);
    if (at.size() < 6) at.insert(0, 6 - at.size(), ' ');
    const std::string_view d = runner::to_name(e.dir);
    const bool line = e.dir == runner::transcript_entry::direction::client ||
                      e.dir == runner::transcript_entry::direction::server;
    out += "<span class=\"d-" + std::string(dir_class(e.dir)) + "\">" + at + "ms " +
           std::string(d) + (line ? ": " : " ") + esc(e.text) + "</span>\n";
  }
  out += "</pre>\n";
}

void tls_line(std::string& out, const runner::tls_facts& f) {
  if (!f.attempted) return;
  std::string s = f.implicit ? "implicit TLS: " : "STARTTLS: ";
  if (f.established) {
    s += f.version + " " + f.cipher;
    if (!f.alpn.empty()) s += ", ALPN " + f.alpn;
    s += f.verified ? ", verified" : ", not verified (" + f.verify_error + ")";
    if (!f.subject.empty()) s += "; certificate " + f.subject + " issued by " + f.issuer;
    if (!f.key_type.empty()) s += ", " + f.key_type + " " + std::to_string(f.key_bits) + " bits";
  } else {
    s += "handshake failed: " + f.failure;
  }
  out += "<p class=\"tls\">" + esc(s) + "</p>\n";
}

void facts_row(std::string& out, std::string_view k, const std::string& v_html) {
  out += "<tr><th>" + std::string(k) + "</th><td>" + v_html + "</td></tr>\n";
}

std::string target_html(const run& r, const case_result& c) {
  const target& t = target_of(r, c);
  return "<code>" + esc(t.url) + "</code> (" + std::string(runner::info(t.svc).name) + ")";
}

void failing_case(std::string& out, const run& r, const case_result& c, std::size_t index) {
  const runner::verdict& v = c.result.v;
  const std::string st(state_class(v.result));
  out += "<section class=\"case st-" + st + "\" id=\"case-" + std::to_string(index) + "\">\n";
  out += "<h3><span class=\"badge st-" + st + "\">" + std::string(verdict_word(v.result)) +
         "</span> <code>" + esc(c.scenario_id) + "</code> — " + esc(c.title) + "</h3>\n";
  out += "<table class=\"facts\">\n";
  facts_row(out, "reason", esc(v.reason));
  facts_row(out, "severity", esc(c.severity));
  std::string refs;
  for (const auto& ref : c.refs)
    refs += (refs.empty() ? "" : ", ") + esc(ref);
  facts_row(out, "refs", refs);
  facts_row(out, "target", target_html(r, c));
  std::string where = esc(v.file.empty() ? c.file : v.file);
  if (v.line > 0) where += ":" + std::to_string(v.line);
  facts_row(out, "where", "<code>" + where + "</code>");
  if (v.limit != runner::limit_kind::none)
    facts_row(out, "limit", std::string(runner::to_name(v.limit)));
  for (const auto& n : v.notes)
    facts_row(out, "note", esc(n));
  facts_row(out, "duration", std::to_string(c.result.duration_ms) + " ms");
  out += "</table>\n<div class=\"evidence\"><div><h4>expected</h4><pre>" + esc(v.expected) +
         "</pre></div><div><h4>got</h4><pre>" + esc(v.got) + "</pre></div></div>\n";
  tls_line(out, c.result.tls);
  out += "<h4>transcript</h4>\n";
  transcript(out, c.result);
  out += "</section>\n";
}

void collapsed_case(std::string& out, const run& r, const case_result& c) {
  const runner::verdict& v = c.result.v;
  out += "<details class=\"case\"><summary><span class=\"badge st-" +
         std::string(state_class(v.result)) + "\">" + std::string(verdict_word(v.result)) +
         "</span> " + std::string(runner::info(target_of(r, c).svc).name) + " <code>" +
         esc(c.scenario_id) + "</code> — " + esc(c.title) + " (" +
         std::to_string(c.result.duration_ms) + " ms)";
  if (!v.reason.empty()) out += ": " + esc(v.reason);
  out += "</summary>\n<p>" + target_html(r, c) + ", <code>" + esc(c.file) + "</code></p>\n";
  for (const auto& n : v.notes)
    out += "<p>note: " + esc(n) + "</p>\n";
  tls_line(out, c.result.tls);
  transcript(out, c.result);
  out += "</details>\n";
}

void collapsed_group(std::string& out, const run& r, runner::outcome o, std::string_view title,
                     std::size_t n) {
  out += "<h2 id=\"" + std::string(runner::to_name(o)) + "\">" + std::string(title) + " (" +
         std::to_string(n) + ")</h2>\n";
  if (n == 0) return;
  out += "<details><summary>show " + std::to_string(n) + " " + std::string(runner::to_name(o)) +
         (o == runner::outcome::pass ? "ed" : "ped") + " cases</summary>\n";
  for (const auto& c : r.cases) {
    if (c.result.v.result == o) collapsed_case(out, r, c);
  }
  out += "</details>\n";
}

}  // namespace

std::string to_html(const run& r) {
  std::string out;
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>mailtls "
      "report " +
      esc(r.run_id) + "</title>\n<style>" + std::string(css) + "</style>\n</head>\n<body>\n";
  header(out, r);
  out += "<main>\n";
  matrix(out, r);
  const counts c = count(r);
  out +=
      "<h2 id=\"failures\">Failures and errors (" + std::to_string(c.fail + c.error) + ")</h2>\n";
  if (c.fail + c.error == 0) out += "<p>No case failed and no harness error occurred.</p>\n";
  for (const auto o : {runner::outcome::fail, runner::outcome::error}) {
    for (std::size_t i = 0; i < r.cases.size(); ++i) {
      if (r.cases[i].result.v.result == o) failing_case(out, r, r.cases[i], i);
    }
  }
  collapsed_group(out, r, runner::outcome::skip, "Skipped", c.skip);
  collapsed_group(out, r, runner::outcome::pass, "Passed", c.pass);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace mailtls::report
