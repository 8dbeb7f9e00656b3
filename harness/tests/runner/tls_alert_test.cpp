// Recognising TLS alert records (RFC 8446 §5.1, §6) for `expect close allow-alert`.
#include "runner/tls_alert.hpp"

#include <gtest/gtest.h>

namespace mailtls::runner {
namespace {

using status = alert_scan::status;

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (const int c : b)
    s.push_back(static_cast<char>(c));
  return s;
}

TEST(tls_alert, nothing_is_no_alert_and_fine) {
  const auto r = scan_tls_alerts("");
  EXPECT_EQ(r.st, status::alerts);
  EXPECT_TRUE(r.alerts.empty());
}

TEST(tls_alert, whole_alert_records_are_named) {
  // fatal protocol_version in a TLS 1.0 record (what a server sends to a hello it cannot speak),
  // then fatal handshake_failure in a TLS 1.2 record.
  const auto r = scan_tls_alerts(bytes({21, 3, 1, 0, 2, 2, 70, 21, 3, 3, 0, 2, 2, 40}));
  EXPECT_EQ(r.st, status::alerts);
  EXPECT_EQ(r.alerts, (std::vector<std::string>{"fatal protocol_version (70)",
                                                "fatal handshake_failure (40)"}));
  EXPECT_EQ(scan_tls_alerts(bytes({21, 3, 3, 0, 2, 1, 0})).alerts,
            (std::vector<std::string>{"warning close_notify (0)"}));
  EXPECT_EQ(scan_tls_alerts(bytes({21, 3, 3, 0, 2, 2, 120})).alerts,
            (std::vector<std::string>{"fatal no_application_protocol (120)"}));
  EXPECT_EQ(scan_tls_alerts(bytes({21, 3, 0, 0, 2, 7, 199})).alerts,
            (std::vector<std::string>{"level 7 alert 199 (199)"}));
}

TEST(tls_alert, longer_alert_records_count_as_protected_alerts) {
  std::string rec = bytes({21, 3, 3, 0, 26});
  rec.append(26, 'x');
  const auto r = scan_tls_alerts(rec);
  EXPECT_EQ(r.st, status::alerts);
  EXPECT_EQ(r.alerts, (std::vector<std::string>{"protected alert record of 26 bytes"}));
}

TEST(tls_alert, a_record_cut_short_is_partial) {
  for (const auto& b : {bytes({21}), bytes({21, 3}), bytes({21, 3, 3}), bytes({21, 3, 3, 0}),
                        bytes({21, 3, 3, 0, 2}), bytes({21, 3, 3, 0, 2, 2})}) {
    EXPECT_EQ(scan_tls_alerts(b).st, status::partial) << b.size();
  }
  const auto r = scan_tls_alerts(bytes({21, 3, 3, 0, 2, 2, 70, 21, 3}));
  EXPECT_EQ(r.st, status::partial);
  EXPECT_EQ(r.alerts.size(), 1u);
}

TEST(tls_alert, anything_else_is_not_an_alert) {
  EXPECT_EQ(scan_tls_alerts("220 mx ESMTP\r\n").st, status::not_alert);
  EXPECT_EQ(scan_tls_alerts("-ERR").st, status::not_alert);
  EXPECT_EQ(scan_tls_alerts("* OK").st, status::not_alert);
  EXPECT_EQ(scan_tls_alerts(bytes({22, 3, 3, 0, 2, 2, 70})).st, status::not_alert);  // handshake
  EXPECT_EQ(scan_tls_alerts(bytes({23, 3, 3, 0, 2, 2, 70})).st, status::not_alert);  // app data
  EXPECT_EQ(scan_tls_alerts(bytes({21, 2})).st, status::not_alert);                  // SSL 2 ver
  EXPECT_EQ(scan_tls_alerts(bytes({21, 3, 5})).st, status::not_alert);
  EXPECT_EQ(scan_tls_alerts(bytes({21, 3, 3, 0, 1, 2})).st, status::not_alert);     // too short
  EXPECT_EQ(scan_tls_alerts(bytes({21, 3, 3, 0x48, 0x01})).st, status::not_alert);  // too long
  // An alert, then protocol text.
  const auto r = scan_tls_alerts(bytes({21, 3, 3, 0, 2, 2, 70, '2', '2', '0'}));
  EXPECT_EQ(r.st, status::not_alert);
}

TEST(tls_alert, names_of_descriptions) {
  EXPECT_EQ(alert_name(0), "close_notify");
  EXPECT_EQ(alert_name(10), "unexpected_message");
  EXPECT_EQ(alert_name(40), "handshake_failure");
  EXPECT_EQ(alert_name(70), "protocol_version");
  EXPECT_EQ(alert_name(71), "insufficient_security");
  EXPECT_EQ(alert_name(120), "no_application_protocol");
  EXPECT_EQ(alert_name(255), "alert 255");
}

}  // namespace
}  // namespace mailtls::runner
