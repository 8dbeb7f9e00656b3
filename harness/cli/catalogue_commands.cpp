#include "cli/catalogue_commands.hpp"

#include <iostream>

#include "cli/catalogue.hpp"

namespace mailtls::cli {
namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

// Markdown table cells: `|` would end the cell.
std::string cell(std::string s) {
  std::string out;
  for (const char c : s) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

}  // namespace

int run_lint(const std::vector<std::string>& paths_in) {
  std::vector<std::string> paths = paths_in;
  if (paths.empty()) paths.push_back(find_scenarios("").string());
  std::size_t problems = 0, files = 0;
  bool missing = false;
  for (const auto& p : paths) {
    const auto cat = load_catalogue(p);
    if (cat.files.empty() && !cat.errors.empty() && cat.root.empty()) missing = true;
    for (const auto& e : cat.errors) {
      std::cout << e << "\n";
      ++problems;
    }
    for (const auto& f : cat.files) {
      ++files;
      for (const auto& d : f.lint) {
        std::cout << d.to_string() << "\n";
        ++problems;
      }
    }
  }
  std::cout << files << " scenario files, " << problems << " problems\n";
  if (missing) return 2;
  return problems == 0 ? 0 : 1;
}

int run_list(const std::string& scenarios, const std::string& format) {
  if (format != "text" && format != "markdown") {
    std::cerr << "mailtls list: unknown format '" << format << "' (text or markdown)\n";
    return 2;
  }
  const auto cat = load_catalogue(find_scenarios(scenarios));
  if (!cat.errors.empty()) {
    for (const auto& e : cat.errors)
      std::cerr << e << "\n";
    return 2;
  }
  if (format == "markdown") {
    std::cout << "| id | services | severity | refs | what it checks |\n|---|---|---|---|---|\n";
  }
  for (const auto& f : cat.files) {
    const auto& s = f.parsed;
    const std::string sev = s.severity_ ? std::string(scenario::to_name(*s.severity_)) : "?";
    if (format == "markdown") {
      std::cout << "| `" << s.id_ << "` | " << cell(join(s.services_, " ")) << " | " << sev << " | "
                << cell(join(s.refs_, "; ")) << " | " << cell(s.title_) << " |\n";
    } else {
      std::cout << s.id_ << "  [" << join(s.services_, " ") << "]  " << sev << "  " << s.title_
                << "\n";
    }
  }
  return 0;
}

}  // namespace mailtls::cli
