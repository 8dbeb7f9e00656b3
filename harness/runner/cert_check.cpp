#include "runner/cert_check.hpp"

#include <cstdio>

namespace mailtls::runner {
namespace {

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_nocase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_ldh(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

std::string_view without_final_dot(std::string_view s) noexcept {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

// Letters, digits and hyphens in non-empty labels of at most 63 bytes, separated by single dots.
bool is_host_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > 253) return false;
  std::size_t label = 0;
  for (const char c : s) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!is_ldh(c) || ++label > 63) return false;
  }
  return label > 0;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    // Shown as ASCII: a NUL or other control byte in a presented name (CVE-2009-2408) as \xHH.
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7F) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02X", u);
        out += buf;
      } else {
        out.push_back(c);
      }
    }
  }
  return out;
}

std::optional<std::uint8_t> parse_octet(std::string_view s) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  unsigned v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 255) return std::nullopt;
  return static_cast<std::uint8_t>(v);
}

bool parse_ipv4(std::string_view s, std::uint8_t* out) {
  for (int i = 0; i < 4; ++i) {
    const auto dot = s.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return false;
    const auto o = parse_octet(s.substr(0, dot));
    if (!o) return false;
    out[i] = *o;
    s.remove_prefix(i < 3 ? dot + 1 : s.size());
  }
  return true;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 4291 §2.2: eight groups of 1-4 hex digits; one `::` for a run of zero groups; the last two
// groups may be written as a dotted quad.
bool parse_ipv6(std::string_view s, std::array<std::uint8_t, 16>& out) {
  std::array<std::uint8_t, 16> head{}, tail{};
  std::size_t nhead = 0, ntail = 0;
  bool compressed = false;
  if (s.starts_with("::")) {
    compressed = true;
    s.remove_prefix(2);
  } else if (s.starts_with(":")) {
    return false;
  }
  while (!s.empty()) {
    auto& bytes = compressed ? tail : head;
    auto& n = compressed ? ntail : nhead;
    const auto colon = s.find(':');
    const auto group = s.substr(0, colon);
    if (group.find('.') != std::string_view::npos) {
      // A dotted quad ends the address.
      if (colon != std::string_view::npos || n + 4 > 16) return false;
      if (!parse_ipv4(group, bytes.data() + n)) return false;
      n += 4;
      s = {};
      break;
    }
    if (group.empty() || group.size() > 4 || n + 2 > 16) return false;
    unsigned v = 0;
    for (const char c : group) {
      const int h = hex_value(c);
      if (h < 0) return false;
      v = v * 16 + static_cast<unsigned>(h);
    }
    bytes[n++] = static_cast<std::uint8_t>(v >> 8);
    bytes[n++] = static_cast<std::uint8_t>(v & 0xFF);
    if (colon == std::string_view::npos) {
      s = {};
      break;
    }
    s.remove_prefix(colon + 1);
    if (s.starts_with(":")) {
      if (compressed) return false;  // a second `::`
      compressed = true;
      s.remove_prefix(1);
    } else if (s.empty()) {
      return false;  // a trailing single `:`
    }
  }
  if (compressed ? nhead + ntail > 14 : nhead != 16) return false;
  out = {};
  for (std::size_t i = 0; i < nhead; ++i)
    out[i] = head[i];
  for (std::size_t i = 0; i < ntail; ++i)
    out[16 - ntail + i] = tail[i];
  return true;
}

}  // namespace

bool dns_name_matches(std::string_view presented, std::string_view reference) {
  presented = without_final_dot(presented);
  reference = without_final_dot(reference);
  if (!is_host_name(reference)) return false;
  if (presented.starts_with("*.")) {
    // RFC 7817 §3 / RFC 6125 §6.4.3: the wildcard is the whole left-most label and stands for
    // exactly one label; at least two labels must follow it (RFC 6125 §7.2: no `*.org`).
    const auto rest = presented.substr(2);
    if (!is_host_name(rest) || rest.find('.') == std::string_view::npos) return false;
    const auto dot = reference.find('.');
    if (dot == std::string_view::npos) return false;
    return equal_nocase(rest, reference.substr(dot + 1));
  }
  return is_host_name(presented) && equal_nocase(presented, reference);
}

