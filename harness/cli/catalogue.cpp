#include "cli/catalogue.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>

#include "scenario/parser.hpp"

namespace mailtls::cli {
namespace fs = std::filesystem;

namespace {

// At most `limit` + 1 bytes, so the parser sees (and reports) a file that is too large.
std::optional<std::string> read_bounded(const fs::path& p, std::size_t limit) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string s(limit + 1, '\0');
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

// `include` paths are relative to the root and may not leave it.
std::optional<fs::path> resolve_include(const fs::path& root, std::string_view path) {
  const fs::path rel(path);
  if (rel.is_absolute()) return std::nullopt;
  for (const auto& part : rel) {
    if (part == "..") return std::nullopt;
  }
  return root / rel;
}

}  // namespace

fs::path find_scenarios(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("MAILTLS_SCENARIOS"); env != nullptr && *env != '\0') {
    return env;
  }
  return fs::path(MAILTLS_SOURCE_DIR) / "scenarios";
}

catalogue load_catalogue(const fs::path& root_in, role_filter roles) {
  catalogue c;
  std::error_code ec;
  std::vector<fs::path> paths;
  const bool single = fs::is_regular_file(root_in, ec);
  if (single) {
    c.root = root_in.parent_path();
    paths.push_back(root_in);
  } else if (fs::is_directory(root_in, ec)) {
    c.root = root_in;
    fs::recursive_directory_iterator it(root_in, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".scn") paths.push_back(it->path());
    }
    if (ec) c.errors.push_back(root_in.string() + ": " + ec.message());
  } else {
    c.errors.push_back(root_in.string() + ": no such scenario file or folder");
    return c;
  }
  std::sort(paths.begin(), paths.end());

  const fs::path base = c.root.has_parent_path() ? c.root.parent_path() : fs::path();
  scenario::parse_options options;
  const auto limit = options.limits.max_file_size;
  options.loader = [&](std::string_view include) -> std::optional<std::string> {
    const auto p = resolve_include(c.root, include);
    if (!p) return std::nullopt;
    return read_bounded(*p, limit);
  };

  std::map<std::string, std::string> ids;  // id -> first file
  for (const auto& p : paths) {
    // A single file is shown as given; files of a folder relative to the folder's parent
    // ("scenarios/smtp/x.scn").
    std::string display = single ? p.string() : p.lexically_relative(base).string();
    if (display.empty() || display.starts_with("..")) display = p.string();
    const auto text = read_bounded(p, limit);
    if (!text) {
      c.errors.push_back(display + ": cannot read");
      continue;
    }
    auto r = scenario::parse(*text, display, options);
    if (!r.ok()) {
      c.errors.push_back(r.error->to_string());
      continue;
    }
    scenario_file f;
    f.path = p;
    f.display = display;
    f.lint = scenario::lint(r.value, display);
    f.parsed = std::move(r.value);
    if (!f.parsed.id_.empty()) {
      const auto [it, fresh] = ids.emplace(f.parsed.id_, display);
      if (!fresh) {
        std::size_t line = 1;
        for (const auto& h : f.parsed.headers_) {
          if (h.key == "id") {
            line = h.line;
            break;
          }
        }
        c.errors.push_back(display + ":" + std::to_string(line) + ": id '" + f.parsed.id_ +
                           "' is already used by " + it->second);
      }
    }
    const bool server = f.parsed.role() == scenario::scenario_role::server;
    if (roles == role_filter::all || server == (roles == role_filter::server)) {
      c.files.push_back(std::move(f));
    }
  }
  return c;
}

}  // namespace mailtls::cli
