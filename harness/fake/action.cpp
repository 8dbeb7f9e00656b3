#include "fake/action.hpp"

#include <type_traits>

#include "scenario/syntax.hpp"

namespace mailtls::fake {
namespace {

void append(std::string& out, const action& a) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, send_bytes>) {
          out += "send " + scenario::quote(x.bytes);
        } else if constexpr (std::is_same_v<T, start_tls>) {
          out += "start_tls cert=" + std::string(scenario::to_name(x.cert));
          if (x.min != runner::tls_version_limit::any) {
            out += std::string(" min=") + runner::to_name(x.min);
          }
          if (x.max != runner::tls_version_limit::any) {
            out += std::string(" max=") + runner::to_name(x.max);
          }
          if (x.implicit) out += " implicit";
          if (x.timeout_ms != 0) out += " timeout=" + std::to_string(x.timeout_ms) + "ms";
        } else if constexpr (std::is_same_v<T, read_bytes>) {
          out += "read " + std::to_string(x.timeout_ms) + "ms";
        } else {
          static_assert(std::is_same_v<T, close_connection>);
          out += "close";
        }
      },
      a);
}

}  // namespace

std::string to_string(const action& a) {
  std::string out;
  append(out, a);
  return out;
}

std::string to_string(const actions& list) {
  std::string out;
  for (const auto& a : list) {
    if (!out.empty()) out.push_back('\n');
    append(out, a);
  }
  return out;
}

}  // namespace mailtls::fake
