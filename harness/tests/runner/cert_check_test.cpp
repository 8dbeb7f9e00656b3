// The certificate checks behind `expect tls cert name|not-expired|strong-key`: RFC 6125 §6.4 /
// RFC 7817 §3 name matching (wildcards, CN fallback, IP literals), key strength (RFC 9325 §4.3)
// and the validity period.
#include "runner/cert_check.hpp"

#include <gtest/gtest.h>

namespace mailtls::runner {
namespace {

using names = std::vector<std::string>;

TEST(cert_check, exact_names_match_case_insensitively) {
  EXPECT_TRUE(dns_name_matches("mail.example.org", "mail.example.org"));
  EXPECT_TRUE(dns_name_matches("MAIL.Example.ORG", "mail.example.org"));
  EXPECT_TRUE(dns_name_matches("mail.example.org", "Mail.Example.Org"));
  EXPECT_FALSE(dns_name_matches("mail.example.org", "mail.example.com"));
  EXPECT_FALSE(dns_name_matches("mail.example.org", "example.org"));
  EXPECT_FALSE(dns_name_matches("example.org", "mail.example.org"));
  EXPECT_FALSE(dns_name_matches("mail.example.org", "xmail.example.org"));
  EXPECT_FALSE(dns_name_matches("mail.example.org", "mail.example.org.evil"));
  EXPECT_TRUE(dns_name_matches("localhost", "localhost"));
}

TEST(cert_check, one_trailing_dot_is_ignored_on_either_side) {
  EXPECT_TRUE(dns_name_matches("mail.example.org.", "mail.example.org"));
  EXPECT_TRUE(dns_name_matches("mail.example.org", "mail.example.org."));
  EXPECT_FALSE(dns_name_matches("mail.example.org..", "mail.example.org"));
  EXPECT_FALSE(dns_name_matches("mail.example.org", "mail.example.org.."));
}

TEST(cert_check, wildcard_is_one_whole_left_most_label) {
  EXPECT_TRUE(dns_name_matches("*.example.org", "a.example.org"));
  EXPECT_TRUE(dns_name_matches("*.example.org", "MX1.EXAMPLE.ORG"));
  EXPECT_TRUE(dns_name_matches("*.Example.Org", "mx-1.example.org"));
  EXPECT_TRUE(dns_name_matches("*.example.org.", "a.example.org"));
  // Exactly one label: not two, not none.
  EXPECT_FALSE(dns_name_matches("*.example.org", "a.b.example.org"));
  EXPECT_FALSE(dns_name_matches("*.example.org", "example.org"));
  EXPECT_FALSE(dns_name_matches("*.example.org", ".example.org"));
  EXPECT_FALSE(dns_name_matches("*.example.org", "a.example.com"));
}

TEST(cert_check, partial_and_misplaced_wildcards_match_nothing) {
  // RFC 7817 §3: only the complete left-most label.
  EXPECT_FALSE(dns_name_matches("f*.example.org", "foo.example.org"));
  EXPECT_FALSE(dns_name_matches("*oo.example.org", "foo.example.org"));
  EXPECT_FALSE(dns_name_matches("f*o.example.org", "foo.example.org"));
  EXPECT_FALSE(dns_name_matches("a.*.example.org", "a.b.example.org"));
  EXPECT_FALSE(dns_name_matches("*.*.example.org", "a.b.example.org"));
  EXPECT_FALSE(dns_name_matches("**.example.org", "a.example.org"));
  EXPECT_FALSE(dns_name_matches("example.*", "example.org"));
  EXPECT_FALSE(dns_name_matches("*", "localhost"));
  EXPECT_FALSE(dns_name_matches("*.", "org"));
  // A wildcard over a public suffix-like single label (RFC 6125 §7.2).
  EXPECT_FALSE(dns_name_matches("*.org", "example.org"));
  // The wildcard is in the presented name only: a reference with `*` is no host name.
  EXPECT_FALSE(dns_name_matches("*.example.org", "*.example.org"));
  EXPECT_FALSE(dns_name_matches("a.example.org", "*.example.org"));
}

TEST(cert_check, malformed_names_match_nothing) {
  // CVE-2009-2408: a NUL inside a dNSName must not end the comparison early.
  EXPECT_FALSE(
      dns_name_matches(std::string("mail.example.org\0.evil.test", 27), "mail.example.org"));
  EXPECT_FALSE(dns_name_matches("mail example.org", "mail example.org"));
  EXPECT_FALSE(dns_name_matches("mail..example.org", "mail..example.org"));
  EXPECT_FALSE(dns_name_matches(".example.org", ".example.org"));
  EXPECT_FALSE(dns_name_matches("", ""));
  EXPECT_FALSE(dns_name_matches("m\xC3\xA4il.example.org", "m\xC3\xA4il.example.org"));
  EXPECT_FALSE(dns_name_matches("mail_1.example.org", "mail_1.example.org"));
  const std::string long_label(64, 'a');
  EXPECT_FALSE(dns_name_matches(long_label + ".org", long_label + ".org"));
  // A-labels compare as ASCII.
  EXPECT_TRUE(dns_name_matches("xn--mil-sna.example.org", "XN--MIL-SNA.example.org"));
}

TEST(cert_check, ip_literals_parse_strictly) {
  const auto v4 = parse_ip_literal("192.0.2.1");
  ASSERT_TRUE(v4);
  EXPECT_EQ((*v4)[10], 0xFF);
  EXPECT_EQ((*v4)[12], 192);
  EXPECT_EQ((*v4)[15], 1);
  EXPECT_EQ(parse_ip_literal("::ffff:192.0.2.1"), v4);  // the same address
  EXPECT_EQ(parse_ip_literal("::1"), parse_ip_literal("0:0:0:0:0:0:0:1"));
  EXPECT_EQ(parse_ip_literal("[::1]"), parse_ip_literal("::1"));
  EXPECT_EQ(parse_ip_literal("2001:DB8::1"), parse_ip_literal("2001:db8:0:0:0:0:0:1"));
  EXPECT_EQ(parse_ip_literal("2001:db8::"), parse_ip_literal("2001:db8:0:0:0:0:0:0"));
  EXPECT_EQ(parse_ip_literal("::"), parse_ip_literal("0:0:0:0:0:0:0:0"));
  EXPECT_NE(parse_ip_literal("::1"), parse_ip_literal("::2"));
  for (const char* bad : {"",
                          "1.2.3",
                          "1.2.3.4.5",
                          "256.1.1.1",
                          "01.2.3.4",
                          "1.2.3.-4",
                          "1..2.3",
                          "a.b.c.d",
                          "1.2.3.4 ",
                          "[1.2.3.4]",
                          ":::",
                          "1:2:3:4:5:6:7:8:9",
                          "1::2::3",
                          ":1::",
                          "1:",
                          "12345::",
                          "g::1",
                          "::1%eth0",
                          "1:2:3:4:5:6:7::8",
                          "mail.example.org",
                          "invalid-ip-length-5"}) {
    EXPECT_FALSE(parse_ip_literal(bad)) << bad;
  }
}

TEST(cert_check, host_names_match_dns_sans) {
  const names dns = {"mx.example.org", "*.mail.example.org"};
  const names ips = {"192.0.2.7"};
  auto r = match_certificate_name("mx.example.org", dns, ips, "");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.reason, "DNS name mx.example.org");
  r = match_certificate_name("imap.mail.example.org", dns, ips, "");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.reason, "DNS name *.mail.example.org");
  r = match_certificate_name("a.b.mail.example.org", dns, ips, "");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason,
            "the certificate's DNS names mx.example.org, *.mail.example.org do not match "
            "a.b.mail.example.org");
}

