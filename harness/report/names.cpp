#include "report/names.hpp"

#include <string>

namespace mailtls::report {

std::string_view verdict_word(runner::outcome o) noexcept {
  switch (o) {
    case runner::outcome::pass:
      return "PASS";
    case runner::outcome::fail:
      return "FAIL";
    case runner::outcome::error:
      return "ERROR";
    case runner::outcome::skip:
      return "SKIP";
  }
  return "ERROR";
}

const target& target_of(const run& r, const case_result& c) noexcept {
  static const target none{};
  return c.target_index < r.targets.size() ? r.targets[c.target_index] : none;
}

std::string seconds(std::uint64_t ms) {
  std::string frac = std::to_string(ms % 1000);
  frac.insert(0, 3 - frac.size(), '0');
  return std::to_string(ms / 1000) + "." + frac;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return out;
}

}  // namespace mailtls::report
