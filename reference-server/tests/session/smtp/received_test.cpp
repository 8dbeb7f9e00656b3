#include "session/smtp/received.hpp"

#include <gtest/gtest.h>

namespace mailtls::server::smtp {
namespace {

std::string date(std::int64_t t) {
  std::string out;
  append_rfc5322_date(t, out);
  return out;
}

TEST(received, rfc5322_dates) {
  EXPECT_EQ(date(0), "Thu, 1 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(date(1'700'000'000), "Tue, 14 Nov 2023 22:13:20 +0000");
  EXPECT_EQ(date(951'782'400), "Tue, 29 Feb 2000 00:00:00 +0000");    // leap day, 400-year rule
  EXPECT_EQ(date(4'107'542'399), "Sun, 28 Feb 2100 23:59:59 +0000");  // 2100 is not leap
  EXPECT_EQ(date(4'107'542'400), "Mon, 1 Mar 2100 00:00:00 +0000");
  EXPECT_EQ(date(-1), "Wed, 31 Dec 1969 23:59:59 +0000");
  EXPECT_EQ(date(1'709'164'800), "Thu, 29 Feb 2024 00:00:00 +0000");
}

TEST(received, with_protocol_rfc3848) {
  EXPECT_EQ(with_protocol(false, false, false), "SMTP");
  EXPECT_EQ(with_protocol(false, true, true), "SMTP");
  EXPECT_EQ(with_protocol(true, false, false), "ESMTP");
  EXPECT_EQ(with_protocol(true, false, true), "ESMTPA");
  EXPECT_EQ(with_protocol(true, true, false), "ESMTPS");
  EXPECT_EQ(with_protocol(true, true, true), "ESMTPSA");
}

TEST(received, header_with_tls_and_one_recipient) {
  received_info ri;
  ri.helo = "client.example";
  ri.peer_address = "192.0.2.7";
  ri.host_name = "mx.example.org";
  ri.protocol = "ESMTPS";
  ri.tls_version = "TLSv1.3";
  ri.tls_cipher = "TLS_AES_128_GCM_SHA256";
  ri.for_address = "alice@example.org";
  ri.now = 1'700'000'000;
  std::string out;
  append_received(ri, out);
  EXPECT_EQ(out,
            "Received: from client.example ([192.0.2.7])\r\n"
            "\tby mx.example.org (mailtls) with ESMTPS (using TLSv1.3 with cipher "
            "TLS_AES_128_GCM_SHA256)\r\n"
            "\tfor <alice@example.org>; Tue, 14 Nov 2023 22:13:20 +0000\r\n");
}

TEST(received, header_ipv6_peer_no_tls_several_recipients) {
  received_info ri;
  ri.helo = "[IPv6:2001:db8::1]";
  ri.peer_address = "2001:db8::1";
  ri.host_name = "mx";
  ri.protocol = "SMTP";
  ri.now = 0;
  std::string out = "X";
  append_received(ri, out);
  EXPECT_EQ(out,
            "XReceived: from [IPv6:2001:db8::1] ([IPv6:2001:db8::1])\r\n"
            "\tby mx (mailtls) with SMTP;\r\n"
            "\tThu, 1 Jan 1970 00:00:00 +0000\r\n");
}

TEST(received, header_unknown_peer_and_version_only) {
  received_info ri;
  ri.helo = "c";
  ri.host_name = "mx";
  ri.protocol = "ESMTPSA";
  ri.tls_version = "TLSv1.2";
  std::string out;
  append_received(ri, out);
  EXPECT_EQ(out,
            "Received: from c\r\n\tby mx (mailtls) with ESMTPSA (using TLSv1.2);\r\n"
            "\tThu, 1 Jan 1970 00:00:00 +0000\r\n");
}

}  // namespace
}  // namespace mailtls::server::smtp
