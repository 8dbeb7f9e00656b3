// Scenario-file parser: text -> scenario (ast.hpp). I/O-free: `include` is resolved through a
// caller-provided loader. Bounded: file size, line length, statements, include depth and count are
// limited by parse_limits. Stops at the first error. Language: docs/scenario-format.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "scenario/ast.hpp"
#include "scenario/errc.hpp"

namespace mailtls::scenario {

struct parse_limits {
  std::size_t max_file_size = 64 * 1024;  // per file, main or included
  std::size_t max_line_length = 4096;     // bytes, without the line ending
  std::size_t max_statements = 2048;      // body statements of all files together
  std::size_t max_include_depth = 8;      // files open at once below the main file
  std::size_t max_includes = 64;          // include statements resolved in total
  std::uint32_t max_duration_ms = 3'600'000;
};

// Returns the text of the file named by an `include` (the path exactly as written), or nullopt
// when there is none. Cycles are detected on these path strings.
using include_loader = std::function<std::optional<std::string>(std::string_view path)>;

struct parse_options {
  parse_limits limits;
  include_loader loader;  // empty: `include` is an error
};

struct parse_outcome {
  scenario value;                       // meaningful only when ok()
  std::optional<scenario_error> error;  // the first error
  bool ok() const { return !error.has_value(); }
};

// Parses `text`, the contents of the file called `file_name` (used in errors and files_[0]).
parse_outcome parse(std::string_view text, std::string_view file_name,
                    const parse_options& options = {});

}  // namespace mailtls::scenario
