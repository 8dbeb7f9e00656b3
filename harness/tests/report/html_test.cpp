#include "report/html.hpp"

#include <gtest/gtest.h>

#include "sample_run.hpp"
#include "xml_lite.hpp"

namespace mailtls::report {
namespace {

using test::sample_run;
using test::xml_lite;
using test::xml_node;

const xml_node* by_id(const xml_node& root, std::string_view id) {
  std::vector<const xml_node*> all;
  for (const char* tag : {"div", "section", "h2"}) {
    for (const auto* n : root.all(tag))
      all.push_back(n);
  }
  for (const auto* n : all) {
    if (n->attr("id") == id) return n;
  }
  return nullptr;
}

class ReportHtml : public ::testing::Test {
 protected:
  void SetUp() override {
    page_ = to_html(sample_run());
    xml_lite p(page_);
    root_ = p.parse();
    ASSERT_NE(root_, nullptr) << p.error();
  }
  std::string page_;
  std::unique_ptr<xml_node> root_;
};

TEST_F(ReportHtml, SelfContainedPage) {
  EXPECT_EQ(page_.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_EQ(root_->name, "html");
  EXPECT_EQ(root_->all("style").size(), 1u);
  EXPECT_TRUE(root_->all("script").empty());
  EXPECT_TRUE(root_->all("link").empty());
  EXPECT_TRUE(root_->all("img").empty());
  EXPECT_EQ(page_.find("http://"), std::string::npos);
  EXPECT_EQ(page_.find("https://"), std::string::npos);
  EXPECT_EQ(page_.find("url("), std::string::npos);
  EXPECT_EQ(root_->all("title")[0]->text, "mailtls report 20261129T140512Z-3f2a");
}

TEST_F(ReportHtml, HeaderShowsRunTargetsAndCounts) {
  const std::string header = root_->all("header")[0]->deep_text();
  EXPECT_NE(header.find("20261129T140512Z-3f2a"), std::string::npos);
  EXPECT_NE(header.find("2026-11-29T14:05:12Z"), std::string::npos);
  EXPECT_NE(header.find("3.204 s"), std::string::npos);
  EXPECT_NE(header.find("FAIL"), std::string::npos);
  const auto rows = root_->all("header")[0]->all("tr");
  ASSERT_EQ(rows.size(), 4u);  // head + 3 targets
  EXPECT_EQ(rows[2]->all("code")[0]->text, "imaps://127.0.0.1:5993");
  EXPECT_EQ(rows[2]->all("td")[2]->text, "imaps");
  EXPECT_EQ(rows[2]->all("td")[3]->text, "1");
}

TEST_F(ReportHtml, ServiceMatrixCells) {
  const auto tables = root_->all("table");
  const xml_node* matrix = nullptr;
  for (const auto* t : tables) {
    if (t->attr("class") == "matrix") matrix = t;
  }
  ASSERT_NE(matrix, nullptr);
  const auto rows = matrix->all("tr");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1]->all("th")[0]->text, "SMTP");
  EXPECT_EQ(rows[2]->all("th")[0]->text, "POP3");
  EXPECT_EQ(rows[3]->all("th")[0]->text, "IMAP");
  // Explicit column of SMTP holds smtp and submission; implicit holds submissions.
  const auto smtp_cells = rows[1]->all("td");
  ASSERT_EQ(smtp_cells.size(), 2u);
  EXPECT_EQ(smtp_cells[0]->all("div").size(), 3u);  // smtp, submission (+ its ports line)
  EXPECT_EQ(smtp_cells[1]->all("div")[0]->attr("id"), "svc-submissions");