TEST(cert_check, the_cn_counts_only_without_dns_sans) {
  // RFC 6125 §6.4.4: with a DNS SAN present the CN is not consulted.
  auto r =
      match_certificate_name("legacy.example.org", {"mx.example.org"}, {}, "legacy.example.org");
  EXPECT_FALSE(r.ok);
  // Without one it is (also with a wildcard), IP SANs notwithstanding.
  r = match_certificate_name("legacy.example.org", {}, {"127.0.0.1"}, "legacy.example.org");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.reason, "CN legacy.example.org (the certificate has no DNS names)");
  EXPECT_TRUE(match_certificate_name("a.example.org", {}, {}, "*.example.org").ok);
  r = match_certificate_name("b.example.org", {}, {}, "a.example.org");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason,
            "the certificate has no DNS names and its CN a.example.org does not match "
            "b.example.org");
  r = match_certificate_name("b.example.org", {}, {}, "");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason,
            "the certificate has no DNS name (subjectAltName) and no CN for b.example.org");
}

TEST(cert_check, ip_literals_match_ip_sans_only) {
  const names ips = {"127.0.0.1", "0:0:0:0:0:0:0:1"};  // as session_info writes them
  EXPECT_TRUE(match_certificate_name("127.0.0.1", {}, ips, "").ok);
  EXPECT_TRUE(match_certificate_name("::1", {}, ips, "").ok);
  EXPECT_TRUE(match_certificate_name("[::1]", {}, ips, "").ok);
  auto r = match_certificate_name("127.0.0.2", {}, ips, "");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason,
            "the certificate's IP addresses 127.0.0.1, 0:0:0:0:0:0:0:1 do not include 127.0.0.2");
  // Never against DNS names or the CN, even when they are written like the address.
  r = match_certificate_name("192.0.2.1", {"192.0.2.1"}, {}, "192.0.2.1");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "the certificate has no IP address (subjectAltName iPAddress) for 192.0.2.1");
  // A wildcard never stands for an address label.
  EXPECT_FALSE(match_certificate_name("192.0.2.1", {"*.0.2.1"}, {}, "").ok);
}

