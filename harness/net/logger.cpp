#include "net/logger.hpp"

#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace mailtls::net {
namespace {

void append_escaped(std::string& out, std::string_view text) {
  for (unsigned char c : text) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

void write_stderr(std::string_view line) {
  // One write(2) per line keeps lines whole even with other writers on the same descriptor.
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) return;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

std::optional<log_level> parse_log_level(std::string_view text) noexcept {
  if (text == "debug") return log_level::debug;
  if (text == "info") return log_level::info;
  if (text == "warn" || text == "warning") return log_level::warn;
  if (text == "error") return log_level::error;
  return std::nullopt;
}

std::string format_log_line(std::chrono::system_clock::time_point when, log_level level,
                            std::string_view listener, std::string_view peer,
                            std::string_view message) {
  using namespace std::chrono;
  const auto ms_total = duration_cast<milliseconds>(when.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms_total / 1000);
  auto ms = ms_total % 1000;
  if (ms < 0) {  // before 1970: floor, not truncate
    ms += 1000;
    secs -= 1;
  }
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char stamp[96];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  std::string line;
  line.reserve(64 + message.size());
  line += stamp;
  line.push_back(' ');
  line += session::to_string(level);
  line.push_back(' ');
  if (listener.empty()) {
    line.push_back('-');
  } else {
    append_escaped(line, listener);
  }
  line.push_back(' ');
  if (peer.empty()) {
    line.push_back('-');
  } else {
    append_escaped(line, peer);
  }
  line.push_back(' ');
  append_escaped(line, message);
  line.push_back('\n');
  return line;
}

logger::logger(log_level min_level) : logger(min_level, write_stderr) {}

logger::logger(log_level min_level, sink s) : min_(min_level), sink_(std::move(s)) {}

void logger::write(log_level level, std::string_view listener, std::string_view peer,
                   std::string_view message) {
  if (!enabled(level)) return;
  const std::string line =
      format_log_line(std::chrono::system_clock::now(), level, listener, peer, message);
  std::lock_guard lock(mutex_);
  if (sink_) sink_(line);
}

}  // namespace mailtls::net
