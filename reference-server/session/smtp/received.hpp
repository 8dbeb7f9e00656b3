// The trace header the SMTP server prepends to every message it accepts (RFC 5321 §4.4), and the
// RFC 5322 §3.3 date it carries. Pure functions: the time comes from backend::now().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mailtls::server::smtp {

struct received_info {
  std::string_view helo;          // EHLO/HELO argument (Domain or address-literal)
  std::string_view peer_address;  // "192.0.2.1", "2001:db8::1"; empty when unknown
  std::string_view host_name;     // this server
  std::string_view protocol;      // with_protocol(): "ESMTPSA", ...
  std::string_view tls_version;   // "TLSv1.3"; empty when not known or no TLS
  std::string_view tls_cipher;    // empty when not known
  std::string_view for_address;   // the single recipient, or empty (not disclosed)
  std::int64_t now = 0;           // unix seconds
};

// RFC 3848 WITH protocol types: SMTP (HELO), ESMTP (EHLO), + "S" with TLS, + "A" with AUTH.
std::string_view with_protocol(bool ehlo, bool tls, bool authenticated) noexcept;

// "Tue, 14 Nov 2023 22:13:20 +0000" (RFC 5322 §3.3, UTC).
void append_rfc5322_date(std::int64_t unix_seconds, std::string& out);

// Appends the folded header, CRLF included:
//   Received: from client.example ([192.0.2.1])
//   	by mx.example (mailtls) with ESMTPS (using TLSv1.3 with cipher X)
//   	for <alice@example.org>; Tue, 14 Nov 2023 22:13:20 +0000
// (RFC 5321 §4.4 Time-stamp-line: From-domain By-domain Opt-info ";" date-time; the TCP-info of
// an IPv6 peer is written "[IPv6:...]" as an address-literal, §4.1.3.)
void append_received(const received_info& info, std::string& out);

}  // namespace mailtls::server::smtp
