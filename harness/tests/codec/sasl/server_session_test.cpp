#include "codec/sasl/server_session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/sasl/base64.hpp"
#include "session_driver.hpp"
#include "support/split_feed.hpp"

namespace mailtls::codec::sasl {
namespace {

using strings = std::vector<std::string>;

// The start() action followed by the action for every CRLF line of `client`, checked to be the
// same however the client's bytes are cut.
strings run(const std::string& mech, std::optional<std::string> ir, std::string_view client,
            server_options opts = {}, redaction r = redaction::on) {
  strings out{test::server_driver(mech, ir, opts, r).first()};
  if (client.empty()) return out;
  const auto t = mailtls::test::expect_split_invariant(
      client, [&] { return test::server_driver(mech, ir, opts, r); },
      [](const test::server_driver& d) { return d.last(); }, {.continue_after_error = true});
  out.insert(out.end(), t.begin(), t.end());
  return out;
}

TEST(server_session, plain_without_initial_response) {
  // RFC 4616 §4, first example.
  EXPECT_EQ(run("PLAIN", std::nullopt, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n"),
            (strings{R"(send_challenge "")",
                     R"(authenticate authzid="" authcid="tim" passwd=<redacted>)"}));
}

TEST(server_session, plain_with_initial_response) {
  // RFC 4954 §4 / RFC 4959: AUTH PLAIN <b64> on the command line.
  EXPECT_EQ(run("PLAIN", "VXJzZWwAS3VydAB4aXBqM3BsbXE=", ""),
            (strings{R"(authenticate authzid="Ursel" authcid="Kurt" passwd=<redacted>)"}));
}

TEST(server_session, authenticate_carries_the_credentials) {
  server_session s(mechanism::plain);
  EXPECT_EQ(s.start(), server_action{send_challenge{""}});
  EXPECT_FALSE(s.finished());
  const auto a = s.on_client_line("AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
  EXPECT_EQ(a, server_action(authenticate{"", "tim", "tanstaaftanstaaf"}));
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(to_string(a, redaction::off),
            R"(authenticate authzid="" authcid="tim" passwd="tanstaaftanstaaf")");
}

TEST(server_session, empty_initial_response_is_an_empty_plain_message) {
  EXPECT_EQ(run("PLAIN", "=", ""), (strings{"fail malformed_message (missing_separator @0)"}));
}

TEST(server_session, login_exchange) {
  EXPECT_EQ(run("LOGIN", std::nullopt, "dGlt\r\ndGFuc3RhYWZ0YW5zdGFhZg==\r\n"),
            (strings{R"(send_challenge "VXNlcm5hbWU6")", R"(send_challenge "UGFzc3dvcmQ6")",
                     R"(authenticate authzid="" authcid="tim" passwd=<redacted>)"}));
}

TEST(server_session, login_with_legacy_initial_response) {
  // SMTP "AUTH LOGIN dGlt": the user name comes with the command, only the password is prompted.
  EXPECT_EQ(run("LOGIN", "dGlt", "dGFuc3RhYWZ0YW5zdGFhZg==\r\n"),
            (strings{R"(send_challenge "UGFzc3dvcmQ6")",
                     R"(authenticate authzid="" authcid="tim" passwd=<redacted>)"}));
  EXPECT_EQ(run("LOGIN", "dGlt", "", {.allow_login_initial_response = false}),
            (strings{"fail unexpected_line"}));
  EXPECT_EQ(run("LOGIN", "=", ""), (strings{"fail malformed_message (empty_authcid @0)"}));
}

TEST(server_session, mechanism_names) {
  EXPECT_EQ(run("plain", std::nullopt, ""), (strings{R"(send_challenge "")"}));
  EXPECT_EQ(run("Login", std::nullopt, ""), (strings{R"(send_challenge "VXNlcm5hbWU6")"}));
  EXPECT_EQ(run("CRAM-MD5", std::nullopt, ""), (strings{"fail unsupported_mechanism"}));
  EXPECT_EQ(run("PLAINX", "AHUAcA==", ""), (strings{"fail unsupported_mechanism"}));
  EXPECT_EQ(run("", std::nullopt, ""), (strings{"fail unsupported_mechanism"}));
}

TEST(server_session, cancel_with_a_star) {
  // RFC 4954 §4: "*" cancels; the protocol answers 501.
  EXPECT_EQ(run("PLAIN", std::nullopt, "*\r\n"),
            (strings{R"(send_challenge "")", "fail cancelled"}));
  EXPECT_EQ(run("LOGIN", std::nullopt, "dGlt\r\n*\r\n"),
            (strings{R"(send_challenge "VXNlcm5hbWU6")", R"(send_challenge "UGFzc3dvcmQ6")",
                     "fail cancelled"}));
  // "*" as an initial response is not a cancellation, only bad base64.
  EXPECT_EQ(run("PLAIN", "*", ""), (strings{"fail bad_base64 (invalid_base64_char @0)"}));
  EXPECT_EQ(run("PLAIN", std::nullopt, "**\r\n"),
            (strings{R"(send_challenge "")", "fail bad_base64 (invalid_base64_char @0)"}));
}

TEST(server_session, bad_base64_names_the_defect) {
  EXPECT_EQ(run("PLAIN", std::nullopt, "AHRpbQB0YW5zdGFhZnRhbnN0YWF\r\n"),
            (strings{R"(send_challenge "")", "fail bad_base64 (bad_base64_length @27)"}));
  EXPECT_EQ(run("PLAIN", std::nullopt, "AHVzZXIAcGFzcw== \r\n"),
            (strings{R"(send_challenge "")", "fail bad_base64 (invalid_base64_char @16)"}));
  EXPECT_EQ(run("LOGIN", std::nullopt, "dGlt\r\ndGh==\r\n"),
            (strings{R"(send_challenge "VXNlcm5hbWU6")", R"(send_challenge "UGFzc3dvcmQ6")",
                     "fail bad_base64 (nonzero_pad_bits @2)"}));
  EXPECT_EQ(run("LOGIN", "dGlt=", ""), (strings{"fail bad_base64 (excess_padding @4)"}));
  EXPECT_EQ(run("PLAIN", std::nullopt, "=\r\n"),  // "=" means empty only as an initial response
            (strings{R"(send_challenge "")", "fail bad_base64 (excess_padding @0)"}));
}

TEST(server_session, malformed_message_names_the_defect) {
  // "\0tim\0" -> AHRpbQA=
  EXPECT_EQ(run("PLAIN", std::nullopt, "AHRpbQA=\r\n"),
            (strings{R"(send_challenge "")", "fail malformed_message (empty_password @5)"}));
  EXPECT_EQ(run("PLAIN", std::nullopt, "\r\n"),  // an empty response
            (strings{R"(send_challenge "")", "fail malformed_message (missing_separator @0)"}));
  // LOGIN user name "bob\0admin" -> Ym9iAGFkbWlu
  EXPECT_EQ(
      run("LOGIN", std::nullopt, "Ym9iAGFkbWlu\r\n"),
      (strings{R"(send_challenge "VXNlcm5hbWU6")", "fail malformed_message (embedded_nul @3)"}));
  EXPECT_EQ(run("LOGIN", std::nullopt, "dGlt\r\n\r\n"),
            (strings{R"(send_challenge "VXNlcm5hbWU6")", R"(send_challenge "UGFzc3dvcmQ6")",
                     "fail malformed_message (empty_password @0)"}));
  // "\0t\xff\0p" -> AHT/AHA=
  EXPECT_EQ(run("PLAIN", "AHT/AHA=", ""), (strings{"fail malformed_message (invalid_utf8 @2)"}));
}

TEST(server_session, the_session_ends_after_authenticate_or_fail) {
  EXPECT_EQ(
      run("PLAIN", std::nullopt, "AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\nAHRpbQB0\r\n*\r\n"),
      (strings{R"(send_challenge "")", R"(authenticate authzid="" authcid="tim" passwd=<redacted>)",
               "fail unexpected_line", "fail unexpected_line"}));
  EXPECT_EQ(run("PLAIN", std::nullopt, "*\r\nAHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n"),
            (strings{R"(send_challenge "")", "fail cancelled", "fail unexpected_line"}));
}

TEST(server_session, out_of_order_calls) {
  server_session s("PLAIN");
  EXPECT_EQ(to_string(s.on_client_line("AHUAcA==")), "fail invalid_state");
  EXPECT_TRUE(s.finished());
  server_session t("LOGIN");
  EXPECT_EQ(to_string(t.start()), R"(send_challenge "VXNlcm5hbWU6")");
  EXPECT_EQ(to_string(t.start()), "fail invalid_state");
  EXPECT_TRUE(t.finished());
  EXPECT_EQ(to_string(t.on_client_line("dGlt")), "fail unexpected_line");
}

TEST(server_session, lines_are_bounded) {
  const server_options small{.max_line = 8};
  EXPECT_EQ(run("PLAIN", std::nullopt, "AHUAcA==\r\n", small),
            (strings{R"(send_challenge "")",
                     R"(authenticate authzid="" authcid="u" passwd=<redacted>)"}));
  server_session s("PLAIN", std::nullopt, small);
  s.start();
  EXPECT_EQ(to_string(s.on_client_line("AHUAcDI=A")), "fail line_too_long");
  EXPECT_EQ(to_string(server_session("PLAIN", "AHUAcDI=AAAA", small).start()),
            "fail line_too_long");
  // The default bound is RFC 4954 §4's 12288 octets.
  server_session d("PLAIN");
  d.start();
  const std::string big(12289, 'A');
  EXPECT_EQ(to_string(d.on_client_line(big)), "fail line_too_long");
  server_session e("PLAIN");
  e.start();
  EXPECT_EQ(to_string(e.on_client_line(std::string(12288, 'Q'))),
            "fail malformed_message (field_too_long @255)");
}

TEST(server_session, fail_action_fields) {
  server_session s("PLAIN");
  s.start();
  const auto a = s.on_client_line("Zh==");
  ASSERT_TRUE(std::holds_alternative<fail>(a));
  const auto& f = std::get<fail>(a);
  EXPECT_EQ(f.error, sasl_errc::bad_base64);
  EXPECT_EQ(f.detail, sasl_errc::nonzero_pad_bits);
  EXPECT_EQ(f.offset, 1u);
}

TEST(server_session, transcripts_do_not_leak_the_password) {
  const std::string secret = "S3cr3t-Pa55w0rd";
  const std::string plain_b64 = base64::encode(std::string("\0alice\0", 7) + secret);
  const std::string login_lines =
      base64::encode("alice") + "\r\n" + base64::encode(secret) + "\r\n";
  const strings transcripts[] = {run("PLAIN", std::nullopt, plain_b64 + "\r\n"),
                                 run("PLAIN", plain_b64, ""),
                                 run("LOGIN", std::nullopt, login_lines)};
  for (const auto& t : transcripts) {
    ASSERT_FALSE(t.empty());
    EXPECT_EQ(t.back(), R"(authenticate authzid="" authcid="alice" passwd=<redacted>)");
    for (const auto& line : t) {
      EXPECT_EQ(line.find(secret), std::string::npos) << line;
      EXPECT_EQ(line.find(plain_b64), std::string::npos) << line;
    }
  }
  // Only when asked to.
  const auto shown = run("LOGIN", std::nullopt, login_lines, {}, redaction::off);
  EXPECT_EQ(shown.back(), R"(authenticate authzid="" authcid="alice" passwd="S3cr3t-Pa55w0rd")");
}

TEST(server_session, to_string_escapes_control_bytes) {
  // user name "a\"b\x01" -> YSJiAQ==
  EXPECT_EQ(run("LOGIN", "YSJiAQ==", "cA==\r\n").back(),
            R"(authenticate authzid="" authcid="a\x22b\x01" passwd=<redacted>)");
}

}  // namespace
}  // namespace mailtls::codec::sasl