TEST(cert_check, a_reference_that_is_no_host_name_matches_nothing) {
  auto r = match_certificate_name("", {"mx.example.org"}, {}, "");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "'' is neither a host name nor an IP address");
  r = match_certificate_name(std::string("mx\0.example.org", 15), {"mx.example.org"}, {}, "");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "'mx\\x00.example.org' is neither a host name nor an IP address");
  EXPECT_FALSE(match_certificate_name("*.example.org", {"*.example.org"}, {}, "").ok);
}

TEST(cert_check, presented_names_are_shown_escaped) {
  const auto r = match_certificate_name("mx.example.org",
                                        {std::string("mx.example.org\0.evil.test", 25)}, {}, "");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(
      r.reason,
      "the certificate's DNS names mx.example.org\\x00.evil.test do not match mx.example.org");
}

TEST(cert_check, key_strength_follows_rfc_9325) {
  EXPECT_TRUE(check_key_strength("RSA", 2048).ok);
  EXPECT_TRUE(check_key_strength("RSA", 4096).ok);
  EXPECT_TRUE(check_key_strength("DSA", 2048).ok);
  EXPECT_TRUE(check_key_strength("EC", 256).ok);
  EXPECT_TRUE(check_key_strength("EC", 384).ok);
  EXPECT_TRUE(check_key_strength("Ed25519", 253).ok);
  EXPECT_TRUE(check_key_strength("Ed448", 456).ok);
  EXPECT_EQ(check_key_strength("EC", 256).reason, "EC, 256 bits");
  auto r = check_key_strength("RSA", 1024);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "the certificate's key is RSA, 1024 bits (at least 2048 needed)");
  EXPECT_FALSE(check_key_strength("RSA", 2047).ok);
  EXPECT_FALSE(check_key_strength("DSA", 1024).ok);
  r = check_key_strength("EC", 224);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "the certificate's key is EC, 224 bits (at least 256 needed)");
  r = check_key_strength("unknown", 4096);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason,
            "the certificate's key is unknown, 4096 bits (not RSA, DSA, EC, Ed25519 or Ed448)");
  EXPECT_FALSE(check_key_strength("", 0).ok);
}

TEST(cert_check, validity_period_is_inclusive) {
  // 2024-01-01 00:00:00 .. 2025-01-01 00:00:00 UTC
  const std::int64_t from = 1704067200, to = 1735689600;
  EXPECT_TRUE(check_validity(from, to, from).ok);
  EXPECT_TRUE(check_validity(from, to, to).ok);
  EXPECT_EQ(check_validity(from, to, from + 1).reason, "valid until 2025-01-01 00:00:00 UTC");
  auto r = check_validity(from, to, to + 1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason,
            "the certificate expired at 2025-01-01 00:00:00 UTC (checked at 2025-01-01 00:00:01 "
            "UTC)");
  r = check_validity(from, to, from - 3600);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason,
            "the certificate is not valid before 2024-01-01 00:00:00 UTC (checked at 2023-12-31 "
            "23:00:00 UTC)");
}

TEST(cert_check, utc_time_text_is_a_civil_date) {
  EXPECT_EQ(utc_time_text(0), "1970-01-01 00:00:00 UTC");
  EXPECT_EQ(utc_time_text(951782400), "2000-02-29 00:00:00 UTC");  // a leap day
  EXPECT_EQ(utc_time_text(4102444799), "2099-12-31 23:59:59 UTC");
  EXPECT_EQ(utc_time_text(-1), "1969-12-31 23:59:59 UTC");
  EXPECT_EQ(utc_time_text(253402300799), "9999-12-31 23:59:59 UTC");  // GeneralizedTime's end
}

}  // namespace
}  // namespace mailtls::runner