  const xml_node* sub = by_id(*root_, "svc-submission");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->attr("class"), "cell st-fail");
  EXPECT_EQ(sub->deep_text(),
            "submission:5587 1 pass · 1 fail · 0 error · 0 skip"  // then the targets line (a div)
            "submission://127.0.0.1:5587");
  const xml_node* imaps = by_id(*root_, "svc-imaps");
  ASSERT_NE(imaps, nullptr);
  EXPECT_EQ(imaps->attr("class"), "cell st-error");
  const xml_node* pop3 = by_id(*root_, "svc-pop3");
  ASSERT_NE(pop3, nullptr);
  EXPECT_EQ(pop3->attr("class"), "cell st-pass");
  const xml_node* smtp = by_id(*root_, "svc-smtp");
  ASSERT_NE(smtp, nullptr);
  EXPECT_EQ(smtp->attr("class"), "cell st-none");
  EXPECT_EQ(smtp->deep_text(), "smtp:25 not checked");
}

TEST_F(ReportHtml, FailuresFirstWithEvidence) {
  const auto sections = root_->all("section");
  ASSERT_EQ(sections.size(), 2u);  // the fail, then the error
  EXPECT_EQ(sections[0]->attr("class"), "case st-fail");
  EXPECT_EQ(sections[0]->attr("id"), "case-1");
  EXPECT_EQ(sections[1]->attr("class"), "case st-error");
  const std::string fail = sections[0]->deep_text();
  for (const char* want :
       {"smtp-auth-before-tls", "title of smtp-auth-before-tls", "must", "RFC 4954 §4, RFC 3207 §4",
        "scenarios/smtp-auth-before-tls.scn:14", "expected a reply 530 or 538, got 235",
        "S: {530,538} *", "235 2.7.0 Authentication successful", "503 accepted: tolerated reply",
        "     3ms C: AUTH PLAIN <redacted:sasl_plain>\n"}) {
    EXPECT_NE(fail.find(want), std::string::npos) << want;
  }
  const std::string error = sections[1]->deep_text();
  EXPECT_NE(error.find("step-timeout"), std::string::npos);
  EXPECT_NE(error.find("implicit TLS: handshake failed: unsupported protocol"), std::string::npos);
  EXPECT_NE(error.find("  5003ms -- step timeout after 5000 ms"), std::string::npos);
  // Failure sections come before the collapsed groups.
  EXPECT_LT(page_.find("<section"), page_.find("<details"));
}

TEST_F(ReportHtml, PassesAndSkipsCollapsed) {
  const auto groups = root_->all("details");
  // skipped group + 1 skip, passed group + 2 passes
  ASSERT_EQ(groups.size(), 5u);
  EXPECT_EQ(groups[0]->all("summary")[0]->text, "show 1 skipped cases");
  EXPECT_NE(groups[1]->deep_text().find("needs credentials"), std::string::npos);
  EXPECT_EQ(groups[2]->all("summary")[0]->text, "show 2 passed cases");
  EXPECT_NE(groups[3]->deep_text().find("STARTTLS: TLSv1.3 TLS_AES_128_GCM_SHA256, verified"),
            std::string::npos);
  EXPECT_NE(groups[3]->deep_text().find("     9ms TLS TLSv1.3"), std::string::npos);
}

TEST(ReportHtmlEscaping, ScriptInTranscriptIsEscaped) {
  run r = sample_run();
  r.cases[1].result.transcript.push_back({40, test::dir::server, test::hostile_text()});
  r.cases[1].title = "<b>bold</b>";
  r.cases[4].result.transcript.push_back({2, test::dir::server, "<script>alert(2)</script>"});
  const std::string page = to_html(r);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<b>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(2)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("\\x00\\xFF\\xFE"), std::string::npos);
  EXPECT_EQ(page.find('\0'), std::string::npos);
  xml_lite p(page);
  EXPECT_NE(p.parse(), nullptr) << p.error();
}

TEST(ReportHtmlEscaping, AllPassingRun) {
  run r = sample_run();
  r.cases.erase(r.cases.begin() + 1, r.cases.begin() + 4);
  const std::string page = to_html(r);
  EXPECT_NE(page.find("No case failed"), std::string::npos);
  EXPECT_NE(page.find("badge st-pass\">PASS</span></h1>"), std::string::npos);
  EXPECT_EQ(page.find("<section"), std::string::npos);
}

}  // namespace
}  // namespace mailtls::report
