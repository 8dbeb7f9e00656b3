// A tiny line-based server_session for the client driver's tests (runs in a net::runtime).
//
//   greeting      "220 ready\r\n" (after greet_delay_ms, if set)
//   STARTTLS      "220 go\r\n", start_tls (anything pipelined after it is discarded)
//   QUIT          "221 bye\r\n", close
//   HANGUP        close without a word
//   SILENT        no answer, keep reading
//   anything else "250 <line>\r\n"
//   TLS failed, idle timeout, shutdown: close
#pragma once

#include <string>

#include "session/server_session.hpp"

namespace mailtls::client::test {

class script_server final : public session::server_session {
 public:
  explicit script_server(std::uint32_t greet_delay_ms) : greet_delay_ms_(greet_delay_ms) {}

  void on_connect(const session::connection_facts& facts, session::actions& out) override {
    tls_ = facts.implicit_tls;
    if (greet_delay_ms_ != 0) out.emplace_back(session::pause{greet_delay_ms_});
    out.emplace_back(session::send{"220 ready\r\n"});
    out.emplace_back(session::read{idle_ms});
  }

  void on_bytes(std::string_view bytes, session::actions& out) override {
    buffer_.append(bytes);
    std::size_t pos;
    while ((pos = buffer_.find("\r\n")) != std::string::npos) {
      const std::string line = buffer_.substr(0, pos);
      buffer_.erase(0, pos + 2);
      if (line == "STARTTLS" && !tls_) {
        out.emplace_back(session::send{"220 go\r\n"});
        out.emplace_back(session::start_tls{});
        buffer_.clear();  // RFC 3207 §4.2
        return;
      }
      if (line == "QUIT") {
        out.emplace_back(session::send{"221 bye\r\n"});
        return close(out);
      }
      if (line == "HANGUP") return close(out);
      if (line == "SILENT") continue;
      out.emplace_back(session::send{"250 " + line + "\r\n"});
    }
    out.emplace_back(session::read{idle_ms});
  }

  void on_tls_established(const session::tls_facts&, session::actions& out) override {
    tls_ = true;
    out.emplace_back(session::read{idle_ms});
  }
  void on_tls_failed(std::string_view, session::actions& out) override { close(out); }
  void on_timeout(session::actions& out) override { close(out); }
  void on_shutdown(session::actions& out) override { close(out); }

  bool tls_active() const override { return tls_; }
  bool authenticated() const override { return false; }
  bool closed() const override { return closed_; }

 private:
  static constexpr std::uint32_t idle_ms = 10'000;

  void close(session::actions& out) {
    out.emplace_back(session::close{});
    closed_ = true;
  }

  std::uint32_t greet_delay_ms_;
  std::string buffer_;
  bool tls_ = false;
  bool closed_ = false;
};

}  // namespace mailtls::client::test
