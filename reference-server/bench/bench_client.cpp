#include "bench_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <utility>

namespace mailtls::bench {

client_conn::client_conn(client_conn&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      engine_(std::move(other.engine_)),
      inbuf_(std::move(other.inbuf_)),
      error_(std::move(other.error_)) {
  other.engine_.reset();
}

client_conn& client_conn::operator=(client_conn&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    engine_ = std::move(other.engine_);
    other.engine_.reset();
    inbuf_ = std::move(other.inbuf_);
    error_ = std::move(other.error_);
  }
  return *this;
}

client_conn::~client_conn() {
  close();
}

bool client_conn::fail(std::string why) {
  if (error_.empty()) error_ = std::move(why);
  return false;
}

bool client_conn::wait(short events, clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) return fail("timeout");
    pollfd p{fd_, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return fail(std::string("poll: ") + std::strerror(errno));
  }
}

bool client_conn::connect(const std::string& host, std::uint16_t port, clock::time_point deadline) {
  close();
  error_.clear();
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1) {
    return fail("not an IPv4 address: " + host);
  }
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return fail(std::string("socket: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
    if (errno != EINPROGRESS) return fail(std::string("connect: ") + std::strerror(errno));
    if (!wait(POLLOUT, deadline)) return false;
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return fail(std::string("connect: ") + std::strerror(err));
  }
  return true;
}

bool client_conn::write_all(std::string_view bytes, clock::time_point deadline) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait(POLLOUT, deadline)) return false;
    } else if (n < 0 && errno != EINTR) {
      return fail(std::string("send: ") + std::strerror(errno));
    }
  }
  return true;
}

bool client_conn::read_some(std::string& out, clock::time_point deadline) {
  char buf[16384];
  for (;;) {
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) return fail("connection closed by the server");
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait(POLLIN, deadline)) return false;
    } else if (errno != EINTR) {
      return fail(std::string("recv: ") + std::strerror(errno));
    }
  }
}

bool client_conn::flush_tls(clock::time_point deadline) {
  std::string out;
  engine_->take_ciphertext(out);
  return out.empty() || write_all(out, deadline);
}

bool client_conn::start_tls(const tls::context& ctx, clock::time_point deadline) {
  inbuf_.clear();  // RFC 3207 §4.2: nothing read before the upgrade is used afterwards
  engine_.emplace(ctx);
  std::string raw;
  for (;;) {
    if (!flush_tls(deadline)) return false;
    if (engine_->failed()) return fail("TLS handshake failed: " + engine_->error_reason());
    if (engine_->handshake_done()) return true;
    raw.clear();
    if (!read_some(raw, deadline)) return false;
    if (auto ec = engine_->feed_ciphertext(raw)) {
      return fail("TLS handshake failed: " + engine_->error_reason() + " (" + ec.message() + ")");
    }
  }
}

bool client_conn::send(std::string_view bytes, clock::time_point deadline) {
  if (!engine_) return write_all(bytes, deadline);
  while (!bytes.empty()) {
    // Keep each chunk well below engine_limits::max_output.
    const auto chunk = bytes.substr(0, 64 * 1024);
    if (auto ec = engine_->write_plaintext(chunk)) return fail("TLS write: " + ec.message());
    if (!flush_tls(deadline)) return false;
    bytes.remove_prefix(chunk.size());
  }
  return true;
}

int client_conn::read_reply(clock::time_point deadline, std::string* text) {
  std::string raw;
  for (;;) {
    // RFC 5321 §4.2.1: every line but the last has "-" after the code.
    std::size_t pos = 0;
    for (;;) {
      const auto eol = inbuf_.find("\r\n", pos);
      if (eol == std::string::npos) break;
      const std::string_view line(inbuf_.data() + pos, eol - pos);
      if (line.size() < 3) {
        fail("malformed reply line");
        return 0;
      }
      if (line.size() == 3 || line[3] == ' ') {
        int code = 0;
        std::from_chars(line.data(), line.data() + 3, code);
        if (text != nullptr) text->assign(inbuf_, 0, eol + 2);
        inbuf_.erase(0, eol + 2);
        if (code == 0) fail("malformed reply code");
        return code;
      }
      pos = eol + 2;
    }
    if (inbuf_.size() > 64 * 1024) {
      fail("reply too long");
      return 0;
    }
    if (engine_ && engine_->peer_closed()) {
      fail("TLS close_notify from the server before a complete reply");
      return 0;
    }
    raw.clear();
    if (!read_some(raw, deadline)) return 0;
    if (!engine_) {
      inbuf_ += raw;
      continue;
    }
    std::string_view rest = raw;
    while (!rest.empty()) {
      const auto before = engine_->stats().ciphertext_in;
      const auto ec = engine_->feed_ciphertext(rest);
      const auto taken = static_cast<std::size_t>(engine_->stats().ciphertext_in - before);
      engine_->read_plaintext(inbuf_);
      if (ec && ec != tls::errc::input_buffer_full) {
        fail("TLS read: " + ec.message() + " " + engine_->error_reason());
        return 0;
      }
      if (ec && taken == 0 && engine_->pending_plaintext() == 0) {
        fail("TLS input stuck");
        return 0;
      }
      rest.remove_prefix(ec ? taken : rest.size());
    }
    if (!flush_tls(deadline)) return 0;  // e.g. KeyUpdate answers
  }
}

bool client_conn::command(std::string_view line, int expect, clock::time_point deadline) {
  if (!send(line, deadline)) return false;
  std::string text;
  const int code = read_reply(deadline, &text);
  if (code == 0) return false;
  if (code != expect) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
    std::string cmd(line.substr(0, line.find(' ')));
    while (!cmd.empty() && (cmd.back() == '\n' || cmd.back() == '\r'))
      cmd.pop_back();
    return fail(cmd + ": expected " + std::to_string(expect) + ", got: " + text);
  }
  return true;
}

void client_conn::close() {
  if (fd_ >= 0) {
    if (engine_ && engine_->handshake_done() && !engine_->failed()) {
      // Best effort close_notify (RFC 8446 §6.1); never blocks.
      if (!engine_->shutdown()) {
        std::string out;
        engine_->take_ciphertext(out);
        [[maybe_unused]] const auto n = ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
      }
    }
    ::close(fd_);
    fd_ = -1;
  }
  engine_.reset();
  inbuf_.clear();
}

std::string base64(std::string_view in) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const auto v = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(in[i + 2]));
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (const auto rest = in.size() - i; rest > 0) {
    auto v = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
    if (rest == 2) v |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += rest == 2 ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

long vm_rss_kib(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      const auto first = line.find_first_of("0123456789");
      if (first == std::string::npos) return -1;
      long kib = -1;
      std::from_chars(line.data() + first, line.data() + line.size(), kib);
      return kib;
    }
  }
  return -1;
}

std::uint64_t raise_nofile(std::uint64_t want) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  if (rl.rlim_cur >= want) return rl.rlim_cur;
  rlimit up = rl;
  up.rlim_cur = want;
  if (up.rlim_max < want) up.rlim_max = want;  // works when privileged
  if (::setrlimit(RLIMIT_NOFILE, &up) != 0) {
    up = rl;
    up.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &up);
  }
  ::getrlimit(RLIMIT_NOFILE, &rl);
  return rl.rlim_cur;
}

}  // namespace mailtls::bench
