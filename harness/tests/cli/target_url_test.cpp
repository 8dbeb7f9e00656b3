#include "cli/target_url.hpp"

#include <gtest/gtest.h>

namespace mailtls::cli {
namespace {

target_url parse_ok(std::string_view url) {
  std::string error;
  const auto t = parse_target_url(url, error);
  EXPECT_TRUE(t.has_value()) << url << ": " << error;
  return t.value_or(target_url{});
}

std::string parse_error(std::string_view url) {
  std::string error;
  EXPECT_FALSE(parse_target_url(url, error).has_value()) << url;
  return error;
}

TEST(target_url, default_ports_are_the_standard_ones) {
  EXPECT_EQ(parse_ok("smtp://mx.example.org").port, 25);
  EXPECT_EQ(parse_ok("submission://mx.example.org").port, 587);
  EXPECT_EQ(parse_ok("submissions://mx.example.org").port, 465);
  EXPECT_EQ(parse_ok("pop3://mx.example.org").port, 110);
  EXPECT_EQ(parse_ok("pop3s://mx.example.org").port, 995);
  EXPECT_EQ(parse_ok("imap://mx.example.org").port, 143);
  EXPECT_EQ(parse_ok("imaps://mx.example.org/").port, 993);
}

TEST(target_url, host_port_and_canonical_text) {
  const auto t = parse_ok("submission://mail.example.org:2587");
  EXPECT_EQ(t.svc, runner::service::submission);
  EXPECT_EQ(t.host, "mail.example.org");
  EXPECT_EQ(t.port, 2587);
  EXPECT_EQ(t.text(), "submission://mail.example.org:2587");
  EXPECT_EQ(parse_ok("imap://127.0.0.1").text(), "imap://127.0.0.1:143");
}

TEST(target_url, ipv6_in_brackets) {
  const auto t = parse_ok("imaps://[::1]:9993");
  EXPECT_EQ(t.host, "::1");
  EXPECT_EQ(t.port, 9993);
  EXPECT_EQ(t.text(), "imaps://[::1]:9993");
  EXPECT_EQ(parse_ok("pop3://[::1]").port, 110);
}

TEST(target_url, errors_say_what_was_expected) {
  EXPECT_EQ(parse_error("mail.example.org"),
            "expected SERVICE://HOST[:PORT], got 'mail.example.org'");
  EXPECT_EQ(parse_error("http://x"),
            "unknown service 'http' (expected smtp, submission, submissions, pop3, pop3s, imap or "
            "imaps)");
  EXPECT_EQ(parse_error("smtp://x:0"), "expected a port 1-65535, got '0'");
  EXPECT_EQ(parse_error("smtp://x:65536"), "expected a port 1-65535, got '65536'");
  EXPECT_EQ(parse_error("smtp://x:25a"), "expected a port 1-65535, got '25a'");
  EXPECT_EQ(parse_error("smtp://x:"), "expected a port after ':' in 'smtp://x:'");
  EXPECT_EQ(parse_error("smtp://"), "expected a host in 'smtp://'");
  EXPECT_EQ(parse_error("smtp://::1"), "an IPv6 address must be in brackets: smtp://[::1]");
  EXPECT_EQ(parse_error("smtp://[::1"), "expected ']' closing the IPv6 address in 'smtp://[::1'");
  EXPECT_EQ(parse_error("smtp://user@x"), "expected only HOST[:PORT] after smtp://, got 'user@x'");
  EXPECT_EQ(parse_error("smtp://x y"), "invalid character in host 'x y'");
}

}  // namespace
}  // namespace mailtls::cli
