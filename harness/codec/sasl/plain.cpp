#include "codec/sasl/plain.hpp"

#include <cstring>

#include "codec/sasl/utf8.hpp"

namespace mailtls::codec::sasl {
namespace {

plain_result failure(sasl_errc e, std::size_t at) {
  return {make_error_code(e), at, {}};
}

// Checks one field (no NUL inside) that starts at `start` in the message. Returns the offset of the
// first defect, with its code, or ok.
plain_result check_field(std::string_view field, std::size_t start, const plain_limits& limits) {
  // Errors in offset order: an ill-formed sequence that starts before the limit, else the limit.
  const std::size_t bad = find_invalid_utf8(field);
  if (bad < field.size() && bad < limits.max_field) {
    return failure(sasl_errc::invalid_utf8, start + bad);  // RFC 4616 §2: SAFE is UTF-8
  }
  if (field.size() > limits.max_field) {  // RFC 4616 §2: MUST accept up to 255 octets
    return failure(sasl_errc::field_too_long, start + limits.max_field);
  }
  return {};
}

}  // namespace

plain_result parse_plain(std::string_view decoded, const plain_limits& limits) {
  const std::size_t n = decoded.size();
  const void* nul1 = std::memchr(decoded.data(), '\0', n);
  const std::size_t sep1 =
      nul1 ? static_cast<std::size_t>(static_cast<const char*>(nul1) - decoded.data()) : n;
  const std::string_view authzid = decoded.substr(0, sep1);
  if (auto r = check_field(authzid, 0, limits); !r.ok()) return r;
  if (sep1 == n) return failure(sasl_errc::missing_separator, n);

  const std::string_view after1 = decoded.substr(sep1 + 1);
  const void* nul2 = std::memchr(after1.data(), '\0', after1.size());
  const std::size_t sep2 =
      nul2 ? sep1 + 1 + static_cast<std::size_t>(static_cast<const char*>(nul2) - after1.data())
           : n;
  const std::string_view authcid = decoded.substr(sep1 + 1, sep2 - sep1 - 1);
  if (auto r = check_field(authcid, sep1 + 1, limits); !r.ok()) return r;
  if (sep2 == n) return failure(sasl_errc::missing_separator, n);
  if (authcid.empty()) return failure(sasl_errc::empty_authcid, sep2);  // authcid = 1*SAFE

  const std::string_view rest = decoded.substr(sep2 + 1);
  const void* nul3 = std::memchr(rest.data(), '\0', rest.size());
  const std::size_t sep3 =
      nul3 ? sep2 + 1 + static_cast<std::size_t>(static_cast<const char*>(nul3) - rest.data()) : n;
  const std::string_view passwd = decoded.substr(sep2 + 1, sep3 - sep2 - 1);
  if (auto r = check_field(passwd, sep2 + 1, limits); !r.ok()) return r;
  if (sep3 != n) return failure(sasl_errc::extra_nul, sep3);         // SAFE excludes NUL
  if (passwd.empty()) return failure(sasl_errc::empty_password, n);  // passwd = 1*SAFE

  return {{}, 0, {authzid, authcid, passwd}};
}

plain_result build_plain(std::string_view authzid, std::string_view authcid,
                         std::string_view passwd, std::string& out, const plain_limits& limits) {
  // A NUL inside a field would shift the fields (authcid "bob\0admin"): refuse it outright.
  std::size_t at = 0;
  for (std::string_view f : {authzid, authcid, passwd}) {
    if (const auto p = f.find('\0'); p != std::string_view::npos) {
      return failure(sasl_errc::embedded_nul, at + p);
    }
    at += f.size() + 1;
  }
  const std::size_t old = out.size();
  out.reserve(old + authzid.size() + authcid.size() + passwd.size() + 2);
  out.append(authzid);
  out.push_back('\0');
  out.append(authcid);
  out.push_back('\0');
  out.append(passwd);
  // Validate what was built exactly as a server would parse it, so build -> parse round-trips.
  plain_result r = parse_plain(std::string_view(out).substr(old), limits);
  if (!r.ok()) {
    out.resize(old);
    r.message = {};
    return r;
  }
  r.message = {authzid, authcid, passwd};
  return r;
}

plain_result build_plain(const plain_message& m, std::string& out, const plain_limits& limits) {
  return build_plain(m.authzid, m.authcid, m.passwd, out, limits);
}

}  // namespace mailtls::codec::sasl
