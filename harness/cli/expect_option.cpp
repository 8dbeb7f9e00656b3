#include "cli/expect_option.hpp"

#include <fstream>
#include <iostream>
#include <iterator>

namespace mailtls::cli {

bool load_expectations(const std::string& path, std::string_view command,
                       std::optional<report::expectations>& out) {
  out.reset();
  if (path.empty()) return true;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "mailtls " << command << ": cannot read " << path << "\n";
    return false;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string error;
  out.emplace();
  if (!report::parse_expectations(text, path, *out, error)) {
    std::cerr << "mailtls " << command << ": " << error << "\n";
    out.reset();
    return false;
  }
  return true;
}

int expectations_exit_status(const report::run& run, const report::expectations& expected,
                             std::ostream& out) {
  const auto res = report::compare(run, expected);
  if (res.mismatches.empty()) {
    out << "expected: all " << res.matched << " cases as in " << expected.file << " ("
        << res.expected_failures << " expected failures)\n";
    return 0;
  }
  out << "NOT AS EXPECTED (" << expected.file << "): " << res.mismatches.size()
      << (res.mismatches.size() == 1 ? " difference" : " differences") << "\n";
  for (const auto& m : res.mismatches)
    out << "  " << m << "\n";
  return 1;
}

}  // namespace mailtls::cli
