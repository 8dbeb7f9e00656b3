#include "runner/tls_alert.hpp"

namespace mailtls::runner {

std::string alert_name(int d) {
  switch (d) {
    case 0:
      return "close_notify";
    case 10:
      return "unexpected_message";
    case 20:
      return "bad_record_mac";
    case 21:
      return "decryption_failed";
    case 22:
      return "record_overflow";
    case 40:
      return "handshake_failure";
    case 42:
      return "bad_certificate";
    case 43:
      return "unsupported_certificate";
    case 44:
      return "certificate_revoked";
    case 45:
      return "certificate_expired";
    case 46:
      return "certificate_unknown";
    case 47:
      return "illegal_parameter";
    case 48:
      return "unknown_ca";
    case 49:
      return "access_denied";
    case 50:
      return "decode_error";
    case 51:
      return "decrypt_error";
    case 70:
      return "protocol_version";
    case 71:
      return "insufficient_security";
    case 80:
      return "internal_error";
    case 86:
      return "inappropriate_fallback";
    case 90:
      return "user_canceled";
    case 109:
      return "missing_extension";
    case 110:
      return "unsupported_extension";
    case 112:
      return "unrecognized_name";
    case 113:
      return "bad_certificate_status_response";
    case 115:
      return "unknown_psk_identity";
    case 116:
      return "certificate_required";
    case 120:
      return "no_application_protocol";
    default:
      return "alert " + std::to_string(d);
  }
}

alert_scan scan_tls_alerts(std::string_view bytes) {
  constexpr std::size_t max_length = 16384 + 2048;
  alert_scan r;
  while (!bytes.empty()) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    // The header, as far as it arrived.
    if (b(0) != 21 || (bytes.size() > 1 && b(1) != 3) || (bytes.size() > 2 && b(2) > 4)) {
      r.st = alert_scan::status::not_alert;
      return r;
    }
    if (bytes.size() < 5) {
      r.st = alert_scan::status::partial;
      return r;
    }
    const std::size_t length = (std::size_t{b(3)} << 8) | b(4);
    if (length < 2 || length > max_length) {
      r.st = alert_scan::status::not_alert;
      return r;
    }
    if (bytes.size() < 5 + length) {
      r.st = alert_scan::status::partial;
      return r;
    }
    if (length == 2) {
      // RFC 8446 §6: level 1 warning, 2 fatal; then the description.
      const std::string level = b(5) == 2   ? "fatal"
                                : b(5) == 1 ? "warning"
                                            : "level " + std::to_string(b(5));
      r.alerts.push_back(level + " " + alert_name(b(6)) + " (" + std::to_string(b(6)) + ")");
    } else {
      r.alerts.push_back("protected alert record of " + std::to_string(length) + " bytes");
    }
    bytes.remove_prefix(5 + length);
  }
  r.st = alert_scan::status::alerts;
  return r;
}

}  // namespace mailtls::runner
