#include "cli/reference_server.hpp"

// Boost 1.81's Process v2 with BOOST_PROCESS_USE_STD_FS names boost::optional and std type traits
// without including them.
#include <boost/optional.hpp>
#include <type_traits>
// clang-format off
#include <boost/asio/io_context.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>
// clang-format on
#include <boost/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace mailtls::cli {
namespace bp = boost::process::v2;
namespace fs = std::filesystem;

namespace {

constexpr const char* test_user = "mailtls@mailtls.test";
constexpr const char* server_hostname = "mail.mailtls.test";
constexpr std::size_t max_state_file = 64 * 1024;

std::optional<std::string> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::string s(max_state_file, '\0');
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

std::string tail(const fs::path& p, std::size_t n = 2000) {
  auto s = slurp(p).value_or("");
  return s.size() > n ? "..." + s.substr(s.size() - n) : s;
}

std::string random_password() {
  std::random_device rd;
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 24; ++i)
    s += hex[rd() % 16];
  return s;
}

bool write_private(const fs::path& p, const std::string& text) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const auto n = ::write(fd, text.data(), text.size());
  ::close(fd);
  return n == static_cast<ssize_t>(text.size());
}

// Runs `exe args` to completion with stdio to `log`; returns the exit code (-1: could not run).
int run_to_end(const fs::path& exe, const std::vector<std::string>& args, const fs::path& log) {
  boost::asio::io_context ctx;
  FILE* out = std::fopen(log.c_str(), "ab");
  if (out == nullptr) return -1;
  try {
    bp::process proc(ctx, exe, args, bp::process_stdio{nullptr, out, out});
    const int code = proc.wait();
    std::fclose(out);
    return code;
  } catch (const std::exception&) {
    std::fclose(out);
    return -1;
  }
}

// A process that exited but was not reaped yet (a zombie) counts as gone.
bool process_alive(int pid) {
  if (pid <= 0) return false;
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == pid) return false;  // our child, now reaped
  if (::kill(pid, 0) != 0) return errno == EPERM;
  const auto stat = slurp(fs::path("/proc") / std::to_string(pid) / "stat");
  if (stat) {
    const auto close = stat->rfind(')');
    if (close != std::string::npos && close + 2 < stat->size() && (*stat)[close + 2] == 'Z') {
      return false;
    }
  }
  return true;
}

}  // namespace

fs::path find_server_binary(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("MAILTLS_SERVER"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const auto self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto sibling = self.parent_path() / "mailtls-server";
    if (::access(sibling.c_str(), X_OK) == 0) return sibling;
  }
  return MAILTLS_SERVER_BINARY;
}

