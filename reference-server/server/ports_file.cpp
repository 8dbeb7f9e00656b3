#include "server/ports_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>

namespace mailtls::server::app {

std::string ports_json(const std::map<std::string, std::uint16_t>& ports) {
  boost::json::object obj;
  for (const auto& [name, port] : ports)
    obj[name] = port;
  return boost::json::serialize(obj) + "\n";
}

bool write_ports_file(const std::string& path, const std::map<std::string, std::uint16_t>& ports,
                      std::string& error) {
  const std::string text = ports_json(ports);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const auto fail = [&](const char* what) {
    error = path + ": " + what + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = path + ": cannot create " + tmp + ": " + std::strerror(errno);
    return false;
  }
  std::size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return fail("write");
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return fail("fsync");
  }
  if (::close(fd) != 0) return fail("close");
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("rename");
  return true;
}

std::optional<std::map<std::string, std::uint16_t>> parse_ports_json(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  std::map<std::string, std::uint16_t> out;
  for (const auto& [key, value] : v.as_object()) {
    if (!value.is_int64() && !value.is_uint64()) return std::nullopt;
    const auto n =
        value.is_int64() ? value.as_int64() : static_cast<std::int64_t>(value.as_uint64());
    if (n < 0 || n > 65535) return std::nullopt;
    out[std::string(key)] = static_cast<std::uint16_t>(n);
  }
  return out;
}

}  // namespace mailtls::server::app
