// Recognising TLS alert records in bytes read on a connection that is not (or no longer) carrying
// TLS for the harness: `expect close allow-alert` (docs/scenario-format.md) accepts them before a
// close, e.g. the alert a server sends when cleartext reaches its TLS layer (RFC 8314 §3 implicit
// TLS probed with `EHLO`; a failed STARTTLS handshake, RFC 3207 §4.1). Std only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailtls::runner {

struct alert_scan {
  enum class status {
    alerts,     // only whole alert records (or nothing)
    partial,    // whole alert records, then the beginning of one
    not_alert,  // something that is not a TLS alert record
  };
  status st = status::alerts;
  std::vector<std::string> alerts;  // each record, e.g. "fatal protocol_version (70)"
};

// RFC 8446 §5.1 TLSPlaintext: content type 21 (alert), legacy version 0x03 0x00..0x04, a 2-byte
// length of 2..18432 (RFC 8446 §5.2 bound for protected records), then that many bytes.
alert_scan scan_tls_alerts(std::string_view bytes);

// RFC 8446 §6 / RFC 5246 §7.2 alert description name ("handshake_failure"), or "alert N".
std::string alert_name(int description);

}  // namespace mailtls::runner
