#include "codec/sasl/login.hpp"

#include <gtest/gtest.h>

#include <string>

#include "codec/sasl/base64.hpp"

namespace mailtls::codec::sasl::login {
namespace {

using namespace std::string_literals;

std::string check(std::string_view s, field f, plain_limits lim = {}) {
  const auto r = check_field(s, f, lim);
  if (r.ok()) return "ok";
  return error_name(r.error) + " @" + std::to_string(r.offset);
}

TEST(login, prompts_encode_as_servers_send_them) {
  EXPECT_EQ(base64::encode(username_prompt), username_prompt_base64);
  EXPECT_EQ(base64::encode(password_prompt), password_prompt_base64);
  EXPECT_EQ(username_prompt_base64, "VXNlcm5hbWU6");
  EXPECT_EQ(password_prompt_base64, "UGFzc3dvcmQ6");
}

TEST(login, field_checks) {
  EXPECT_EQ(check("tim", field::username), "ok");
  EXPECT_EQ(check("j\xC3\xBCrgen", field::username), "ok");
  EXPECT_EQ(check("", field::username), "empty_authcid @0");
  EXPECT_EQ(check("", field::password), "empty_password @0");
  EXPECT_EQ(check("bob\0admin"s, field::username), "embedded_nul @3");
  EXPECT_EQ(check("pa\xFFss", field::password), "invalid_utf8 @2");
  EXPECT_EQ(check("\xFF\0"s, field::password), "invalid_utf8 @0");
  EXPECT_EQ(check("a\0\xFF"s, field::password), "embedded_nul @1");
  EXPECT_EQ(check(std::string(255, 'p'), field::password), "ok");
  EXPECT_EQ(check(std::string(256, 'p'), field::password), "field_too_long @255");
  EXPECT_EQ(check(std::string(256, 'p') + '\0', field::password), "field_too_long @255");
  EXPECT_EQ(check(std::string(256, 'p'), field::password, {.max_field = 300}), "ok");
}

TEST(login, strict_prompts) {
  EXPECT_EQ(classify_prompt("Username:", prompt_policy::strict), prompt::username);
  EXPECT_EQ(classify_prompt("Password:", prompt_policy::strict), prompt::password);
  EXPECT_EQ(classify_prompt("username:", prompt_policy::strict), prompt::unknown);
  EXPECT_EQ(classify_prompt("Username", prompt_policy::strict), prompt::unknown);
  EXPECT_EQ(classify_prompt("User Name", prompt_policy::strict), prompt::unknown);
}

TEST(login, relaxed_prompts) {
  for (const char* u : {"Username:", "username", "USERNAME:", "User Name", "user name:"}) {
    EXPECT_EQ(classify_prompt(u, prompt_policy::relaxed), prompt::username) << u;
  }
  for (const char* p : {"Password:", "password", "PASSWORD:", "Password"}) {
    EXPECT_EQ(classify_prompt(p, prompt_policy::relaxed), prompt::password) << p;
  }
  for (const char* x : {"", ":", "Username::", " Username:", "Pass word", "Login:", "User"}) {
    EXPECT_EQ(classify_prompt(x, prompt_policy::relaxed), prompt::unknown) << x;
  }
}

TEST(login, ignored_prompts) {
  EXPECT_EQ(classify_prompt("Username:", prompt_policy::ignore), prompt::unknown);
  EXPECT_EQ(classify_prompt("anything", prompt_policy::ignore), prompt::unknown);
}

}  // namespace
}  // namespace mailtls::codec::sasl::login
