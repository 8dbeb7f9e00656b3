// A blocking loopback client for the net layer's tests: POSIX socket, poll() with deadlines (no
// sleeps), optional TLS through a client tls::engine. Every wait is bounded.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tls/context.hpp"
#include "tls/engine.hpp"

namespace mailtls::net::test {

using clock = std::chrono::steady_clock;
inline constexpr std::chrono::milliseconds default_wait{5000};

class test_client {
 public:
  explicit test_client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    connect_errno_ = connected_ ? 0 : errno;
  }
  ~test_client() { close(); }
  test_client(const test_client&) = delete;
  test_client& operator=(const test_client&) = delete;

  bool connected() const { return connected_; }
  int connect_errno() const { return connect_errno_; }
  int fd() const { return fd_; }
  bool eof() const { return eof_; }
  tls::engine* tls() { return engine_ ? &*engine_ : nullptr; }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Plaintext, or application data through TLS once start_tls() succeeded.
  bool send(std::string_view bytes) {
    if (engine_) {
      if (engine_->write_plaintext(bytes)) return false;
      std::string out;
      engine_->take_ciphertext(out);
      return send_raw(out);
    }
    return send_raw(bytes);
  }

  bool send_raw(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // The next line including its CRLF, or "" on EOF / timeout.
  std::string read_line(std::chrono::milliseconds wait = default_wait) {
    const auto deadline = clock::now() + wait;
    for (;;) {
      const auto pos = plain_.find("\r\n");
      if (pos != std::string::npos) {
        std::string line = plain_.substr(0, pos + 2);
        plain_.erase(0, pos + 2);
        return line;
      }
      if (!fill(deadline)) return {};
    }
  }

  // Reads (and keeps) everything until the peer closes; false on timeout.
  bool wait_eof(std::chrono::milliseconds wait = default_wait) {
    const auto deadline = clock::now() + wait;
    while (!eof_) {
      if (!fill(deadline) && !eof_) return false;
    }
    return true;
  }
  const std::string& pending_plaintext() const { return plain_; }

  // Client handshake over the socket; true when it completed.
  bool start_tls(const tls::context& ctx, std::chrono::milliseconds wait = default_wait) {
    engine_.emplace(ctx);
    const auto deadline = clock::now() + wait;
    for (;;) {
      std::string out;
      engine_->take_ciphertext(out);
      if (!out.empty() && !send_raw(out)) return false;
      if (engine_->handshake_done()) return true;
      if (engine_->failed()) return false;
      if (!fill(deadline)) return false;
    }
  }

  // Waits until the socket is readable or the deadline passes; reads once. Ciphertext is fed to
  // the engine (and anything it wants to send is sent). False on timeout, EOF or error.
  bool fill(clock::time_point deadline) {
    if (eof_ || fd_ < 0) return false;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      eof_ = true;
      if (engine_) eof_closed_by_tls_ = engine_->peer_closed();
      return false;
    }
    const std::string_view bytes(buf, static_cast<std::size_t>(n));
    raw_received_ += bytes.size();
    if (engine_) {
      engine_->feed_ciphertext(bytes);
      std::string out;
      engine_->take_ciphertext(out);
      if (!out.empty()) send_raw(out);
      engine_->read_plaintext(plain_);
    } else {
      plain_.append(bytes);
    }
    return true;
  }

  // At EOF: whether the TLS peer had sent close_notify before it.
  bool close_notify_before_eof() const { return eof_closed_by_tls_; }
  std::size_t raw_received() const { return raw_received_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  int connect_errno_ = 0;
  bool eof_ = false;
  bool eof_closed_by_tls_ = false;
  std::size_t raw_received_ = 0;
  std::string plain_;
  std::optional<tls::engine> engine_;
};

}  // namespace mailtls::net::test
