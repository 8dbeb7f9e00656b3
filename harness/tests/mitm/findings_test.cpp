#include "mitm/findings.hpp"

#include <gtest/gtest.h>

namespace mailtls::mitm {
namespace {

TEST(Findings, PrintsTimeKindAndDetail) {
  EXPECT_EQ(to_string(finding{12, finding_kind::cleartext_credentials, "AUTH PLAIN <redacted>"}),
            "+12ms cleartext-credentials AUTH PLAIN <redacted>");
  EXPECT_EQ(to_string(finding{0, finding_kind::tls_started, ""}), "+0ms tls-started");
}

TEST(Findings, DetailsAreEscapedAndCut) {
  findings f;
  f.add(1, finding_kind::protocol_error, "a\r\nb");
  f.add(2, finding_kind::protocol_error, std::string(300, 'x'));
  ASSERT_EQ(f.list().size(), 2u);
  EXPECT_EQ(f.list()[0].detail, "a\\r\\nb");
  EXPECT_EQ(f.list()[1].detail, std::string(200, 'x') + "...");
}

TEST(Findings, ListIsCappedButFlagsStayExact) {
  findings f(4);
  f.add(1, finding_kind::protocol_error, "1");
  f.add(2, finding_kind::protocol_error, "2");
  f.add(3, finding_kind::protocol_error, "3");
  f.add(4, finding_kind::attack_applied, "stripped");
  f.count_client_command();
  f.add(5, finding_kind::cleartext_credentials, "PASS <redacted>");
  ASSERT_EQ(f.list().size(), 4u);
  EXPECT_EQ(f.list()[3].kind, finding_kind::truncated);
  EXPECT_EQ(f.list()[3].detail, "2 more not listed");
  EXPECT_EQ(f.dropped(), 2u);
  EXPECT_TRUE(f.attack_applied());
  EXPECT_EQ(judge(f).outcome, verdict::fail);
  EXPECT_EQ(judge(f).reason, "sent in cleartext: PASS <redacted> after stripped");
}

TEST(Findings, Verdicts) {
  {
    findings f;
    EXPECT_EQ(judge(f), (verdict_result{verdict::error, "the client sent no command"}));
  }
  {
    findings f;
    f.count_client_command();
    f.add(1, finding_kind::tls_started);
    EXPECT_EQ(judge(f).outcome, verdict::pass);
  }
  {
    findings f;
    f.count_client_command();
    f.add(1, finding_kind::attack_applied, "removed STARTTLS");
    f.add(2, finding_kind::client_closed, "after QUIT");
    EXPECT_EQ(judge(f),
              (verdict_result{verdict::pass, "the client closed the connection after the attack"}));
  }
  {
    findings f;  // credentials before the attack do not fail it (nothing was changed yet)
    f.count_client_command();
    f.add(1, finding_kind::cleartext_credentials, "USER bob");
    f.add(2, finding_kind::attack_applied, "x");
    f.add(3, finding_kind::timeout, "idle");
    EXPECT_EQ(judge(f).outcome, verdict::pass);
  }
  {
    findings f;  // STARTTLS offered and ignored
    f.count_client_command();
    f.add(1, finding_kind::starttls_offered);
    f.add(2, finding_kind::cleartext_mail, "MAIL FROM:<a@b>");
    EXPECT_EQ(judge(f), (verdict_result{verdict::fail,
                                        "sent in cleartext: MAIL FROM:<a@b> although STARTTLS "
                                        "was offered"}));
  }
  {
    findings f;  // nothing offered, nothing changed: cannot tell
    f.count_client_command();
    f.add(1, finding_kind::cleartext_credentials, "USER bob");
    f.add(2, finding_kind::server_closed);
    EXPECT_EQ(judge(f).outcome, verdict::error);
  }
}

}  // namespace
}  // namespace mailtls::mitm