std::optional<reference_target> start_reference_server(const reference_options& o,
                                                       std::string& error) {
  std::error_code ec;
  fs::create_directories(o.state_dir / "server", ec);
  if (ec) {
    error = o.state_dir.string() + ": " + ec.message();
    return std::nullopt;
  }
  if (::access(o.server_binary.c_str(), X_OK) != 0) {
    error = "cannot run the reference server " + o.server_binary.string() +
            " (build it, or give --server-binary)";
    return std::nullopt;
  }
  const auto log = o.state_dir / "server.log";
  const auto ports_file = o.state_dir / "ports.json";
  fs::remove(ports_file, ec);
  const auto server_state = o.state_dir / "server";
  const auto password = random_password();
  if (!write_private(o.state_dir / "password", password + "\n")) {
    error = (o.state_dir / "password").string() + ": " + std::strerror(errno);
    return std::nullopt;
  }
  // The account the login scenarios use, made by the server's own add-user command.
  const int added =
      run_to_end(o.server_binary,
                 {"add-user", "--accounts", (server_state / "postfix-accounts.cf").string(),
                  "--password-file", (o.state_dir / "password").string(), test_user},
                 log);
  if (added != 0) {
    error = "mailtls-server add-user failed (exit " + std::to_string(added) + "): " + tail(log);
    return std::nullopt;
  }

  // Room for many parallel scenario connections from 127.0.0.1 (`mailtls check` runs 128 at
  // once, `repeat:` scenarios 20 each); extra_args come later and may change it.
  std::vector<std::string> args{"--state-dir",
                                server_state.string(),
                                "--ports-file",
                                ports_file.string(),
                                "--hostname",
                                server_hostname,
                                "--max-connections",
                                "2000",
                                "--max-connections-per-ip",
                                "1000"};
  for (const char* s : {"smtp", "submission", "submissions", "pop3", "pop3s", "imap", "imaps"}) {
    args.push_back("--listen");
    args.push_back(std::string(s) + "=127.0.0.1:0");
  }
  args.insert(args.end(), o.extra_args.begin(), o.extra_args.end());

  FILE* out = std::fopen(log.c_str(), "ab");
  if (out == nullptr) {
    error = log.string() + ": " + std::strerror(errno);
    return std::nullopt;
  }
  int pid = 0;
  {
    boost::asio::io_context ctx;
    try {
      bp::process proc(ctx, o.server_binary, args, bp::process_stdio{nullptr, out, out});
      pid = proc.id();
      proc.detach();
    } catch (const std::exception& e) {
      std::fclose(out);
      error = "cannot start " + o.server_binary.string() + ": " + e.what();
      return std::nullopt;
    }
  }
  std::fclose(out);

  // Bounded wait: the ports file appears once every listener is bound.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.wait_ms);
  while (!fs::exists(ports_file) && std::chrono::steady_clock::now() < deadline) {
    if (!process_alive(pid)) {
      error = "mailtls-server exited during start-up: " + tail(log);
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!fs::exists(ports_file)) {
    ::kill(pid, SIGKILL);
    process_alive(pid);
    error = "mailtls-server did not bind its ports within " + std::to_string(o.wait_ms) +
            " ms: " + tail(log);
    return std::nullopt;
  }

  boost::json::object info{{"pid", pid},
                           {"host", "127.0.0.1"},
                           {"user", test_user},
                           {"servername", server_hostname},
                           {"ca_file", (server_state / "tls" / "ca.pem").string()}};
  std::ofstream(o.state_dir / "reference.json") << boost::json::serialize(info) << "\n";
  return load_reference_state(o.state_dir, error);
}

std::optional<reference_target> load_reference_state(const fs::path& dir, std::string& error) {
  const auto info_text = slurp(dir / "reference.json");
  const auto ports_text = slurp(dir / "ports.json");
  const auto password = slurp(dir / "password");
  if (!info_text || !ports_text || !password) {
    error = dir.string() +
            ": not a reference-server state folder (start one with `mailtls "
            "reference start --state " +
            dir.string() + "`)";
    return std::nullopt;
  }
  boost::system::error_code ec1, ec2;
  const auto info = boost::json::parse(*info_text, ec1);
  const auto ports = boost::json::parse(*ports_text, ec2);
  if (ec1 || ec2 || !info.is_object() || !ports.is_object()) {
    error = (dir / "reference.json").string() + ": malformed";
    return std::nullopt;
  }
  reference_target t;
  t.state_dir = dir;
  const auto& io = info.as_object();
  auto str = [&](const char* key) -> std::string {
    const auto* v = io.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  t.host = str("host");
  t.user = str("user");
  t.servername = str("servername");
  t.ca_file = str("ca_file");
  if (const auto* p = io.if_contains("pid"); p != nullptr && p->is_int64()) {
    t.pid = static_cast<int>(p->as_int64());
  }
  for (const auto& [name, value] : ports.as_object()) {
    if (value.is_int64() && value.as_int64() > 0 && value.as_int64() < 65536) {
      t.ports[std::string(name)] = static_cast<std::uint16_t>(value.as_int64());
    }
  }
  t.password = *password;
  while (!t.password.empty() && (t.password.back() == '\n' || t.password.back() == '\r')) {
    t.password.pop_back();
  }
  if (t.host.empty() || t.ports.empty()) {
    error = (dir / "reference.json").string() + ": no host or ports";
    return std::nullopt;
  }
  return t;
}

bool stop_reference_server(const fs::path& dir, std::string& error) {
  const auto t = load_reference_state(dir, error);
  if (!t) return false;
  if (!process_alive(t->pid)) {
    error = "no reference server runs as pid " + std::to_string(t->pid);
    return false;
  }
  ::kill(t->pid, SIGTERM);
  for (int i = 0; i < 500 && process_alive(t->pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (process_alive(t->pid)) {
    ::kill(t->pid, SIGKILL);
    for (int i = 0; i < 100 && process_alive(t->pid); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    error = "the reference server ignored SIGTERM for 10 s and was killed";
    return false;
  }
  return true;
}

}  // namespace mailtls::cli

namespace mailtls::cli {

std::optional<std::vector<std::string>> list_bug_modes(const fs::path& server_binary,
                                                       std::string& error) {
  char tmpl[] = "/tmp/mailtls-bugs-XXXXXX";
  const int fd = ::mkstemp(tmpl);
  if (fd < 0) {
    error = "cannot create a temporary file";
    return std::nullopt;
  }
  ::close(fd);
  const fs::path out = tmpl;
  const int code = run_to_end(server_binary, {"--inject-bug", "list"}, out);
  const auto text = slurp(out).value_or("");
  fs::remove(out);
  if (code != 0) {
    error =
        server_binary.string() + " --inject-bug list failed (exit " + std::to_string(code) + ")";
    return std::nullopt;
  }
  // "  smtp-starttls-injection     SMTP: commands pipelined ..." after a heading line.
  std::vector<std::string> modes;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find('\n', pos), text.size());
    const std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    if (!line.starts_with("  ")) continue;
    const auto name_end = line.find(' ', 2);
    const auto name =
        line.substr(2, name_end == std::string_view::npos ? line.size() - 2 : name_end - 2);
    if (!name.empty() &&
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos) {
      modes.emplace_back(name);
    }
  }
  if (modes.empty()) {
    error = server_binary.string() + " --inject-bug list printed no bug modes";
    return std::nullopt;
  }
  return modes;
}

}  // namespace mailtls::cli
