#include "cli/run_id.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace mailtls::cli {

std::string utc_now(const char* format) {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::string make_run_id() {
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(rd() & 0xffffu));
  return utc_now("%Y%m%dT%H%M%SZ") + "-" + suffix;
}

bool matches_any(const scenario::scenario& s, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (s.id_ == n) return true;
    if (std::find(s.keywords_.begin(), s.keywords_.end(), n) != s.keywords_.end()) return true;
  }
  return false;
}

}  // namespace mailtls::cli
