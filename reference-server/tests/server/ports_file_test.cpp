#include "server/ports_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "server_fixture.hpp"

namespace mailtls::server::app::test {
namespace {

TEST(ports_file, JsonAndAtomicWrite) {
  const std::map<std::string, std::uint16_t> ports{{"smtp", 2525}, {"imaps", 5993}};
  EXPECT_EQ(ports_json(ports), "{\"imaps\":5993,\"smtp\":2525}\n");
  temp_dir dir;
  const auto path = dir.path + "/ports.json";
  std::string error;
  ASSERT_TRUE(write_ports_file(path, ports, error)) << error;
  EXPECT_EQ(read_file(path), "{\"imaps\":5993,\"smtp\":2525}\n");
  EXPECT_EQ(parse_ports_json(read_file(path)), ports);
  // Only the file itself is left (the temporary was renamed).
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path))
    ++n;
  EXPECT_EQ(n, 1u);
}

TEST(ports_file, UnwritableDirectoryNamesThePath) {
  std::string error;
  EXPECT_FALSE(write_ports_file("/nonexistent/dir/ports.json", {{"smtp", 1}}, error));
  EXPECT_EQ(error.rfind("/nonexistent/dir/ports.json: cannot create", 0), 0u) << error;
}

TEST(ports_file, ParseRejectsNonPorts) {
  EXPECT_FALSE(parse_ports_json("[1,2]"));
  EXPECT_FALSE(parse_ports_json("{\"smtp\":\"25\"}"));
  EXPECT_FALSE(parse_ports_json("{\"smtp\":70000}"));
  EXPECT_FALSE(parse_ports_json("{"));
  EXPECT_EQ(parse_ports_json("{}"), (std::map<std::string, std::uint16_t>{}));
}

}  // namespace
}  // namespace mailtls::server::app::test
