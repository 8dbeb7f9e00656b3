#include "report/json.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "sample_run.hpp"
#include "schema_check.hpp"

namespace mailtls::report {
namespace {

using test::sample_run;
namespace js = boost::json;

std::string read_schema() {
  // harness/tests/report/ -> repository root.
  const auto path = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / "results" /
                    "schema" / "report.schema.json";
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

js::value parse(const std::string& text) {
  boost::system::error_code ec;
  js::value v = js::parse(text, ec);
  EXPECT_FALSE(ec) << ec.message() << "\n" << text;
  return v;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v)
    s += e + "\n";
  return s;
}

class ReportJson : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string s = read_schema();
    ASSERT_FALSE(s.empty()) << "results/schema/report.schema.json not found";
    schema_ = parse(s);
    ASSERT_TRUE(schema_.is_object());
  }
  js::value schema_;
};

TEST_F(ReportJson, TopLevelFields) {
  const std::string text = to_json(sample_run());
  const js::value v = parse(text);
  const js::object& o = v.as_object();
  EXPECT_EQ(o.at("schema_version").as_int64(), json_schema_version);
  EXPECT_EQ(o.at("run_id").as_string(), "20261129T140512Z-3f2a");
  EXPECT_EQ(o.at("started_at").as_string(), "2026-11-29T14:05:12Z");
  EXPECT_EQ(o.at("duration_ms").to_number<std::uint64_t>(), 3204u);
  EXPECT_EQ(o.at("tool_version").as_string(), "mailtls 0.1.0");
  EXPECT_EQ(o.at("profile").as_string(), "default");

  const js::array& targets = o.at("targets").as_array();
  ASSERT_EQ(targets.size(), 3u);
  const js::object& t0 = targets[0].as_object();
  EXPECT_EQ(t0.at("index").to_number<int>(), 0);
  EXPECT_EQ(t0.at("url").as_string(), "submission://127.0.0.1:5587");
  EXPECT_EQ(t0.at("service").as_string(), "submission");
  EXPECT_EQ(t0.at("protocol").as_string(), "smtp");
  EXPECT_EQ(t0.at("implicit_tls").as_bool(), false);
  EXPECT_EQ(t0.at("port").to_number<int>(), 5587);
  EXPECT_EQ(t0.at("summary").at("fail").to_number<int>(), 1);
  EXPECT_EQ(t0.at("summary").at("total").to_number<int>(), 2);
  EXPECT_EQ(targets[1].at("implicit_tls").as_bool(), true);
  EXPECT_EQ(targets[2].at("summary").at("skip").to_number<int>(), 1);

  const js::object& sum = o.at("summary").as_object();
  EXPECT_EQ(sum.at("total").to_number<int>(), 5);
  EXPECT_EQ(sum.at("pass").to_number<int>(), 2);
  EXPECT_EQ(sum.at("fail").to_number<int>(), 1);
  EXPECT_EQ(sum.at("error").to_number<int>(), 1);
  EXPECT_EQ(sum.at("skip").to_number<int>(), 1);
  EXPECT_EQ(sum.at("exit_status").to_number<int>(), 1);
  EXPECT_EQ(o.at("cases").as_array().size(), 5u);
}

TEST_F(ReportJson, CaseFields) {
  const js::value v = parse(to_json(sample_run()));
  const js::array& cases = v.at("cases").as_array();

  const js::object& pass = cases[0].as_object();
  EXPECT_EQ(pass.at("scenario").at("id").as_string(), "smtp-ehlo");
  EXPECT_EQ(pass.at("scenario").at("keywords").as_array().size(), 2u);
  EXPECT_EQ(pass.at("outcome").as_string(), "pass");
  EXPECT_EQ(pass.at("limit").as_string(), "none");
  const js::object& tls = pass.at("tls").as_object();
  EXPECT_EQ(tls.at("version").as_string(), "TLSv1.3");
  EXPECT_EQ(tls.at("established").as_bool(), true);
  EXPECT_EQ(tls.at("certificate").at("dns_names").as_array()[1].as_string(), "localhost");
  EXPECT_EQ(tls.at("certificate").at("not_after").to_number<std::int64_t>(), 1893456000);
  EXPECT_EQ(tls.at("certificate").at("key_bits").to_number<int>(), 256);
  const js::array& tr = pass.at("transcript").as_array();
  ASSERT_EQ(tr.size(), 7u);
  EXPECT_EQ(tr[6].at("dir").as_string(), "TLS");
  EXPECT_EQ(tr[6].at("at_ms").to_number<int>(), 9);
  EXPECT_EQ(tr[1].at("dir").as_string(), "C");
  EXPECT_EQ(tr[1].at("text").as_string(), "EHLO client.example");

  const js::object& fail = cases[1].as_object();
  EXPECT_EQ(fail.at("outcome").as_string(), "fail");
  EXPECT_EQ(fail.at("reason").as_string(), "expected a reply 530 or 538, got 235");
  EXPECT_EQ(fail.at("location").at("file").as_string(), "scenarios/smtp-auth-before-tls.scn");
  EXPECT_EQ(fail.at("location").at("line").to_number<int>(), 14);
  EXPECT_EQ(fail.at("expected").as_string(), "S: {530,538} *");
  EXPECT_EQ(fail.at("got").as_string(), "235 2.7.0 Authentication successful");
  EXPECT_EQ(fail.at("notes").as_array()[0].as_string(), "503 accepted: tolerated reply");
  EXPECT_EQ(fail.at("scenario").at("refs").as_array()[1].as_string(), "RFC 3207 §4");
  EXPECT_EQ(fail.at("target").at("url").as_string(), "submission://127.0.0.1:5587");
  EXPECT_EQ(fail.at("target").at("service").as_string(), "submission");
  EXPECT_EQ(fail.at("duration_ms").to_number<int>(), 31);
  EXPECT_FALSE(fail.contains("tls"));  // no handshake attempted
  EXPECT_EQ(fail.at("transcript").as_array()[3].at("text").as_string(),
            "AUTH PLAIN <redacted:sasl_plain>");

  const js::object& error = cases[2].as_object();
  EXPECT_EQ(error.at("outcome").as_string(), "error");
  EXPECT_EQ(error.at("limit").as_string(), "step-timeout");
  EXPECT_EQ(error.at("target").at("index").to_number<int>(), 1);
  EXPECT_EQ(error.at("tls").at("failure").as_string(), "unsupported protocol");
  EXPECT_EQ(error.at("tls").at("implicit").as_bool(), true);
  EXPECT_EQ(error.at("transcript").as_array()[1].at("dir").as_string(), "--");

  EXPECT_EQ(cases[3].at("outcome").as_string(), "skip");
  EXPECT_EQ(cases[3].at("reason").as_string(), "needs credentials");
}

