// The `mailbox` view (session/backend.hpp) of one Maildir folder.
//
//  - messages(): every file of new/ and cur/, in UID order (UIDs from mailtls-uidlist, so they
//    survive restarts). unique_id is the file's unique name (POP3 UIDL) or, for a foreign name
//    that is no valid UIDL, "<uidvalidity>.<uid>"; size is the file size (messages are stored
//    with CRLF line endings exactly as received); internal_date is the file's mtime.
//  - set_flags() renames the file to cur/<unique>:2,<letters>; expunge() unlinks; append()
//    writes durably into tmp/ and renames into cur/ with the flags and mtime = internal_date.
//  - refresh() rescans (picking up new deliveries; moving new/ to cur/ when opened read-write).
// The view only changes in refresh() and expunge(), like memory_backend's.
#pragma once

#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "session/backend.hpp"
#include "store/maildir_folder.hpp"

namespace mailtls::server::store {

struct maildir_mailbox_options {
  std::string host = "localhost";  // for unique names of appended messages
  bool read_write = true;          // move new/ to cur/ on refresh (as IMAP servers do)
  std::size_t max_message_size = 256 * 1024 * 1024;  // read() refuses larger files
};

class maildir_mailbox final : public mailbox {
 public:
  // Syncs the folder (which must exist) and builds the view.
  static std::error_code open(maildir_folder folder, maildir_mailbox_options options,
                              std::unique_ptr<maildir_mailbox>& out);

  std::uint32_t uid_validity() const override { return uid_validity_; }
  std::uint32_t uid_next() const override { return uid_next_; }
  const std::vector<message_entry>& messages() const override { return view_; }
  std::error_code read(std::size_t index, std::string& out) override;
  std::error_code set_flags(std::size_t index, std::uint8_t flags) override;
  std::error_code expunge(std::vector<std::uint32_t>& expunged) override;
  std::error_code append(std::string_view message, std::uint8_t flags,
                         std::int64_t internal_date) override;
  void refresh() override;

  // Like refresh(), with the error.
  std::error_code sync();
  const maildir_folder& folder() const { return folder_; }
  // The file of message `index`, relative to the folder ("cur/<name>" or "new/<name>").
  const std::string& file_of(std::size_t index) const { return paths_[index]; }

 private:
  maildir_mailbox(maildir_folder folder, maildir_mailbox_options options)
      : folder_(std::move(folder)), options_(std::move(options)) {}
  // Finds the current file of message `index` after it was renamed or moved elsewhere.
  bool relocate(std::size_t index);

  maildir_folder folder_;
  maildir_mailbox_options options_;
  std::uint32_t uid_validity_ = 0;
  std::uint32_t uid_next_ = 1;
  std::vector<message_entry> view_;
  std::vector<std::string> bases_;  // parallel to view_
  std::vector<std::string> paths_;  // parallel to view_
};

}  // namespace mailtls::server::store
