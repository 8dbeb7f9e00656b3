// Drives a fake-server interpreter step by step: each event returns the actions it produced,
// printed (fake::to_string), so tests compare them exactly.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fake/interpreter.hpp"
#include "scenario/parser.hpp"

namespace mailtls::fake::test {

inline std::string server_file(std::string_view services, std::string_view body) {
  return "id: t\ntitle: t\nservices: " + std::string(services) +
         "\nrefs: RFC 3207\nkeywords: client\nseverity: high\nrole: server\n" + std::string(body);
}

inline scenario::scenario parse_ok(const std::string& text) {
  auto r = scenario::parse(text, "t.scn");
  EXPECT_TRUE(r.ok()) << r.error->to_string();
  return std::move(r.value);
}

inline run_config config_for(runner::service target) {
  run_config c;
  c.target = target;
  c.limits.step_timeout_ms = 5'000;
  c.variables =
      runner::standard_variables("127.0.0.1", 2525, "mail.example.org", "alice", "s3cret");
  c.secret_variables = runner::secret_variable_names();
  return c;
}

inline runner::tls_facts tls_ok() {
  runner::tls_facts f;
  f.established = true;
  f.version = "TLSv1.3";
  f.cipher = "TLS_AES_128_GCM_SHA256";
  return f;
}

inline runner::tls_facts tls_failed(std::string why) {
  runner::tls_facts f;
  f.failure = std::move(why);
  return f;
}

class session {
 public:
  session(std::string_view services, std::string_view body,
          runner::service target = runner::service::submission)
      : s_(parse_ok(server_file(services, body))) {
    it_ = std::make_unique<interpreter>(s_, config_for(target));
  }

  std::uint64_t now = 0;

  std::string start() {
    return run([&](actions& o) { it_->start(now, o); });
  }
  std::string bytes(std::string_view b) {
    return run([&](actions& o) { it_->on_bytes(b, now, o); });
  }
  std::string closed() {
    return run([&](actions& o) { it_->on_closed(now, o); });
  }
  std::string timeout() {
    return run([&](actions& o) { it_->on_timeout(now, o); });
  }
  std::string tls(const runner::tls_facts& f) {
    return run([&](actions& o) { it_->on_tls_done(f, now, o); });
  }
  std::string io_error(std::string_view what) {
    return run([&](actions& o) { it_->on_io_error(what, now, o); });
  }

  bool finished() const { return it_->finished(); }
  const runner::verdict& v() const { return it_->result().v; }
  std::vector<std::string> transcript() const {
    std::vector<std::string> out;
    for (const auto& e : it_->result().transcript)
      out.push_back(std::string(runner::to_name(e.dir)) + " " + e.text);
    return out;
  }
  // Everything a report could show: transcript, reason, expected, got, notes.
  std::string everything() const {
    std::string all;
    for (const auto& l : transcript())
      all += l + "\n";
    all += v().reason + "\n" + v().expected + "\n" + v().got + "\n";
    for (const auto& n : v().notes)
      all += n + "\n";
    return all;
  }

 private:
  template <class F>
  std::string run(F f) {
    actions out;
    const bool was_finished = it_->finished();
    f(out);
    if (was_finished) {
      EXPECT_TRUE(out.empty()) << "actions after finished()";
    }
    return to_string(out);
  }

  scenario::scenario s_;
  std::unique_ptr<interpreter> it_;
};

}  // namespace mailtls::fake::test
