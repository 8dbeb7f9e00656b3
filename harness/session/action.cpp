#include "session/action.hpp"

#include <cstdio>

namespace mailtls::session {
namespace {

void append_escaped(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[5];
          std::snprintf(buf, sizeof buf, "\\x%02X", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

struct printer {
  std::string& out;
  void operator()(const send& a) {
    out += "send ";
    append_escaped(out, a.bytes);
  }
  void operator()(const start_tls&) { out += "start_tls"; }
  void operator()(const read& a) { out += "read " + std::to_string(a.timeout_ms) + "ms"; }
  void operator()(const pause& a) { out += "pause " + std::to_string(a.ms) + "ms"; }
  void operator()(const close&) { out += "close"; }
  void operator()(const log& a) {
    out += "log ";
    out += to_string(a.level);
    out += ' ';
    append_escaped(out, a.text);
  }
};

}  // namespace

const char* to_string(log_level l) noexcept {
  switch (l) {
    case log_level::debug:
      return "debug";
    case log_level::info:
      return "info";
    case log_level::warn:
      return "warn";
    case log_level::error:
      return "error";
  }
  return "?";
}

std::string to_string(const action& a) {
  std::string out;
  std::visit(printer{out}, a);
  return out;
}

std::string to_string(const actions& list) {
  std::string out;
  for (const auto& a : list) {
    if (!out.empty()) out.push_back('\n');
    std::visit(printer{out}, a);
  }
  return out;
}

}  // namespace mailtls::session
