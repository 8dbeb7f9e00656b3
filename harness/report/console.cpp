#include "report/console.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "report/escape.hpp"
#include "report/matrix.hpp"
#include "report/names.hpp"

namespace mailtls::report {
namespace {

constexpr std::string_view reset = "\x1b[0m";

std::string_view sgr(std::string_view state) {
  if (state == "pass") return "\x1b[32m";
  if (state == "fail") return "\x1b[1;31m";
  if (state == "error") return "\x1b[1;33m";
  return "\x1b[2m";  // skip, none
}

std::string paint(std::string_view text, std::string_view state, const console_options& opt) {
  if (!opt.color) return std::string(text);
  return std::string(sgr(state)) + std::string(text) + std::string(reset);
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

std::string entry_text(const matrix_entry& e) {
  if (e.targets == 0) return e.label + " -";
  std::string s = e.label + " " + std::to_string(e.c.pass) + "/" + std::to_string(e.c.total());
  std::string extra;
  const auto add = [&](std::size_t n, std::string_view word) {
    if (n == 0) return;
    extra += (extra.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(word);
  };
  add(e.c.fail, "fail");
  add(e.c.error, "error");
  add(e.c.skip, "skip");
  if (!extra.empty()) s += " (" + extra + ")";
  return s;
}

struct cell {
  std::string plain;    // for the width
  std::string painted;  // what is printed
};

cell make_cell(const std::vector<matrix_entry>& entries, const console_options& opt) {
  cell c;
  for (const auto& e : entries) {
    if (!c.plain.empty()) {
      c.plain += "  ";
      c.painted += "  ";
    }
    const std::string t = entry_text(e);
    c.plain += t;
    c.painted += paint(t, entry_state(e), opt);
  }
  return c;
}

void append_padded(std::string& out, const cell& c, std::size_t width) {
  out += c.painted;
  if (c.plain.size() < width) out.append(width - c.plain.size(), ' ');
}

}  // namespace

console_options detect_console(int fd) {
  console_options o;
  const bool tty = ::isatty(fd) == 1;
  const char* term = std::getenv("TERM");
  const bool dumb = term != nullptr && std::string_view(term) == "dumb";
  o.color = tty && !dumb && !env_set("NO_COLOR");
  o.progress = tty && !dumb;
  return o;
}

std::string progress_line(std::size_t done, std::size_t total, std::span<const std::string> running,
                          std::size_t width) {
  constexpr std::size_t bar = 24;
  if (done > total) done = total;
  const std::size_t filled = total == 0 ? 0 : done * bar / total;
  std::string line = "[";
  if (filled == bar) {
    line.append(bar, '=');
  } else {
    if (filled > 0) line.append(filled - 1, '=').append(1, '>');
    line.append(bar - filled, ' ');
  }
  line += "] " + std::to_string(done) + "/" + std::to_string(total);
  std::string names;
  for (const auto& n : running)
    names += (names.empty() ? "" : ", ") + terminal_text(n);
  if (!names.empty()) {
    line += "  ";
    if (line.size() + names.size() > width) {
      const std::size_t room = width > line.size() + 3 ? width - line.size() - 3 : 0;
      names = names.substr(0, room) + "...";
    }
    line += names;
  }
  if (line.size() > width) line.resize(width);
  return pad(std::move(line), width);
}

std::string case_line(const run& r, const case_result& c, const console_options& opt) {
  const runner::verdict& v = c.result.v;
  const target& t = target_of(r, c);
  const std::string_view verdict = verdict_word(v.result);
  std::string out = paint(verdict, runner::to_name(v.result), opt);
  out.append(6 - verdict.size(), ' ');
  std::string svc(runner::info(t.svc).name);
  std::size_t same = 0;
  for (const auto& other : r.targets)
    same += other.svc == t.svc ? 1 : 0;
  if (same > 1) svc += " " + terminal_text(t.url);
  out += pad(std::move(svc), 12) + " " + terminal_text(c.scenario_id) + "  " +
         std::to_string(c.result.duration_ms) + " ms";
  if (v.result == runner::outcome::skip && !v.reason.empty())
    out += "  (" + terminal_text(v.reason) + ")";
  out += '\n';
  if (v.result == runner::outcome::fail || v.result == runner::outcome::error) {
    std::string where = v.file.empty() ? c.file : v.file;
    if (v.line > 0) where += ":" + std::to_string(v.line);
    out +=
        "      " + (v.reason.empty() ? std::string("(no reason given)") : terminal_text(v.reason));
    if (!where.empty()) out += " (" + terminal_text(where) + ")";
    out += '\n';
  }
  // Remarks that did not change the outcome: tolerated replies, a truncated transcript, and for
  // a failure or an error the context (client-check: the client's exit status and stderr).
  for (const auto& n : v.notes)
    out += "      note: " + terminal_text(n) + "\n";
  return out;
}

std::string summary(const run& r, const console_options& opt) {
  const auto rows = service_matrix(r);
  std::vector<std::pair<cell, cell>> cells;
  const std::string head1 = "explicit TLS (STARTTLS)";
  std::size_t w1 = head1.size();
  for (const auto& row : rows) {
    cells.emplace_back(make_cell(row.explicit_tls, opt), make_cell(row.implicit_tls, opt));
    w1 = std::max(w1, cells.back().first.plain.size());
  }
  std::string out = "protocol  " + pad(head1, w1 + 3) + "implicit TLS\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string line = pad(upper(runner::to_name(rows[i].proto)), 10);
    append_padded(line, cells[i].first, w1 + 3);
    line += cells[i].second.painted;
    out += line + '\n';
  }

  const counts c = count(r);
  if (c.fail + c.error > 0) {
    out += "\nfailures and errors:\n";
    for (const auto o : {runner::outcome::fail, runner::outcome::error}) {
      for (const auto& k : r.cases) {
        if (k.result.v.result == o) out += case_line(r, k, opt);
      }
    }
  }
  out += "\ntotal     " + std::to_string(c.total()) + " cases: " + std::to_string(c.pass) +
         " pass, " + std::to_string(c.fail) + " fail, " + std::to_string(c.error) + " error, " +
         std::to_string(c.skip) + " skip in " + seconds(r.duration_ms) + " s\n";
  const int status = exit_status(r);
  const std::string_view state = status == 1 ? "fail" : status == 3 ? "error" : "pass";
  out += "result    " + paint(upper(state), state, opt) + " (exit status " +
         std::to_string(status) + ")\n";
  return out;
}

}  // namespace mailtls::report