std::optional<std::array<std::uint8_t, 16>> parse_ip_literal(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
    if (text.find(':') == std::string_view::npos) return std::nullopt;  // `[1.2.3.4]`
  }
  std::array<std::uint8_t, 16> out{};
  if (text.find(':') != std::string_view::npos) {
    if (!parse_ipv6(text, out)) return std::nullopt;
    return out;
  }
  out[10] = 0xFF;
  out[11] = 0xFF;
  if (!parse_ipv4(text, out.data() + 12)) return std::nullopt;
  return out;
}

check_outcome match_certificate_name(std::string_view reference,
                                     const std::vector<std::string>& dns_names,
                                     const std::vector<std::string>& ip_addresses,
                                     std::string_view subject_cn) {
  const std::string ref(reference);
  if (const auto ip = parse_ip_literal(reference)) {
    for (const auto& presented : ip_addresses) {
      if (parse_ip_literal(presented) == ip) return {true, "IP address " + presented};
    }
    if (ip_addresses.empty()) {
      return {false, "the certificate has no IP address (subjectAltName iPAddress) for " + ref};
    }
    return {false,
            "the certificate's IP addresses " + joined(ip_addresses) + " do not include " + ref};
  }
  if (!is_host_name(without_final_dot(reference))) {
    return {false, "'" + joined({ref}) + "' is neither a host name nor an IP address"};
  }
  if (!dns_names.empty()) {
    for (const auto& presented : dns_names) {
      if (dns_name_matches(presented, reference)) return {true, "DNS name " + presented};
    }
    return {false, "the certificate's DNS names " + joined(dns_names) + " do not match " + ref};
  }
  // RFC 6125 §6.4.4: the CN only when there is no DNS-ID at all.
  if (subject_cn.empty()) {
    return {false, "the certificate has no DNS name (subjectAltName) and no CN for " + ref};
  }
  if (dns_name_matches(subject_cn, reference)) {
    return {true, "CN " + std::string(subject_cn) + " (the certificate has no DNS names)"};
  }
  return {false, "the certificate has no DNS names and its CN " +
                     joined({std::string(subject_cn)}) + " does not match " + ref};
}

check_outcome check_key_strength(std::string_view key_type, int bits) {
  const std::string what = (key_type.empty() ? std::string("unknown") : std::string(key_type)) +
                           ", " + std::to_string(bits) + " bits";
  if (key_type == "Ed25519" || key_type == "Ed448") return {true, what};
  int need = 0;
  if (key_type == "RSA" || key_type == "DSA") {
    need = 2048;
  } else if (key_type == "EC") {
    need = 256;
  } else {
    return {false, "the certificate's key is " + what + " (not RSA, DSA, EC, Ed25519 or Ed448)"};
  }
  if (bits >= need) return {true, what};
  return {false,
          "the certificate's key is " + what + " (at least " + std::to_string(need) + " needed)"};
}

check_outcome check_validity(std::int64_t not_before, std::int64_t not_after,
                             std::int64_t checked_at) {
  if (checked_at < not_before) {
    return {false, "the certificate is not valid before " + utc_time_text(not_before) +
                       " (checked at " + utc_time_text(checked_at) + ")"};
  }
  if (checked_at > not_after) {
    return {false, "the certificate expired at " + utc_time_text(not_after) + " (checked at " +
                       utc_time_text(checked_at) + ")"};
  }
  return {true, "valid until " + utc_time_text(not_after)};
}

std::string utc_time_text(std::int64_t t) {
  // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), floor division for t < 0.
  std::int64_t days = t / 86400;
  std::int64_t secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld UTC",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

}  // namespace mailtls::runner
