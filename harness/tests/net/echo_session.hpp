// A tiny line-based server_session for the net layer's tests.
//
//   greeting        "hello\r\n"
//   STARTTLS        "GO\r\n", start_tls, and everything pipelined after the line is discarded
//                   (RFC 3207 §4.2); inside TLS: "ERR tls active\r\n"
//   QUIT            "BYE\r\n", close
//   SLEEP           pause 50 ms, then "AWAKE\r\n"
//   BEGIN ... END   a "transaction": a shutdown during it waits for END ("DONE\r\n")
//   anything else   echoed upper-cased
//   idle timeout    "TIMEOUT\r\n", close;  shutdown: "SHUTDOWN\r\n", close
// What the session saw is recorded in a shared, thread-safe probe for the test to inspect.
#pragma once

#include <cctype>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "session/server_session.hpp"

namespace mailtls::net::test {

struct echo_probe {
  mutable std::mutex mutex;
  std::vector<std::string> lines;  // every complete line acted on
  std::size_t discarded = 0;       // bytes dropped after STARTTLS
  std::string tls_version;
  std::string tls_failure;
  bool implicit_tls = false;
  std::string peer_address;
  int connects = 0;

  std::vector<std::string> seen() const {
    std::lock_guard lock(mutex);
    return lines;
  }
  template <class F>
  auto with(F&& f) const {
    std::lock_guard lock(mutex);
    return f(*this);
  }
};

class echo_session final : public session::server_session {
 public:
  echo_session(std::shared_ptr<echo_probe> probe, std::uint32_t idle_ms)
      : probe_(std::move(probe)), idle_ms_(idle_ms) {}

  void on_connect(const session::connection_facts& facts, session::actions& out) override {
    {
      std::lock_guard lock(probe_->mutex);
      probe_->implicit_tls = facts.implicit_tls;
      probe_->peer_address = facts.peer_address;
      ++probe_->connects;
    }
    tls_ = facts.implicit_tls;
    out.emplace_back(session::send{"hello\r\n"});
    out.emplace_back(session::read{idle_ms_});
  }

  void on_bytes(std::string_view bytes, session::actions& out) override {
    if (closed_) return;
    buffer_.append(bytes);
    if (buffer_.size() > 64 * 1024) buffer_.clear();  // bounded; the tests never get here
    std::size_t pos;
    while ((pos = buffer_.find("\r\n")) != std::string::npos) {
      std::string line = buffer_.substr(0, pos);
      buffer_.erase(0, pos + 2);
      {
        std::lock_guard lock(probe_->mutex);
        probe_->lines.push_back(line);
      }
      if (line == "STARTTLS") {
        if (tls_) {
          out.emplace_back(session::send{"ERR tls active\r\n"});
          continue;
        }
        out.emplace_back(session::send{"GO\r\n"});
        out.emplace_back(session::start_tls{});
        if (!buffer_.empty()) {
          out.emplace_back(session::log{
              session::log_level::warn,
              "discarded " + std::to_string(buffer_.size()) + " bytes pipelined after STARTTLS"});
          std::lock_guard lock(probe_->mutex);
          probe_->discarded += buffer_.size();
        }
        buffer_.clear();
        return;  // no read: the driver reports the TLS outcome
      }
      if (line == "QUIT") {
        out.emplace_back(session::send{"BYE\r\n"});
        out.emplace_back(session::close{});
        closed_ = true;
        return;
      }
      if (line == "SLEEP") {
        out.emplace_back(session::pause{50});
        out.emplace_back(session::send{"AWAKE\r\n"});
        continue;
      }
      if (line == "BEGIN") {
        in_transaction_ = true;
        out.emplace_back(session::send{"OK\r\n"});
        continue;
      }
      if (line == "END") {
        in_transaction_ = false;
        out.emplace_back(session::send{"DONE\r\n"});
        if (shutdown_pending_) {
          shut(out);
          return;
        }
        continue;
      }
      for (auto& c : line)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.emplace_back(session::send{line + "\r\n"});
    }
    out.emplace_back(session::read{idle_ms_});
  }

  void on_tls_established(const session::tls_facts& facts, session::actions& out) override {
    tls_ = true;
    {
      std::lock_guard lock(probe_->mutex);
      probe_->tls_version = facts.version;
    }
    out.emplace_back(session::read{idle_ms_});
  }

  void on_tls_failed(std::string_view reason, session::actions& out) override {
    {
      std::lock_guard lock(probe_->mutex);
      probe_->tls_failure = std::string(reason);
    }
    closed_ = true;
    out.emplace_back(session::close{});
  }

  void on_timeout(session::actions& out) override {
    out.emplace_back(session::send{"TIMEOUT\r\n"});
    out.emplace_back(session::close{});
    closed_ = true;
  }

  void on_shutdown(session::actions& out) override {
    if (in_transaction_) {
      shutdown_pending_ = true;  // finish the transaction first
      return;
    }
    shut(out);
  }

  bool tls_active() const override { return tls_; }
  bool authenticated() const override { return false; }
  bool closed() const override { return closed_; }

 private:
  void shut(session::actions& out) {
    out.emplace_back(session::send{"SHUTDOWN\r\n"});
    out.emplace_back(session::close{});
    closed_ = true;
  }

  std::shared_ptr<echo_probe> probe_;
  std::uint32_t idle_ms_;
  std::string buffer_;
  bool tls_ = false;
  bool closed_ = false;
  bool in_transaction_ = false;
  bool shutdown_pending_ = false;
};

}  // namespace mailtls::net::test
