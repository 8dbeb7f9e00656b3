#include "store/durable_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "store/errc.hpp"

namespace mailtls::server::store {
namespace {

std::error_code last_error() {
  return {errno, std::system_category()};
}

// Closes a descriptor when it goes out of scope.
class fd_guard {
 public:
  explicit fd_guard(int fd) : fd_(fd) {}
  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;
  ~fd_guard() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports close()'s error (it can carry a deferred write error).
  std::error_code close() {
    const int fd = fd_;
    fd_ = -1;
    if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) return last_error();
    return {};
  }

 private:
  int fd_;
};

std::error_code write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const auto n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

std::error_code fill_file(int fd, std::string_view content, std::optional<std::int64_t> mtime) {
  if (auto ec = write_all(fd, content)) return ec;
  if (mtime) {
    timespec times[2];
    times[0].tv_sec = static_cast<time_t>(*mtime);
    times[0].tv_nsec = 0;
    times[1] = times[0];
    if (::futimens(fd, times) != 0) return last_error();
  }
  // The data must be on disk before the name that publishes it (rename) is.
  if (::fsync(fd) != 0) return last_error();
  return {};
}

}  // namespace

std::string parent_directory(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::error_code write_new_file(const std::string& path, std::string_view content, mode_t mode,
                               std::optional<std::int64_t> mtime) {
  fd_guard fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (fd.get() < 0) return last_error();
  auto ec = fill_file(fd.get(), content, mtime);
  if (!ec) ec = fd.close();
  if (ec) ::unlink(path.c_str());
  return ec;
}

std::error_code fsync_directory(const std::string& dir) {
  fd_guard fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return last_error();
  if (::fsync(fd.get()) != 0) return last_error();
  return fd.close();
}

std::error_code replace_file(const std::string& path, std::string_view content, mode_t mode) {
  const auto dir = parent_directory(path);
  const auto slash = path.rfind('/');
  const auto base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string temp = dir + "/." + base + ".tmp.XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  fd_guard fd(::mkostemp(name.data(), O_CLOEXEC));
  if (fd.get() < 0) return last_error();
  temp.assign(name.data());
  std::error_code ec;
  if (::fchmod(fd.get(), mode) != 0) ec = last_error();
  if (!ec) ec = fill_file(fd.get(), content, std::nullopt);
  if (!ec) ec = fd.close();
  if (!ec && ::rename(temp.c_str(), path.c_str()) != 0) ec = last_error();
  if (ec) {
    ::unlink(temp.c_str());
    return ec;
  }
  // The rename itself is only durable once the directory is.
  return fsync_directory(dir);
}

std::error_code read_whole_file(const std::string& path, std::string& out, std::size_t max_size) {
  out.clear();
  fd_guard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return last_error();
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return last_error();
  if (st.st_size < 0 || static_cast<std::uint64_t>(st.st_size) > max_size) {
    return store_errc::file_too_large;
  }
  out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    const auto n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_size) return store_errc::file_too_large;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return {};
}

std::error_code make_directories(const std::string& path, mode_t mode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return {};
    return std::make_error_code(std::errc::not_a_directory);
  }
  if (errno != ENOENT) return last_error();
  const auto parent = parent_directory(path);
  if (parent != path && parent != "/" && parent != ".") {
    if (auto ec = make_directories(parent, mode)) return ec;
  }
  if (::mkdir(path.c_str(), mode) != 0) {
    if (errno == EEXIST) return {};  // created concurrently
    return last_error();
  }
  return fsync_directory(parent);
}

}  // namespace mailtls::server::store
