#include "mitm/action.hpp"

#include <type_traits>

#include "runner/text.hpp"

namespace mailtls::mitm {
namespace {

void append(std::string& out, const action& a) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, to_client>) {
          out += "to_client \"" + runner::escape(x.bytes) + '"';
        } else if constexpr (std::is_same_v<T, to_server>) {
          out += "to_server \"" + runner::escape(x.bytes) + '"';
        } else if constexpr (std::is_same_v<T, close_client>) {
          out += "close_client";
        } else if constexpr (std::is_same_v<T, close_server>) {
          out += "close_server";
        } else if constexpr (std::is_same_v<T, relay_opaque>) {
          out += "relay_opaque";
        } else {
          static_assert(std::is_same_v<T, read_both>);
          out += "read " + std::to_string(x.timeout_ms) + "ms";
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

}  // namespace mailtls::mitm
