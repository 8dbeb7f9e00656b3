// Test fixture for the IMAP server session: a memory backend with one account, helpers that drive
// the session and print what it did (full action transcripts, or only the bytes sent).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "session/imap/imap_session.hpp"
#include "session/memory_backend.hpp"

namespace mailtls::server::imap::test {

namespace act = mailtls::session;

inline const std::string greeting_143 =
    "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS "
    "LOGINDISABLED] mailtls ready\r\n";
inline const std::string caps_tls =
    "IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN";
inline const std::string caps_login =
    "IMAP4rev1 IMAP4rev2 LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE";

inline const std::string msg1 = "Subject: one\r\nFrom: a@example.org\r\n\r\nhello\r\n";
inline const std::string msg2 =
    "Subject: two\r\nX-Long: a\r\n b\r\nFrom: b@example.org\r\n\r\nsecond body\r\n";

class imap_fixture : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_.add_domain("example.org");
    backend_.add_user("alice@example.org", "s3cret");
  }

  void make(listener_kind k, bug_set bugs = {}, bool require_tls = true) {
    config_ = imap_config::for_listener(k, "mx.example.org");
    config_.bugs = bugs;
    config_.require_tls_for_login = require_tls;
    s_ = std::make_unique<imap_session>(backend_, config_);
  }
  void make_with(const imap_config& c) {
    config_ = c;
    s_ = std::make_unique<imap_session>(backend_, config_);
  }

  std::string connect(bool implicit_tls = false) {
    act::actions out;
    s_->on_connect({"192.0.2.1", 40000, implicit_tls}, out);
    return act::to_string(out);
  }
  std::string feed(std::string_view bytes) {
    act::actions out;
    s_->on_bytes(bytes, out);
    return act::to_string(out);
  }
  std::string tls() {
    act::actions out;
    s_->on_tls_established({"TLSv1.3", "TLS_AES_128_GCM_SHA256"}, out);
    return act::to_string(out);
  }
  // Only the bytes sent, concatenated.
  static std::string sent(const act::actions& list) {
    std::string s;
    for (const auto& a : list)
      if (const auto* x = std::get_if<act::send>(&a)) s += x->bytes;
    return s;
  }
  std::string sends(std::string_view bytes) {
    act::actions out;
    s_->on_bytes(bytes, out);
    return sent(out);
  }

  // 993, logged in as alice.
  void login_993() {
    make(listener_kind::imaps);
    connect(true);
    ASSERT_EQ(sends("l LOGIN alice@example.org s3cret\r\n"),
              "l OK [CAPABILITY " + caps_login + "] Logged in\r\n");
  }
  // 993, logged in, INBOX with msg1 (seen) and msg2 (unseen) selected.
  void select_inbox(bool examine = false) {
    backend_.add_message("alice@example.org", msg1, flag_seen);
    backend_.add_message("alice@example.org", msg2);
    login_993();
    ASSERT_NE(sends(examine ? "s EXAMINE INBOX\r\n" : "s SELECT INBOX\r\n"), "");
    ASSERT_TRUE(s_->selected());
  }

  memory_backend backend_;
  imap_config config_;
  std::unique_ptr<imap_session> s_;
};

}  // namespace mailtls::server::imap::test
