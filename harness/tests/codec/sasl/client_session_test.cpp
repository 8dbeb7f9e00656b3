#include "codec/sasl/client_session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/sasl/base64.hpp"
#include "codec/sasl/server_session.hpp"

namespace mailtls::codec::sasl {
namespace {

using strings = std::vector<std::string>;

const client_credentials tim{"", "tim", "tanstaaftanstaaf"};

// start(), then each challenge, then the outcome when given; to_string of every action.
strings run(mechanism m, client_credentials c, bool ir, const strings& challenges,
            std::optional<bool> outcome = std::nullopt, client_options o = {},
            redaction r = redaction::on) {
  client_session s(m, std::move(c), ir, o);
  strings out{to_string(s.start(), r)};
  for (const auto& ch : challenges)
    out.push_back(to_string(s.on_server_challenge(ch), r));
  if (outcome) out.push_back(to_string(s.on_outcome(*outcome), r));
  return out;
}

TEST(client_session, plain_with_initial_response) {
  EXPECT_EQ(run(mechanism::plain, tim, true, {}, true),
            (strings{"initial_response <redacted>", "done"}));
  EXPECT_EQ(run(mechanism::plain, tim, true, {}, true, {}, redaction::off),
            (strings{R"(initial_response "AHRpbQB0YW5zdGFhZnRhbnN0YWFm")", "done"}));
}

TEST(client_session, plain_without_initial_response) {
  EXPECT_EQ(run(mechanism::plain, tim, false, {""}, true),
            (strings{"await_challenge", "send_response <redacted>", "done"}));
  client_session s(mechanism::plain, tim, false);
  EXPECT_EQ(s.start(), client_action{await_challenge{}});
  EXPECT_EQ(s.on_server_challenge(""),
            client_action(send_response{"AHRpbQB0YW5zdGFhZnRhbnN0YWFm", false, true}));
  EXPECT_FALSE(s.finished());
  EXPECT_EQ(s.on_outcome(true), client_action{done{}});
  EXPECT_TRUE(s.finished());
}

TEST(client_session, plain_with_authzid) {
  EXPECT_EQ(
      run(mechanism::plain, {"Ursel", "Kurt", "xipj3plmq"}, true, {}, false, {}, redaction::off),
      (strings{R"(initial_response "VXJzZWwAS3VydAB4aXBqM3BsbXE=")", "fail rejected"}));
}

TEST(client_session, plain_challenge_must_be_empty) {
  // "Hello" -> SGVsbG8=
  EXPECT_EQ(run(mechanism::plain, tim, false, {"SGVsbG8="}),
            (strings{"await_challenge", "fail unexpected_challenge"}));
  EXPECT_EQ(
      run(mechanism::plain, tim, false, {"SGVsbG8="}, true, {.allow_plain_challenge_text = true}),
      (strings{"await_challenge", "send_response <redacted>", "done"}));
}

TEST(client_session, extra_challenge_is_unexpected) {
  EXPECT_EQ(run(mechanism::plain, tim, true, {""}),
            (strings{"initial_response <redacted>", "fail unexpected_challenge"}));
  EXPECT_EQ(run(mechanism::login, tim, false, {"VXNlcm5hbWU6", "UGFzc3dvcmQ6", "UGFzc3dvcmQ6"}),
            (strings{"await_challenge", R"(send_response "dGlt")", "send_response <redacted>",
                     "fail unexpected_challenge"}));
}

TEST(client_session, login_exchange) {
  EXPECT_EQ(
      run(mechanism::login, tim, true, {"VXNlcm5hbWU6", "UGFzc3dvcmQ6"}, true),
      (strings{"await_challenge", R"(send_response "dGlt")", "send_response <redacted>", "done"}));
  EXPECT_EQ(
      run(mechanism::login, tim, true, {"VXNlcm5hbWU6", "UGFzc3dvcmQ6"}, true, {}, redaction::off),
      (strings{"await_challenge", R"(send_response "dGlt")",
               R"(send_response "dGFuc3RhYWZ0YW5zdGFhZg==")", "done"}));
}

TEST(client_session, login_initial_response_when_enabled) {
  const client_options o{.login_initial_response = true};
  EXPECT_EQ(run(mechanism::login, tim, true, {"UGFzc3dvcmQ6"}, true, o),
            (strings{R"(initial_response "dGlt")", "send_response <redacted>", "done"}));
  // The protocol does not allow one: LOGIN stays server-first.
  EXPECT_EQ(run(mechanism::login, tim, false, {"VXNlcm5hbWU6"}, std::nullopt, o),
            (strings{"await_challenge", R"(send_response "dGlt")"}));
}

TEST(client_session, login_prompt_policies) {
  // "username" dXNlcm5hbWU=, "User Name" VXNlciBOYW1l, "password:" cGFzc3dvcmQ6, "Hello" SGVsbG8=
  EXPECT_EQ(run(mechanism::login, tim, false, {"dXNlcm5hbWU=", "cGFzc3dvcmQ6"}),
            (strings{"await_challenge", R"(send_response "dGlt")", "send_response <redacted>"}));
  EXPECT_EQ(run(mechanism::login, tim, false, {"VXNlciBOYW1l"}),
            (strings{"await_challenge", R"(send_response "dGlt")"}));
  const client_options strict{.login_prompts = login::prompt_policy::strict};
  EXPECT_EQ(run(mechanism::login, tim, false, {"dXNlcm5hbWU="}, std::nullopt, strict),
            (strings{"await_challenge", "fail unknown_prompt"}));
  EXPECT_EQ(run(mechanism::login, tim, false, {"SGVsbG8="}),
            (strings{"await_challenge", "fail unknown_prompt"}));
  const client_options ignore{.login_prompts = login::prompt_policy::ignore};
  EXPECT_EQ(
      run(mechanism::login, tim, false, {"SGVsbG8=", ""}, true, ignore),
      (strings{"await_challenge", R"(send_response "dGlt")", "send_response <redacted>", "done"}));
}

TEST(client_session, login_prompt_out_of_order) {
  EXPECT_EQ(run(mechanism::login, tim, false, {"UGFzc3dvcmQ6"}),
            (strings{"await_challenge", "fail unexpected_prompt"}));
  EXPECT_EQ(run(mechanism::login, tim, false, {"VXNlcm5hbWU6", "VXNlcm5hbWU6"}),
            (strings{"await_challenge", R"(send_response "dGlt")", "fail unexpected_prompt"}));
}

TEST(client_session, bad_challenges) {
  EXPECT_EQ(run(mechanism::login, tim, false, {"VXNlcm5hbWU"}),
            (strings{"await_challenge", "fail bad_base64 (bad_base64_length @11)"}));
  EXPECT_EQ(run(mechanism::plain, tim, false, {" "}),
            (strings{"await_challenge", "fail bad_base64 (invalid_base64_char @0)"}));
  EXPECT_EQ(run(mechanism::plain, tim, false, {std::string(12289, 'A')}),
            (strings{"await_challenge", "fail line_too_long"}));
  EXPECT_EQ(run(mechanism::plain, tim, false, {"AAAA"}, std::nullopt, {.max_challenge = 2}),
            (strings{"await_challenge", "fail line_too_long"}));
}

TEST(client_session, outcomes) {
  EXPECT_EQ(run(mechanism::plain, tim, true, {}, false),
            (strings{"initial_response <redacted>", "fail rejected"}));
  // LOGIN: the server accepts after the user name only: a broken server.
  EXPECT_EQ(run(mechanism::login, tim, false, {"VXNlcm5hbWU6"}, true),
            (strings{"await_challenge", R"(send_response "dGlt")", "fail premature_success"}));
  EXPECT_EQ(run(mechanism::login, tim, false, {"VXNlcm5hbWU6"}, false),
            (strings{"await_challenge", R"(send_response "dGlt")", "fail rejected"}));
}

TEST(client_session, invalid_credentials_are_refused_before_sending) {
  EXPECT_EQ(run(mechanism::plain, {"", "tim", ""}, true, {}),
            (strings{"fail malformed_message (empty_password @5)"}));
  EXPECT_EQ(run(mechanism::plain, {"", std::string("bob\0admin", 9), "pw"}, false, {""}),
            (strings{"await_challenge", "fail malformed_message (embedded_nul @4)"}));
  EXPECT_EQ(run(mechanism::login, {"", "", "pw"}, false, {"VXNlcm5hbWU6"}),
            (strings{"await_challenge", "fail malformed_message (empty_authcid @0)"}));
  EXPECT_EQ(run(mechanism::login, {"", "u", "p\xFF"}, false, {"VXNlcm5hbWU6", "UGFzc3dvcmQ6"}),
            (strings{"await_challenge", R"(send_response "dQ==")",
                     "fail malformed_message (invalid_utf8 @1)"}));
}

TEST(client_session, out_of_order_calls) {
  client_session a(mechanism::plain, tim, true);
  EXPECT_EQ(to_string(a.on_server_challenge("")), "fail invalid_state");
  client_session b(mechanism::plain, tim, true);
  EXPECT_EQ(to_string(b.on_outcome(true)), "fail invalid_state");
  client_session c(mechanism::plain, tim, true);
  c.start();
  EXPECT_EQ(to_string(c.start()), "fail invalid_state");
  EXPECT_TRUE(c.finished());
  client_session d(mechanism::plain, tim, true);
  d.start();
  EXPECT_EQ(to_string(d.on_outcome(true)), "done");
  EXPECT_EQ(to_string(d.on_outcome(true)), "fail invalid_state");
  EXPECT_EQ(to_string(d.on_server_challenge("")), "fail invalid_state");
}

TEST(client_session, redaction_hides_every_secret_response) {
  const client_credentials alice{"", "alice", "S3cr3t-Pa55w0rd"};
  const std::string pw_b64 = base64::encode(alice.passwd);
  for (const auto& t :
       {run(mechanism::plain, alice, true, {}, true),
        run(mechanism::plain, alice, false, {""}, true),
        run(mechanism::login, alice, false, {"VXNlcm5hbWU6", "UGFzc3dvcmQ6"}, true)}) {
    for (const auto& line : t) {
      EXPECT_EQ(line.find(alice.passwd), std::string::npos) << line;
      EXPECT_EQ(line.find(pw_b64), std::string::npos) << line;
      EXPECT_EQ(line.find("AGFsaWNl"), std::string::npos) << line;  // "\0alice" of the blob
    }
  }
}

// The client and the server of this codec agree, over every mechanism and initial-response mode.
TEST(client_session, loopback_with_server_session) {
  const client_credentials creds[] = {{"", "tim", "tanstaaftanstaaf"},
                                      {"Ursel", "Kurt", "xipj3plmq"},
                                      {"", "j\xC3\xBCrgen", "p\xE2\x82\xAC!"}};
  for (const auto m : {mechanism::plain, mechanism::login}) {
    for (const bool ir : {false, true}) {
      for (const auto& c : creds) {
        client_session client(m, c, ir, {.login_initial_response = true});
        auto ca = client.start();
        std::optional<std::string> initial;
        if (const auto* r = std::get_if<send_response>(&ca)) initial = r->base64;
        server_session server(m, initial);
        auto sa = server.start();
        int steps = 0;
        while (const auto* ch = std::get_if<send_challenge>(&sa)) {
          ASSERT_LT(++steps, 5);
          ca = client.on_server_challenge(ch->base64);
          const auto* r = std::get_if<send_response>(&ca);
          ASSERT_NE(r, nullptr) << to_string(ca);
          sa = server.on_client_line(r->base64);
        }
        const auto* au = std::get_if<authenticate>(&sa);
        ASSERT_NE(au, nullptr) << to_string(sa);
        EXPECT_EQ(au->authzid, m == mechanism::plain ? c.authzid : "");
        EXPECT_EQ(au->authcid, c.authcid);
        EXPECT_EQ(au->passwd, c.passwd);
        EXPECT_EQ(client.on_outcome(true), client_action{done{}});
      }
    }
  }
}

}  // namespace
}  // namespace mailtls::codec::sasl
