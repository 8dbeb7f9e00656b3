#include "codec/sasl/plain.hpp"

#include <gtest/gtest.h>

#include <string>

#include "codec/sasl/base64.hpp"

namespace mailtls::codec::sasl {
namespace {

using namespace std::string_literals;

std::string failure(std::string_view msg, plain_limits lim = {}) {
  const auto r = parse_plain(msg, lim);
  if (r.ok()) return "ok";
  return error_name(r.error) + " @" + std::to_string(r.offset);
}

TEST(plain, rfc4616_section4_first_example) {
  // C: <NUL>tim<NUL>tanstaaftanstaaf
  std::string msg;
  ASSERT_TRUE(base64::decode("AHRpbQB0YW5zdGFhZnRhbnN0YWFm", msg).ok());
  EXPECT_EQ(msg, "\0tim\0tanstaaftanstaaf"s);
  const auto r = parse_plain(msg);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.message.authzid, "");
  EXPECT_EQ(r.message.authcid, "tim");
  EXPECT_EQ(r.message.passwd, "tanstaaftanstaaf");
}

TEST(plain, rfc4616_section4_second_example) {
  // "Kurt" uses the password "xipj3plmq" to assume the identity of "Ursel".
  const std::string msg = "Ursel\0Kurt\0xipj3plmq"s;  // the views point into it
  const auto r = parse_plain(msg);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.message, (plain_message{"Ursel", "Kurt", "xipj3plmq"}));
  std::string built;
  ASSERT_TRUE(build_plain("Ursel", "Kurt", "xipj3plmq", built).ok());
  EXPECT_EQ(base64::encode(built), "VXJzZWwAS3VydAB4aXBqM3BsbXE=");
}

TEST(plain, utf8_fields_are_accepted) {
  const std::string msg = "\0j\xC3\xBCrgen\0\xE2\x82\xAC\xF0\x9F\x94\x91"s;
  const auto r = parse_plain(msg);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.message.authcid, "j\xC3\xBCrgen");
  EXPECT_EQ(r.message.passwd, "\xE2\x82\xAC\xF0\x9F\x94\x91");
}

TEST(plain, missing_separator) {
  EXPECT_EQ(failure(""), "missing_separator @0");
  EXPECT_EQ(failure("tim"), "missing_separator @3");
  EXPECT_EQ(failure("\0tim"s), "missing_separator @4");
  EXPECT_EQ(failure("zid\0tim"s), "missing_separator @7");
}

TEST(plain, extra_nul) {
  EXPECT_EQ(failure("\0tim\0pa\0ss"s), "extra_nul @7");
  EXPECT_EQ(failure("\0tim\0pass\0"s), "extra_nul @9");
  EXPECT_EQ(failure("\0tim\0\0"s), "extra_nul @5");  // a NUL first is a NUL in the password
}

TEST(plain, empty_authcid) {
  EXPECT_EQ(failure("\0\0pass"s), "empty_authcid @1");
  EXPECT_EQ(failure("zid\0\0pw"s), "empty_authcid @4");
  EXPECT_EQ(failure("\0\0"s), "empty_authcid @1");
}

TEST(plain, empty_password) {
  EXPECT_EQ(failure("\0tim\0"s), "empty_password @5");
  EXPECT_EQ(failure("zid\0tim\0"s), "empty_password @8");
}

TEST(plain, field_too_long) {
  const std::string a255(255, 'a');
  const std::string a256(256, 'a');
  EXPECT_EQ(failure("\0"s + a255 + "\0"s + a255), "ok");  // RFC 4616 §2: MUST accept 255
  EXPECT_EQ(failure(a255 + "\0u\0p"s), "ok");
  EXPECT_EQ(failure(a256 + "\0u\0p"s), "field_too_long @255");
  EXPECT_EQ(failure("\0"s + a256 + "\0p"s), "field_too_long @256");
  EXPECT_EQ(failure("\0u\0"s + a256), "field_too_long @258");
  EXPECT_EQ(failure("\0u\0"s + std::string(100000, 'p')), "field_too_long @258");
  EXPECT_EQ(failure("\0"s + a256 + "\0p"s, {.max_field = 1000}), "ok");
  EXPECT_EQ(failure("\0uu\0p"s, {.max_field = 1}), "field_too_long @2");
}

