#include "session/smtp/received.hpp"

#include <array>
#include <cstdio>

namespace mailtls::server::smtp {
namespace {

struct civil_date {
  std::int64_t year;
  unsigned month;  // 1-12
  unsigned day;    // 1-31
};

// Days since 1970-01-01 to a proleptic Gregorian date (the 400-year era method).
civil_date civil_from_days(std::int64_t days) {
  days += 719468;  // shift the epoch to 0000-03-01
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<std::uint64_t>(days - era * 146097);                 // [0, 146096]
  const std::uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::uint64_t mp = (5 * doy + 2) / 153;  // [0, 11], March = 0
  const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

constexpr std::array<const char*, 7> weekdays{"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

std::string_view with_protocol(bool ehlo, bool tls, bool authenticated) noexcept {
  // RFC 3848 §2 (ESMTPA, ESMTPS, ESMTPSA); RFC 5321 §4.4 (SMTP, ESMTP).
  if (!ehlo) return "SMTP";
  if (tls) return authenticated ? "ESMTPSA" : "ESMTPS";
  return authenticated ? "ESMTPA" : "ESMTP";
}

void append_rfc5322_date(std::int64_t unix_seconds, std::string& out) {
  std::int64_t days = unix_seconds / 86400;
  std::int64_t secs = unix_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const civil_date d = civil_from_days(days);
  const auto wd = static_cast<std::size_t>(((days % 7) + 7) % 7);  // 1970-01-01 was a Thursday
  // RFC 5322 §3.3: day-name "," day month year hour ":" minute ":" second zone. Years before
  // 1900 are obsolete syntax; the clock of a running server never gives one.
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%s, %u %s %lld %02d:%02d:%02d +0000", weekdays[wd],
                              d.day, months[d.month - 1], static_cast<long long>(d.year),
                              static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                              static_cast<int>(secs % 60));
  if (n > 0)
    out.append(buf, static_cast<std::size_t>(n) < sizeof buf ? static_cast<std::size_t>(n)
                                                             : sizeof buf - 1);
}

void append_received(const received_info& info, std::string& out) {
  out += "Received: from ";
  out += info.helo;
  if (!info.peer_address.empty()) {
    // TCP-info = address-literal (RFC 5321 §4.4, §4.1.3).
    out += info.peer_address.find(':') != std::string_view::npos ? " ([IPv6:" : " ([";
    out += info.peer_address;
    out += "])";
  }
  out += "\r\n\tby ";
  out += info.host_name;
  out += " (mailtls) with ";
  out += info.protocol;
  if (!info.tls_version.empty()) {
    out += " (using ";
    out += info.tls_version;
    if (!info.tls_cipher.empty()) {
      out += " with cipher ";
      out += info.tls_cipher;
    }
    out += ')';
  }
  if (!info.for_address.empty()) {
    out += "\r\n\tfor <";
    out += info.for_address;
    out += ">; ";
  } else {
    out += ";\r\n\t";
  }
  append_rfc5322_date(info.now, out);
  out += "\r\n";
}

}  // namespace mailtls::server::smtp
