// An in-memory backend for unit tests and fuzz targets: accounts with plaintext passwords, one
// INBOX per user (plus any mailboxes created by name), a list of delivered envelopes, and a clock
// that only moves when told to.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "session/backend.hpp"

namespace mailtls::server {

class memory_backend final : public backend {
 public:
  struct stored_message {
    message_entry entry;
    std::string content;
  };
  struct folder {
    std::uint32_t uid_validity = 1;
    std::uint32_t uid_next = 1;
    std::vector<stored_message> messages;
  };
  struct delivery {
    envelope env;
    std::string message;
  };

  void add_domain(std::string domain);
  // Creates the account (address user@domain) with an empty INBOX.
  void add_user(std::string address, std::string password);
  // Puts a message straight into a user's INBOX (test set-up).
  void add_message(const std::string& address, std::string content, std::uint8_t flags = 0);
  void set_now(std::int64_t t) { now_ = t; }
  // When set, deliver() fails with this error (a full disk, say).
  void fail_deliveries(std::error_code ec) { fail_ = ec; }

  const std::vector<delivery>& deliveries() const { return deliveries_; }
  const std::vector<delivery>& spooled() const { return spooled_; }
  folder* find_folder(const std::string& address, const std::string& name);
  std::size_t authentications() const { return authentications_; }

  bool is_local_domain(std::string_view domain) const override;
  bool has_user(std::string_view address) const override;
  std::optional<std::string> authenticate(std::string_view user,
                                          std::string_view password) override;
  std::error_code deliver(const envelope& env, std::string_view message) override;
  std::vector<std::string> list_mailboxes(std::string_view user) override;
  std::unique_ptr<mailbox> open_mailbox(std::string_view user, std::string_view name) override;
  std::int64_t now() const override { return now_; }

 private:
  std::vector<std::string> domains_;                              // lower case
  std::map<std::string, std::string> passwords_;                  // address (lower case) -> pw
  std::map<std::string, std::map<std::string, folder>> folders_;  // address -> name -> folder
  std::vector<delivery> deliveries_;
  std::vector<delivery> spooled_;
  std::error_code fail_{};
  std::int64_t now_ = 1'700'000'000;
  std::size_t authentications_ = 0;
  std::uint64_t next_unique_ = 1;
};

// Lower-cases the domain part (after the last '@') and returns the result.
std::string normalize_address(std::string_view address);

}  // namespace mailtls::server
