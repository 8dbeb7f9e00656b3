// Runs the real mailtls-server on ephemeral loopback ports for integration tests (Boost.Process
// v2), and runs real mail clients from Debian packages against it.
#pragma once

// Boost 1.81's Process v2 with BOOST_PROCESS_USE_STD_FS names boost::optional and std type traits
// without including them.
#include <boost/optional.hpp>
#include <type_traits>
// clang-format off
#include <boost/asio/io_context.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>
// clang-format on

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mailtls::test {

struct command_result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `program args...` to completion (each client is bounded by its own timeout option),
// feeding `input` on stdin. The program is looked up on PATH.
command_result run_command(const std::string& program, const std::vector<std::string>& args,
                           const std::string& input = {});

class server_process {
 public:
  // Starts mailtls-server with every listener on 127.0.0.1:0 and a fresh state directory, and
  // waits (bounded) for its ports file.
  explicit server_process(const std::vector<std::string>& extra_args = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  std::uint16_t port(const std::string& service) const;
  const std::filesystem::path& state_dir() const { return state_dir_; }
  std::filesystem::path ca_file() const { return state_dir_ / "tls" / "ca.pem"; }
  std::string log() const;  // the server's stderr so far
  // SIGTERM, then wait (bounded); returns the exit code.
  int stop();
  // SIGKILL: no chance to flush anything.
  void kill_hard();

 private:
  std::filesystem::path state_dir_;
  std::filesystem::path log_file_;
  std::map<std::string, std::uint16_t> ports_;
  boost::asio::io_context ctx_;
  std::optional<boost::process::v2::process> proc_;
};

}  // namespace mailtls::test
