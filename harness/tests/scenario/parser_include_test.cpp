// `include` resolution through a fake loader (parser.hpp).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "scenario/parser.hpp"

namespace mailtls::scenario {
namespace {

struct fake_fs {
  std::map<std::string, std::string, std::less<>> files;
  std::vector<std::string> asked;
  parse_options options() {
    parse_options o;
    o.loader = [this](std::string_view p) -> std::optional<std::string> {
      asked.emplace_back(p);
      const auto it = files.find(p);
      if (it == files.end()) return std::nullopt;
      return it->second;
    };
    return o;
  }
};

TEST(scenario_include, splices_included_statements_with_their_origin) {
  fake_fs fs;
  fs.files["pro.scn"] = "S: 220 *\n\nC: EHLO mailtls.test\ninclude inner.scn\n";
  fs.files["inner.scn"] = "# inner\nS: 250 *\n";
  const auto r = parse("id: x\ninclude pro.scn\nC: QUIT\n", "main.scn", fs.options());
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_EQ(fs.asked, (std::vector<std::string>{"pro.scn", "inner.scn"}));
  EXPECT_EQ(r.value.files_, (std::vector<std::string>{"main.scn", "pro.scn", "inner.scn"}));
  const auto& st = r.value.statements_;
  ASSERT_EQ(st.size(), 4u);
  auto where = [](const statement& s) { return std::pair{s.file_, s.line_}; };
  EXPECT_EQ(where(st[0]), (std::pair<std::size_t, std::size_t>{1, 1}));
  EXPECT_EQ(where(st[1]), (std::pair<std::size_t, std::size_t>{1, 3}));
  EXPECT_EQ(where(st[2]), (std::pair<std::size_t, std::size_t>{2, 2}));
  EXPECT_EQ(where(st[3]), (std::pair<std::size_t, std::size_t>{0, 3}));
  EXPECT_TRUE(std::holds_alternative<expect_reply>(st[2].body_));
}

TEST(scenario_include, the_same_file_may_be_included_twice_in_sequence) {
  fake_fs fs;
  fs.files["noop.scn"] = "C: NOOP\nS: 250 *\n";
  const auto r = parse("include noop.scn\ninclude noop.scn\n", "main.scn", fs.options());
  ASSERT_TRUE(r.ok()) << r.error->to_string();
  EXPECT_EQ(r.value.statements_.size(), 4u);
}

TEST(scenario_include, errors_in_included_files_name_that_file_and_line) {
  fake_fs fs;
  fs.files["bad.scn"] = "C: NOOP\nS: 999 *\n";
  const auto r = parse("C: A\ninclude bad.scn\n", "main.scn", fs.options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->to_string(),
            "bad.scn:2: expected a reply code like 250, 5xx or {530,538}, got '999'");
}

TEST(scenario_include, headers_are_not_allowed_in_included_files) {
  fake_fs fs;
  fs.files["h.scn"] = "title: nope\n";
  const auto r = parse("include h.scn\n", "main.scn", fs.options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, make_error_code(scenario_errc::header_in_include));
  EXPECT_EQ(r.error->to_string(),
            "h.scn:1: expected a statement in an included file, got the header 'title:'");
}

TEST(scenario_include, missing_file_is_reported_at_the_include_line) {
  fake_fs fs;
  const auto r = parse("C: A\n  include nowhere.scn\n", "main.scn", fs.options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, make_error_code(scenario_errc::include_not_found));
  EXPECT_EQ(r.error->column, 3u);
  EXPECT_EQ(r.error->to_string(),
            "main.scn:2: expected an included file, got nothing for 'nowhere.scn'");
}

TEST(scenario_include, detects_a_cycle) {
  fake_fs fs;
  fs.files["a.scn"] = "C: A\ninclude b.scn\n";
  fs.files["b.scn"] = "\n\ninclude a.scn\n";
  const auto r = parse("include a.scn\n", "main.scn", fs.options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, make_error_code(scenario_errc::include_cycle));
  EXPECT_EQ(r.error->to_string(),
            "b.scn:3: expected no include cycle, got main.scn -> a.scn -> b.scn -> a.scn");
}

TEST(scenario_include, detects_a_file_including_itself_and_the_main_file) {
  fake_fs fs;
  fs.files["self.scn"] = "include self.scn\n";
  EXPECT_EQ(parse("include self.scn\n", "m.scn", fs.options()).error->to_string(),
            "self.scn:1: expected no include cycle, got m.scn -> self.scn -> self.scn");
  fs.files["back.scn"] = "include m.scn\n";
  EXPECT_EQ(parse("include back.scn\n", "m.scn", fs.options()).error->to_string(),
            "back.scn:1: expected no include cycle, got m.scn -> back.scn -> m.scn");
}

TEST(scenario_include, depth_is_limited) {
  fake_fs fs;
  // d0 includes d1 includes d2 ... : an acyclic chain deeper than the limit.
  for (int i = 0; i < 10; ++i) {
    fs.files["d" + std::to_string(i) + ".scn"] = "include d" + std::to_string(i + 1) + ".scn\n";
  }
  fs.files["d10.scn"] = "C: END\n";
  auto o = fs.options();
  o.limits.max_include_depth = 3;
  const auto r = parse("include d0.scn\n", "m.scn", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, make_error_code(scenario_errc::include_depth_exceeded));
  EXPECT_EQ(r.error->to_string(),
            "d2.scn:1: expected includes nested at most 3 deep, got 'include d3.scn' deeper");
  o.limits.max_include_depth = 11;
  EXPECT_TRUE(parse("include d0.scn\n", "m.scn", o).ok());
}

TEST(scenario_include, total_includes_are_limited) {
  fake_fs fs;
  // Each level includes the next one twice: 2 + 4 + 8 + ... includes without a cycle.
  for (int i = 0; i < 8; ++i) {
    const auto next = "include w" + std::to_string(i + 1) + ".scn\n";
    fs.files["w" + std::to_string(i) + ".scn"] = next + next;
  }
  fs.files["w8.scn"] = "C: X\n";
  auto o = fs.options();
  o.limits.max_includes = 20;
  o.limits.max_include_depth = 20;
  const auto r = parse("include w0.scn\n", "m.scn", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, make_error_code(scenario_errc::too_many_includes));
  EXPECT_EQ(fs.asked.size(), 20u);  // the loader is not called past the limit
}

}  // namespace
}  // namespace mailtls::scenario
