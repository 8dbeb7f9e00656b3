// The production `backend` (session/backend.hpp): accounts from a postfix-accounts.cf file,
// mail in Maildirs under a state directory, remote mail in an outbound spool.
//
//   <state>/mail/<domain>/<local>/{tmp,new,cur}       INBOX
//   <state>/mail/<domain>/<local>/.<Folder>/{tmp,new,cur}   other mailboxes (Maildir++)
//   <state>/spool/{tmp,outbound}/                      remote recipients (spool.hpp)
//
// Thread safety: every member may be called from several threads at once. The account table is
// behind a shared mutex (reload_accounts() replaces it); deliveries use unique names and need no
// lock; mailbox UID lists are guarded by a flock() per folder (maildir_folder.hpp). A mailbox
// object itself is used by one session (thread) at a time.
#pragma once

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "session/backend.hpp"
#include "store/accounts.hpp"
#include "store/maildir_folder.hpp"

namespace mailtls::server::store {

struct maildir_backend_config {
  std::string state_dir;                             // created if missing (mode 0700)
  std::string accounts_file;                         // postfix-accounts.cf format; must exist
  std::vector<std::string> extra_domains;            // served in addition to the accounts' domains
  std::string host_name = "localhost";               // the last part of unique file names
  std::size_t max_message_size = 256 * 1024 * 1024;  // mailbox::read() limit
};

class maildir_backend final : public backend {
 public:
  // nullptr on error; `message` then says what failed ("file:line: ..." for the accounts file).
  static std::unique_ptr<maildir_backend> open(maildir_backend_config config, std::error_code& ec,
                                               std::string& message);

  // Re-reads the accounts file (after add-user, on SIGHUP). On error the old table stays.
  std::error_code reload_accounts(std::string& message);
  // Creates a Maildir++ folder for an existing user (INBOX always exists).
  std::error_code create_mailbox(std::string_view user, std::string_view name);
  // <state>/mail/<domain>/<local> for an account address (normalised).
  std::string user_directory(std::string_view address) const;
  std::string spool_directory() const { return config_.state_dir + "/spool"; }
  const maildir_backend_config& config() const { return config_; }

  bool is_local_domain(std::string_view domain) const override;
  bool has_user(std::string_view address) const override;
  std::optional<std::string> authenticate(std::string_view user,
                                          std::string_view password) override;
  // Local recipients (deduplicated) get one hard-linked file each in their INBOX's new/; remote
  // ones one spool file together. A recipient in a local domain without an account is
  // store_errc::no_such_user and nothing is written.
  std::error_code deliver(const envelope& env, std::string_view message) override;
  std::vector<std::string> list_mailboxes(std::string_view user) override;
  std::unique_ptr<mailbox> open_mailbox(std::string_view user, std::string_view name) override;
  std::int64_t now() const override;

 private:
  explicit maildir_backend(maildir_backend_config config) : config_(std::move(config)) {}
  // The folder of `name` for `user` (who must exist); nullopt for an invalid name.
  std::optional<maildir_folder> folder_of(std::string_view user, std::string_view name) const;

  maildir_backend_config config_;
  mutable std::shared_mutex accounts_mutex_;
  account_table accounts_;
  std::vector<std::string> domains_;  // lower case, sorted
};

}  // namespace mailtls::server::store
