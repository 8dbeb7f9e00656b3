#include "runner/action.hpp"

#include <type_traits>

#include "scenario/syntax.hpp"

namespace mailtls::runner {

const char* to_name(tls_version_limit v) noexcept {
  switch (v) {
    case tls_version_limit::any:
      return "any";
    case tls_version_limit::tls1_0:
      return "TLSv1.0";
    case tls_version_limit::tls1_1:
      return "TLSv1.1";
    case tls_version_limit::tls1_2:
      return "TLSv1.2";
    case tls_version_limit::tls1_3:
      return "TLSv1.3";
  }
  return "any";
}

namespace {

void append(std::string& out, const action& a) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, send_bytes>) {
          out += "send ";
          out += scenario::quote(x.bytes);
        } else if constexpr (std::is_same_v<T, start_tls>) {
          out += "start_tls";
          if (x.implicit) out += " implicit";
          if (x.verify) out += *x.verify ? " verify" : " insecure";
          if (x.sni) out += " sni=" + *x.sni;
          if (x.min != tls_version_limit::any) out += std::string(" min=") + to_name(x.min);
          if (x.max != tls_version_limit::any) out += std::string(" max=") + to_name(x.max);
          if (x.ciphers) out += " ciphers=" + *x.ciphers;
          for (std::size_t i = 0; i < x.alpn.size(); ++i) {
            out += i == 0 ? " alpn=" : ",";
            out += x.alpn[i];
          }
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

}  // namespace mailtls::runner
