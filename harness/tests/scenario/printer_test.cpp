#include "scenario/printer.hpp"

#include <gtest/gtest.h>

#include "example.hpp"
#include "scenario/parser.hpp"

namespace mailtls::scenario {
namespace {

std::vector<statement_body> bodies(const scenario& s) {
  std::vector<statement_body> out;
  for (const auto& st : s.statements_)
    out.push_back(st.body_);
  return out;
}

TEST(scenario_printer, prints_the_example) {
  const auto r = parse(test::example_scn, "e.scn");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(print(r.value),
            "id: submission-auth-before-starttls\n"
            "title: Submission refuses AUTH before STARTTLS\n"
            "services: submission\n"
            "refs: RFC 3207 \xC2\xA7"
            "4; RFC 4954 \xC2\xA7"
            "4\n"
            "keywords: starttls auth cleartext\n"
            "severity: critical\n"
            "requires: STARTTLS\n"
            "\n"
            "S: 220 *\n"
            "C: EHLO mailtls.test\n"
            "S: 250 * [+STARTTLS -AUTH=PLAIN]\n"
            "C: AUTH PLAIN ${sasl_plain}\n"
            "S: {530,538} *\n"
            "starttls verify\n"
            "C: EHLO mailtls.test\n"
            "S: 250 * [+AUTH -STARTTLS]\n"
            "C: QUIT\n"
            "S: 221 *\n"
            "expect close\n");
}

TEST(scenario_printer, parse_print_parse_keeps_headers_and_statements) {
  const std::string_view text =
      "id: x\ntimeout: 300ms\n"
      "C+: $${v}$\n"
      "send \"\\x00\\xff\\r\\n\"\n"
      "S: a1 {NO,~BAD} /no|bad/ -> why\n"
      "S: {530,538,~503} *\n"
      "S: * 3 EXISTS\n"
      "S: +OK [+TOP]\n"
      "S: -ERR *\n"
      "S: + go ahead\n"
      "starttls insecure sni a.b min TLS1.0 max TLS1.2 ciphers HIGH\n"
      "expect silence 2s\n"
      "expect tls version TLS1.2\n"
      "expect tls fail\n"
      "set v = \"x # y\"\n";
  const auto a = parse(text, "a.scn");
  ASSERT_TRUE(a.ok()) << a.error->to_string();
  const auto printed = print(a.value);
  const auto b = parse(printed, "a.scn");
  ASSERT_TRUE(b.ok()) << b.error->to_string() << "\n" << printed;
  EXPECT_EQ(a.value.headers_.size(), b.value.headers_.size());
  EXPECT_EQ(a.value.timeout_ms_, b.value.timeout_ms_);
  EXPECT_EQ(bodies(a.value), bodies(b.value));
  EXPECT_EQ(print(b.value), printed);
}

}  // namespace
}  // namespace mailtls::scenario

namespace mailtls::scenario {
namespace {

// Found by fuzz/scenario_parse: `id:#x` has the value `#x`; `id: #x` would be an empty value.
TEST(scenario_printer, hash_right_after_a_colon_stays_text) {
  const auto r = parse("id:#x\nC:#y\nS:#t OK\n", "h.scn");
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_EQ(r.value.id_, "#x");
  EXPECT_EQ(print(r.value), "id:#x\n\nC:#y\nS:#t OK *\n");
}

}  // namespace
}  // namespace mailtls::scenario
