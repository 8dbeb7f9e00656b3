#include "report/junit.hpp"

#include <gtest/gtest.h>

#include "sample_run.hpp"
#include "xml_lite.hpp"

namespace mailtls::report {
namespace {

using test::make_case;
using test::sample_run;
using test::xml_lite;
using test::xml_node;

std::unique_ptr<xml_node> parse_ok(const std::string& doc) {
  xml_lite p(doc);
  auto root = p.parse();
  EXPECT_NE(root, nullptr) << p.error() << "\n" << doc;
  return root;
}

TEST(ReportJunit, SuitesPerTargetWithCounts) {
  const std::string doc = to_junit(sample_run());
  EXPECT_EQ(doc.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  auto root = parse_ok(doc);
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->name, "testsuites");
  EXPECT_EQ(root->attr("tests"), "5");
  EXPECT_EQ(root->attr("failures"), "1");
  EXPECT_EQ(root->attr("errors"), "1");
  EXPECT_EQ(root->attr("skipped"), "1");
  EXPECT_EQ(root->attr("time"), "3.204");

  const auto suites = root->all("testsuite");
  ASSERT_EQ(suites.size(), 3u);
  EXPECT_EQ(suites[0]->attr("name"), "submission://127.0.0.1:5587");
  EXPECT_EQ(suites[0]->attr("tests"), "2");
  EXPECT_EQ(suites[0]->attr("failures"), "1");
  EXPECT_EQ(suites[0]->attr("errors"), "0");
  EXPECT_EQ(suites[0]->attr("time"), "0.043");  // 12 + 31 ms
  EXPECT_EQ(suites[0]->attr("timestamp"), "2026-11-29T14:05:12Z");
  EXPECT_EQ(suites[1]->attr("name"), "imaps://127.0.0.1:5993");
  EXPECT_EQ(suites[1]->attr("errors"), "1");
  EXPECT_EQ(suites[1]->attr("time"), "5.003");
  EXPECT_EQ(suites[2]->attr("skipped"), "1");
  EXPECT_EQ(suites[2]->attr("tests"), "2");
  EXPECT_EQ(suites[2]->all("property")[0]->attr("value"), "pop3");
}

TEST(ReportJunit, TestcasesAndTheirElements) {
  auto root = parse_ok(to_junit(sample_run()));
  ASSERT_NE(root, nullptr);
  const auto cases = root->all("testcase");
  ASSERT_EQ(cases.size(), 5u);

  EXPECT_EQ(cases[0]->attr("classname"), "submission");
  EXPECT_EQ(cases[0]->attr("name"), "smtp-ehlo");
  EXPECT_EQ(cases[0]->attr("time"), "0.012");
  EXPECT_TRUE(cases[0]->children.empty());  // a pass has no child

  const auto failures = cases[1]->all("failure");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0]->attr("message"), "expected a reply 530 or 538, got 235");
  EXPECT_EQ(failures[0]->attr("type"), "must");
  const std::string body = failures[0]->text;
  EXPECT_NE(body.find("location: scenarios/smtp-auth-before-tls.scn:14\n"), std::string::npos);
  EXPECT_NE(body.find("expected: S: {530,538} *\n"), std::string::npos);
  EXPECT_NE(body.find("got: 235 2.7.0 Authentication successful\n"), std::string::npos);
  EXPECT_NE(body.find("refs: RFC 4954 §4 RFC 3207 §4\n"), std::string::npos);
  EXPECT_NE(body.find("3ms C: AUTH PLAIN <redacted:sasl_plain>\n"), std::string::npos) << body;
  const auto out = cases[1]->all("system-out");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]->text,
            "0ms S: 220 mx.example ESMTP\n1ms C: EHLO client.example\n2ms S: 250 AUTH PLAIN\n"
            "3ms C: AUTH PLAIN <redacted:sasl_plain>\n5ms S: 235 2.7.0 Authentication "
            "successful\n");

  const auto errors = cases[2]->all("error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(cases[2]->attr("classname"), "imaps");
  EXPECT_EQ(errors[0]->attr("type"), "step-timeout");
  EXPECT_EQ(errors[0]->attr("message"), "no complete reply within 5000 ms");
  EXPECT_NE(errors[0]->text.find("5003ms -- step timeout after 5000 ms\n"), std::string::npos);
  EXPECT_EQ(cases[2]->all("system-out").size(), 1u);

  const auto skipped = cases[3]->all("skipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0]->attr("message"), "needs credentials");
  EXPECT_TRUE(cases[3]->all("system-out").empty());
  EXPECT_TRUE(cases[4]->children.empty());
}

TEST(ReportJunit, HostileTranscriptIsEscaped) {
  run r = sample_run();
  const std::string hostile = test::hostile_text();
  r.cases[1].result.transcript.push_back({40, test::dir::server, hostile});
  r.cases[1].result.v.reason = hostile;
  r.cases[1].scenario_id = "id\"with'quotes\n";
  const std::string doc = to_junit(r);

  EXPECT_EQ(doc.find("]]>"), std::string::npos);
  EXPECT_EQ(doc.find("<script"), std::string::npos);
  EXPECT_EQ(doc.find('\0'), std::string::npos);
  EXPECT_EQ(doc.find('\x1b'), std::string::npos);
  EXPECT_EQ(doc.find('\xff'), std::string::npos);
  auto root = parse_ok(doc);
  ASSERT_NE(root, nullptr);
  const auto cases = root->all("testcase");
  EXPECT_EQ(cases[1]->attr("name"), "id\"with'quotes\n");  // LF kept as &#10;
  const std::string shown =
      "]]> <script>alert(\"x\")</script> & 'q' \\x01\\x1B[31m\\x00\\xFF\\xFE\\xC3(\\xED\\xA0\\x80 "
      "end";
  EXPECT_EQ(cases[1]->all("failure")[0]->attr("message"), shown);
  EXPECT_NE(cases[1]->all("system-out")[0]->text.find("40ms S: " + shown + "\n"),
            std::string::npos);
}

TEST(ReportJunit, OrphanCasesGetTheirOwnSuite) {
  run r = sample_run();
  r.cases.push_back(make_case("lost", 42, runner::outcome::pass, 1));
  auto root = parse_ok(to_junit(r));
  ASSERT_NE(root, nullptr);
  const auto suites = root->all("testsuite");
  ASSERT_EQ(suites.size(), 4u);
  EXPECT_EQ(suites[3]->attr("name"), "(unknown target)");
  EXPECT_EQ(suites[3]->attr("tests"), "1");
  EXPECT_EQ(root->attr("tests"), "6");
}

TEST(ReportJunit, EmptyRun) {
  auto root = parse_ok(to_junit(run{}));
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->attr("tests"), "0");
  EXPECT_TRUE(root->children.empty());
}

TEST(ReportXmlLite, RejectsMalformedDocuments) {
  const auto bad = [](std::string doc) {
    xml_lite p(doc);
    return p.parse() == nullptr && !p.error().empty();
  };
  EXPECT_FALSE(bad("<a x=\"1\"><b/>t&amp;</a>"));
  EXPECT_TRUE(bad("<a><b></a></b>"));
  EXPECT_TRUE(bad("<a>x < y</a>"));
  EXPECT_TRUE(bad("<a>x & y</a>"));
  EXPECT_TRUE(bad("<a>]]></a>"));
  EXPECT_TRUE(bad("<a x=\"<\"/>"));
  EXPECT_TRUE(bad(std::string("<a>\0</a>", 8)));
  EXPECT_TRUE(bad("<a>\xff</a>"));
  EXPECT_TRUE(bad("<a x=1/>"));
  EXPECT_TRUE(bad("<a/><b/>"));
  EXPECT_TRUE(bad("<a>"));
}

}  // namespace
}  // namespace mailtls::report