TEST(plain, invalid_utf8) {
  EXPECT_EQ(failure("\0t\xC3\x28m\0pw"s), "invalid_utf8 @2");          // bad continuation
  EXPECT_EQ(failure("\0tim\0\xC0\x80"s), "invalid_utf8 @5");           // overlong NUL
  EXPECT_EQ(failure("\0tim\0\xED\xA0\x80"s), "invalid_utf8 @5");       // surrogate
  EXPECT_EQ(failure("\0tim\0\xF4\x90\x80\x80"s), "invalid_utf8 @5");   // above U+10FFFF
  EXPECT_EQ(failure("\0tim\xE2\x82\0pw"s), "invalid_utf8 @4");         // truncated by the NUL
  EXPECT_EQ(failure("\xFF"), "invalid_utf8 @0");                       // before missing_separator
  EXPECT_EQ(failure("\0tim\0pw\x80"s), "invalid_utf8 @7");             // stray continuation
  EXPECT_EQ(failure("\0tim\0p\xF5\x80\x80\x80"s), "invalid_utf8 @6");  // F5 never valid
}

TEST(plain, errors_come_in_offset_order) {
  const std::string a255(255, 'a');
  // An ill-formed byte past the limit loses to the limit; one before it wins.
  EXPECT_EQ(failure("\0"s + a255 + "\xFF\0p"s), "field_too_long @256");
  EXPECT_EQ(failure("\0\xFF"s + a255 + "\0p"s), "invalid_utf8 @1");
  EXPECT_EQ(failure("\xFF\0\0"s), "invalid_utf8 @0");  // before empty_authcid
  EXPECT_EQ(failure("\0\0\xFF"s), "empty_authcid @1");
  EXPECT_EQ(failure("\0u\0\xFF\0"s), "invalid_utf8 @3");  // before extra_nul
}

TEST(plain, build_round_trips) {
  const plain_message cases[] = {{"", "tim", "tanstaaftanstaaf"},
                                 {"Ursel", "Kurt", "xipj3plmq"},
                                 {"", "j\xC3\xBCrgen", "p\xE2\x82\xAC"},
                                 {"", std::string_view("u"), std::string_view("p")}};
  for (const auto& m : cases) {
    std::string out = "keep";
    const auto b = build_plain(m, out);
    ASSERT_TRUE(b.ok()) << error_name(b.error);
    EXPECT_EQ(b.message, m);
    const auto p = parse_plain(std::string_view(out).substr(4));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.message, m);
    // and back to the same bytes
    std::string again;
    ASSERT_TRUE(build_plain(p.message, again).ok());
    EXPECT_EQ(again, out.substr(4));
  }
  std::string out;
  ASSERT_TRUE(build_plain("", "tim", "tanstaaftanstaaf", out).ok());
  EXPECT_EQ(base64::encode(out), "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
}

TEST(plain, build_refuses_what_parse_refuses) {
  auto build_error = [](std::string_view z, std::string_view c, std::string_view p,
                        plain_limits lim = {}) {
    std::string out = "keep";
    const auto r = build_plain(z, c, p, out, lim);
    if (r.ok()) return std::string("ok");
    EXPECT_EQ(out, "keep");
    return error_name(r.error) + " @" + std::to_string(r.offset);
  };
  // A NUL inside a field would move the separators (authcid "bob\0admin").
  EXPECT_EQ(build_error("", "bob\0admin"s, "pw"), "embedded_nul @4");
  EXPECT_EQ(build_error("z\0"s, "u", "pw"), "embedded_nul @1");
  EXPECT_EQ(build_error("", "u", "p\0w"s), "embedded_nul @4");
  EXPECT_EQ(build_error("", "", "pw"), "empty_authcid @1");
  EXPECT_EQ(build_error("", "u", ""), "empty_password @3");
  EXPECT_EQ(build_error("", "u\xFF", "pw"), "invalid_utf8 @2");
  EXPECT_EQ(build_error("", std::string(256, 'u'), "pw"), "field_too_long @256");
  EXPECT_EQ(build_error("", std::string(256, 'u'), "pw", {.max_field = 256}), "ok");
}

}  // namespace
}  // namespace mailtls::codec::sasl
