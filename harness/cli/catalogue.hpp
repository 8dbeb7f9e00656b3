// The scenario catalogue: every `*.scn` file under a root folder (recursively, sorted by path),
// parsed with `include` resolved relative to that root, and linted. Files are read with a bound
// (the parser's max_file_size), symlinks are not followed out of the root.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/ast.hpp"
#include "scenario/lint.hpp"

namespace mailtls::cli {

struct scenario_file {
  std::filesystem::path path;  // on disk
  std::string display;         // for messages and reports: relative to the root's parent
  scenario::scenario parsed;
  std::vector<scenario::diagnostic> lint;
};

struct catalogue {
  std::filesystem::path root;
  std::vector<scenario_file> files;  // parsed ones, sorted by display path
  // `file:line: message` for every file that did not parse, a root that is not a folder, and
  // ids used by more than one file.
  std::vector<std::string> errors;
};

// Which files a command sees: `check` and `selftest` the client-role ones (mailtls plays the
// client against a server), `client-check` the server-role ones (`role: server`), `lint` and
// `list` all of them.
enum class role_filter : std::uint8_t { client, server, all };

// Loads `root` (a folder) or a single `.scn` file (its folder is the include root), keeping the
// files of the roles `roles` selects (ids are checked for duplicates across all of them).
catalogue load_catalogue(const std::filesystem::path& root,
                         role_filter roles = role_filter::client);

// Where scenarios live: `given`, else $MAILTLS_SCENARIOS, else the source tree's scenarios/.
std::filesystem::path find_scenarios(const std::string& given);

}  // namespace mailtls::cli