TEST_F(ReportJson, PrettyPrintedWithTwoSpaces) {
  const std::string text = to_json(sample_run());
  EXPECT_EQ(text.substr(0, 24), "{\n  \"schema_version\": 1,");
  EXPECT_NE(text.find("\n    {\n      \"index\": 0,\n      \"url\": "), std::string::npos);
  EXPECT_NE(text.find("\"refs\": [],"), std::string::npos);  // empty arrays stay on one line
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\t'), std::string::npos);
}

TEST_F(ReportJson, ConformsToTheSchema) {
  test::schema_check checker(schema_.as_object());
  EXPECT_EQ(joined(checker.check(parse(to_json(sample_run())))), "");
  EXPECT_EQ(joined(checker.check(parse(to_json(run{})))), "");
}

TEST_F(ReportJson, SchemaCheckerCatchesViolations) {
  test::schema_check checker(schema_.as_object());
  js::value v = parse(to_json(sample_run()));
  v.as_object().erase("run_id");
  v.at("cases").as_array()[0].as_object()["outcome"] = "maybe";
  v.at("cases").as_array()[1].at("transcript").as_array()[0].as_object()["dir"] = "X";
  v.at("cases").as_array()[1].as_object()["surprise"] = 1;
  v.at("targets").as_array()[0].as_object()["port"] = "5587";
  v.at("cases").as_array()[0].at("tls").as_object().erase("certificate");
  v.at("summary").as_object()["exit_status"] = 2;
  const auto errors = checker.check(v);
  const std::string all = joined(errors);
  EXPECT_EQ(errors.size(), 7u) << all;
  EXPECT_NE(all.find("$: missing required run_id"), std::string::npos) << all;
  EXPECT_NE(all.find("$.cases[0].outcome: \"maybe\" not in enum"), std::string::npos) << all;
  EXPECT_NE(all.find("$.cases[1].transcript[0].dir"), std::string::npos) << all;
  EXPECT_NE(all.find("$.cases[1].surprise: not allowed"), std::string::npos) << all;
  EXPECT_NE(all.find("$.targets[0].port: not of type"), std::string::npos) << all;
  EXPECT_NE(all.find("$.cases[0].tls: missing required certificate"), std::string::npos) << all;
  EXPECT_NE(all.find("$.summary.exit_status"), std::string::npos) << all;
}

TEST_F(ReportJson, SchemaRequiresEveryPropertyItDescribes) {
  // "exactly what to_json writes": every described property is required, except `tls`, which is
  // present only when a handshake was attempted.
  const std::function<void(const js::value&, const std::string&)> walk =
      [&](const js::value& n, const std::string& at) {
        if (const js::object* o = n.if_object()) {
          if (const auto* props = o->if_contains("properties")) {
            std::set<std::string> required;
            if (const auto* req = o->if_contains("required")) {
              for (const auto& k : req->as_array())
                required.insert(std::string(k.as_string()));
            }
            for (const auto& kv : props->as_object()) {
              const std::string key(kv.key());
              if (key == "tls") continue;
              EXPECT_TRUE(required.count(key)) << at << "." << key << " is not required";
            }
            EXPECT_NE(o->if_contains("additionalProperties"), nullptr) << at;
          }
          for (const auto& kv : *o)
            walk(kv.value(), at + "/" + std::string(kv.key()));
        }
      };
  walk(schema_, "#");
}

TEST_F(ReportJson, HostileTextStaysValidJson) {
  run r = sample_run();
  r.cases[1].result.transcript.push_back({40, test::dir::server, test::hostile_text()});
  r.cases[1].result.v.got = "\xc3";
  const std::string text = to_json(r);
  const js::value v = parse(text);
  const auto& tr = v.at("cases").as_array()[1].at("transcript").as_array();
  const std::string got(tr.back().at("text").as_string());
  EXPECT_EQ(got.find('\xff'), std::string::npos);
  EXPECT_NE(got.find("\\xFF\\xFE\\xC3(\\xED\\xA0\\x80 end"), std::string::npos) << got;
  EXPECT_EQ(got.substr(0, 11), "]]> <script");
  EXPECT_EQ(got.find(std::string(1, '\0')) != std::string::npos, true);  // NUL kept, JSON-escaped
  EXPECT_NE(text.find("\\u0000"), std::string::npos);
  EXPECT_EQ(v.at("cases").as_array()[1].at("got").as_string(), "\\xC3");
  test::schema_check checker(schema_.as_object());
  EXPECT_EQ(joined(checker.check(v)), "");
}

}  // namespace
}  // namespace mailtls::report
