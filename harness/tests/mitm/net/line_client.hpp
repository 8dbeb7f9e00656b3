// Test helper: a small blocking line client on POSIX sockets (every read bounded by poll()).
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace mailtls::mitm::test {

class line_client {
 public:
  explicit line_client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~line_client() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }
  void send(const std::string& s) {
    ASSERT_EQ(::send(fd_, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
  }
  // Reads until a line starts with `final` (e.g. "250 "), or 5 s pass; returns what was read.
  std::string read_reply(const std::string& final) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (int round = 0; round < 1000 && std::chrono::steady_clock::now() < deadline; ++round) {
      if (has_final(final)) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      got_.append(buf, static_cast<std::size_t>(n));
    }
    std::string out;
    out.swap(got_);
    return out;
  }
  void close() {
    ::close(fd_);
    fd_ = -1;
  }

 private:
  bool has_final(const std::string& final) const {
    std::size_t at = 0;
    while (at < got_.size()) {
      const std::size_t lf = got_.find('\n', at);
      if (lf == std::string::npos) return false;
      if (got_.compare(at, final.size(), final) == 0) return true;
      at = lf + 1;
    }
    return false;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string got_;
};

}  // namespace mailtls::mitm::test
