#include "cli/client_check.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "cli/catalogue.hpp"

namespace mailtls::cli {
namespace {
namespace fs = std::filesystem;

TEST(client_check, shell_quote_survives_quotes) {
  EXPECT_EQ(shell_quote("abc"), "'abc'");
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("it's $HOME; rm -rf /"), "'it'\\''s $HOME; rm -rf /'");
}

TEST(client_check, substitute_replaces_known_placeholders_quoted) {
  const std::map<std::string, std::string> v = {
      {"url", "smtp://127.0.0.1:2525"}, {"port", "2525"}, {"ca", "/tmp/a b/ca.pem"}};
  EXPECT_EQ(substitute("curl {url} --cacert {ca} -x {other} {port}{port} {", v),
            "curl 'smtp://127.0.0.1:2525' --cacert '/tmp/a b/ca.pem' -x {other} '2525''2525' {");
}

TEST(client_check, url_schemes_follow_clients) {
  EXPECT_EQ(url_scheme("smtp"), "smtp");
  EXPECT_EQ(url_scheme("submission"), "smtp");
  EXPECT_EQ(url_scheme("submissions"), "smtps");
  EXPECT_EQ(url_scheme("imaps"), "imaps");
  EXPECT_EQ(url_scheme("pop3"), "pop3");
}

TEST(client_check, catalogue_filters_by_role) {
  std::string tmpl = (fs::temp_directory_path() / "mailtls-cc-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const fs::path dir = fs::path(tmpl) / "scenarios";
  fs::create_directories(dir);
  const std::string head = "title: t\nservices: smtp\nrefs: RFC 3207\nkeywords: k\nseverity: low\n";
  std::ofstream(dir / "a-client.scn") << "id: a-client\n" << head << "S: 220 *\n";
  std::ofstream(dir / "b-server.scn") << "id: b-server\n" << head << "role: server\nS: 220 x\n";
  const auto client = load_catalogue(dir);
  ASSERT_EQ(client.files.size(), 1u);
  EXPECT_EQ(client.files[0].parsed.id_, "a-client");
  const auto server = load_catalogue(dir, role_filter::server);
  ASSERT_EQ(server.files.size(), 1u);
  EXPECT_EQ(server.files[0].parsed.id_, "b-server");
  EXPECT_EQ(load_catalogue(dir, role_filter::all).files.size(), 2u);
  fs::remove_all(dir.parent_path());
}

TEST(client_check, usage_errors_exit_2) {
  client_check_options o;
  EXPECT_EQ(run_client_check(o), 2);  // no --exec
  o.exec = "true";
  o.service = "smtps";
  EXPECT_EQ(run_client_check(o), 2);  // unknown service
  o.service.clear();
  o.only = {"no-such-scenario"};
  EXPECT_EQ(run_client_check(o), 2);  // nothing selected
}

}  // namespace
}  // namespace mailtls::cli
