// Writes the three report files of a run into one folder (normally results/<run-id>/):
// report.json (json.hpp), junit.xml (junit.hpp), report.html (html.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "report/model.hpp"

namespace mailtls::report {

inline constexpr std::string_view json_file_name = "report.json";
inline constexpr std::string_view junit_file_name = "junit.xml";
inline constexpr std::string_view html_file_name = "report.html";

// Creates `dir` (and its parents) and writes each file atomically: to a temporary file in `dir`,
// then renamed over the final name, so a reader sees the old file or the whole new one. On failure
// returns the error and sets `error` to a sentence naming the path ("cannot write
// results/x/report.json: Permission denied"); a temporary file left by the failure is removed.
// Never throws.
std::error_code write_reports(const run& r, const std::filesystem::path& dir, std::string& error);

// One file, atomically, as above (exposed for the CLI and tests).
std::error_code write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                      std::string& error);

}  // namespace mailtls::report
