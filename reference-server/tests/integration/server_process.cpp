#include "server_process.hpp"

#include <unistd.h>
#include <boost/json/parse.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace bp = boost::process::v2;

namespace mailtls::test {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first executable `program` on PATH (empty when none).
std::filesystem::path find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const std::filesystem::path candidate =
        std::filesystem::path(std::string(rest.substr(0, colon))) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return {};
}

std::filesystem::path make_temp_dir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "mailtls-it-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

}  // namespace

command_result run_command(const std::string& program, const std::vector<std::string>& args,
                           const std::string& input) {
  boost::asio::io_context ctx;
  const auto dir = make_temp_dir();
  const auto in_file = dir / "stdin";
  const auto out_file = dir / "stdout";
  std::ofstream(in_file, std::ios::binary) << input;
  const auto exe = program.find('/') != std::string::npos ? std::filesystem::path(program)
                                                          : find_on_path(program);
  if (exe.empty()) throw std::runtime_error("not on PATH: " + program);
  FILE* in = std::fopen(in_file.c_str(), "rb");
  FILE* out = std::fopen(out_file.c_str(), "wb");
  bp::process proc(ctx, exe, args, bp::process_stdio{in, out, out});
  command_result r;
  r.exit_code = proc.wait();
  std::fclose(in);
  std::fclose(out);
  r.output = slurp(out_file);
  std::filesystem::remove_all(dir);
  return r;
}

server_process::server_process(const std::vector<std::string>& extra_args) {
  state_dir_ = make_temp_dir();
  log_file_ = state_dir_ / "server.log";
  const auto ports_file = state_dir_ / "ports.json";
  std::vector<std::string> args{"--state-dir",       state_dir_.string(), "--ports-file",
                                ports_file.string(), "--log-level",       "debug"};
  for (const char* s : {"smtp", "submission", "submissions", "pop3", "pop3s", "imap", "imaps"}) {
    args.push_back("--listen");
    args.push_back(std::string(s) + "=127.0.0.1:0");
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  FILE* log_out = std::fopen(log_file_.c_str(), "wb");
  proc_.emplace(ctx_, MAILTLS_SERVER_BINARY, args, bp::process_stdio{nullptr, log_out, log_out});
  std::fclose(log_out);
  // Bounded wait for the ports file, written once every listener is bound.
  for (int i = 0; i < 200 && !std::filesystem::exists(ports_file); ++i) {
    if (!proc_->running()) {
      proc_.reset();  // exited (and reaped): nothing to stop later
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!std::filesystem::exists(ports_file)) {
    throw std::runtime_error("mailtls-server did not write its ports file; log:\n" + log());
  }
  const auto json = boost::json::parse(slurp(ports_file)).as_object();
  for (const auto& [name, value] : json) {
    ports_[std::string(name)] = static_cast<std::uint16_t>(value.to_number<int>());
  }
}

server_process::~server_process() {
  if (proc_) stop();
  std::error_code ec;
  std::filesystem::remove_all(state_dir_, ec);
}

std::uint16_t server_process::port(const std::string& service) const {
  const auto it = ports_.find(service);
  if (it == ports_.end()) throw std::runtime_error("no port for " + service);
  return it->second;
}

std::string server_process::log() const {
  return slurp(log_file_);
}

void server_process::kill_hard() {
  if (!proc_) return;
  ::kill(proc_->id(), SIGKILL);
  proc_->wait();
  proc_.reset();
}

int server_process::stop() {
  if (!proc_) return -1;
  ::kill(proc_->id(), SIGTERM);
  // running() reaps the child once it has exited: ask it once per round and remember the answer.
  bool running = proc_->running();
  for (int i = 0; i < 200 && running; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    running = proc_->running();
  }
  int code;
  if (running) {
    proc_->terminate();
    code = proc_->wait();
  } else {
    code = proc_->exit_code();  // running() already reaped it
  }
  proc_.reset();
  return code;
}

}  // namespace mailtls::test
