// `mailtls mitm` (harness/cli/mitm.cpp) end to end: the bundled reference server behind the
// proxy, one client connection, the console lines, report.json and the exit status.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "cli/mitm.hpp"
#include "line_client.hpp"

namespace mailtls::cli {
namespace {
namespace fs = std::filesystem;

TEST(MitmCommand, StripAgainstTheBundledServerFailsTheClientAndWritesTheReport) {
  std::string tmpl = (fs::temp_directory_path() / "mailtls-mitm-cli-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const fs::path out = fs::path(tmpl) / "report";

  mitm_options o;
  o.attack = "strip-starttls";
  o.service = "submission";
  o.count = 1;
  o.timeout_ms = 5'000;
  o.out = out.string();
  std::promise<std::uint16_t> port;
  o.on_listening = [&](std::uint16_t p) { port.set_value(p); };
  auto status = std::async(std::launch::async, [&] { return run_mitm(o); });

  auto got = port.get_future();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  {
    mitm::test::line_client c(got.get());
    ASSERT_TRUE(c.connected());
    c.read_reply("220 ");
    c.send("EHLO client.test\r\n");
    const std::string ehlo = c.read_reply("250 ");
    EXPECT_EQ(ehlo.find("STARTTLS"), std::string::npos) << ehlo;
    c.send("AUTH PLAIN AGJvYgBzM2NyZXQ=\r\n");
    c.read_reply("");
    c.send("QUIT\r\n");
    c.read_reply("221 ");
  }
  ASSERT_EQ(status.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_EQ(status.get(), 1);  // a connection failed

  std::ifstream f(out / "report.json");
  std::stringstream text;
  text << f.rdbuf();
  const boost::json::value doc = boost::json::parse(text.str());
  EXPECT_EQ(doc.at("attack").as_string(), "strip-starttls");
  EXPECT_EQ(doc.at("summary").at("fail").as_int64(), 1);
  const auto& conn = doc.at("connections").as_array().at(0);
  EXPECT_EQ(conn.at("verdict").as_string(), "fail");
  const auto& findings = conn.at("findings").as_array();
  ASSERT_GE(findings.size(), 2u);
  EXPECT_EQ(findings.at(1).at("kind").as_string(), "cleartext-credentials");
  EXPECT_EQ(findings.at(1).at("detail").as_string(), "AUTH PLAIN <redacted>");
  EXPECT_EQ(text.str().find("AGJvYgBzM2NyZXQ="), std::string::npos);  // the secret stays out
  fs::remove_all(tmpl);
}

TEST(MitmCommand, UsageErrors) {
  mitm_options o;
  o.listen = "127.0.0.1";
  EXPECT_EQ(run_mitm(o), 2);
  o.listen = "127.0.0.1:0";
  o.upstream = "imaps://127.0.0.1:993";
  o.attack = "strip-starttls";
  EXPECT_EQ(run_mitm(o), 2);  // RFC 8314: nothing to strip on implicit TLS
  o.upstream = "gopher://x";
  o.attack = "none";
  EXPECT_EQ(run_mitm(o), 2);
}

}  // namespace
}  // namespace mailtls::cli
