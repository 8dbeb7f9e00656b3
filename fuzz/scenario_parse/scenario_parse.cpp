// Fuzz target: the scenario-file parser, lint and printer (harness/scenario).
// Invariants: no crash; the AST stays within parse_limits; every error names a file and a line
// and says something; lint never fails on a parsed scenario; for every scenario that parses,
// print -> parse succeeds with the same headers and statement bodies, and printing is stable.
// Includes go to a fake loader: `self` returns the main text again (a cycle), a path of even length
// returns a small fixed prologue, any other path is missing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "scenario/lint.hpp"
#include "scenario/parser.hpp"
#include "scenario/printer.hpp"

namespace {

using namespace mailtls::scenario;

bool same_bodies(const scenario& a, const scenario& b) {
  if (a.statements_.size() != b.statements_.size()) return false;
  for (std::size_t i = 0; i < a.statements_.size(); ++i) {
    if (!(a.statements_[i].body_ == b.statements_[i].body_)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  parse_options o;
  o.limits.max_statements = 256;
  o.limits.max_includes = 16;
  o.limits.max_include_depth = 4;
  o.loader = [text](std::string_view path) -> std::optional<std::string> {
    if (path == "self") return std::string(text);
    if (path.size() % 2 == 0) return std::string("C: EHLO mailtls.test\nS: 250 * [+STARTTLS]\n");
    return std::nullopt;
  };
  const auto r = parse(text, "main.scn", o);
  if (r.value.statements_.size() > o.limits.max_statements + 1) std::abort();
  if (r.value.files_.size() > o.limits.max_includes + 1) std::abort();
  if (!r.ok()) {
    const auto& e = *r.error;
    if (e.file.empty() || e.line == 0 || e.message.empty() || !e.code) std::abort();
    return 0;
  }
  (void)lint(r.value, "main.scn");

  // Round trip. The printed form may be longer (\xHH escapes), so it is read with wider limits.
  const std::string printed = print(r.value);
  parse_options wide;
  wide.limits.max_file_size = printed.size() + 1;
  wide.limits.max_line_length = printed.size() + 1;
  wide.limits.max_statements = o.limits.max_statements;
  const auto back = parse(printed, "main.scn", wide);
  if (!back.ok()) std::abort();
  if (back.value.headers_.size() != r.value.headers_.size()) std::abort();
  for (std::size_t i = 0; i < r.value.headers_.size(); ++i) {
    if (back.value.headers_[i].key != r.value.headers_[i].key ||
        back.value.headers_[i].value != r.value.headers_[i].value) {
      std::abort();
    }
  }
  if (back.value.id_ != r.value.id_ || back.value.refs_ != r.value.refs_ ||
      back.value.services_ != r.value.services_ || back.value.severity_ != r.value.severity_ ||
      back.value.timeout_ms_ != r.value.timeout_ms_ || back.value.profile_ != r.value.profile_) {
    std::abort();
  }
  if (!same_bodies(r.value, back.value)) std::abort();
  if (print(back.value) != printed) std::abort();
  return 0;
}
