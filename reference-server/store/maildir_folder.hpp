// One Maildir on disk (a user's INBOX or a Maildir++ folder of it): tmp/, new/, cur/ and the
// mailtls-uidlist that numbers its messages.
//
// Delivery (https://cr.yp.to/proto/maildir.html): the message is written to tmp/<unique>,
// fsynced, renamed to new/<unique>, and new/ is fsynced; only then does the caller acknowledge.
// Readers never see a partial message because a name in new/ or cur/ only ever points to a
// complete, synced file.
//
// The UID list is read and rewritten under an exclusive flock() on mailtls-uidlist.lock (taken
// by every thread and process that renames or removes files of the folder, so a scan never
// misses a file that is being renamed). Deliveries only add names to new/ and need no lock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace mailtls::server::store {

inline constexpr const char* uidlist_file_name = "mailtls-uidlist";
inline constexpr const char* uidlist_lock_name = "mailtls-uidlist.lock";

// A message found by sync().
struct indexed_message {
  std::uint32_t uid = 0;
  std::string base;  // unique name (before ':')
  std::string path;  // "cur/<name>" or "new/<name>", relative to the folder
  std::uint64_t size = 0;
  std::int64_t mtime = 0;
};

struct folder_index {
  std::uint32_t uid_validity = 0;
  std::uint32_t uid_next = 1;
  std::vector<indexed_message> messages;  // uid ascending
};

// An exclusive flock() on the folder's lock file, released when destroyed.
class folder_lock {
 public:
  folder_lock() = default;
  folder_lock(const folder_lock&) = delete;
  folder_lock& operator=(const folder_lock&) = delete;
  folder_lock(folder_lock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  folder_lock& operator=(folder_lock&& o) noexcept;
  ~folder_lock();
  bool held() const { return fd_ >= 0; }

 private:
  friend class maildir_folder;
  int fd_ = -1;
};

class maildir_folder {
 public:
  explicit maildir_folder(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // Creates the folder with tmp/, new/ and cur/ (mode 0700), each made durable.
  std::error_code create() const;
  // True when tmp/, new/ and cur/ all exist.
  bool exists() const;

  std::error_code lock(folder_lock& out) const;

  // Durable write of tmp/<unique> (mode 0600), mtime set when given.
  std::error_code write_tmp(std::string_view message, const std::string& unique,
                            std::optional<std::int64_t> mtime = std::nullopt) const;
  // Moves tmp/<unique> to <sub>/<name> (sub is "new" or "cur") and fsyncs that directory.
  std::error_code publish(const std::string& unique, const char* sub,
                          const std::string& name) const;

  // Under an already held lock: reads the UID list, scans new/ and cur/ (moving new/ files to
  // cur/<base>:2, when move_new_to_cur), drops entries whose file is gone, numbers files not
  // yet listed in (mtime, name) order, and rewrites the list durably if anything changed. A
  // missing or corrupt list starts over with uid_validity = max(now, old + 1).
  std::error_code sync(const folder_lock& held, bool move_new_to_cur, std::int64_t now,
                       folder_index& out) const;

  // The current "cur/<name>" or "new/<name>" of the message with this base, if any.
  std::optional<std::string> locate(std::string_view base) const;

 private:
  std::string path_;
};

// Delivers one message to several folders (all must exist): written once to the first folder's
// tmp/, hard-linked into the other folders' new/ (a copy when they are on another file system),
// then renamed into the first folder's new/; every new/ is fsynced before this returns. On error
// the copies already made are removed again so that nothing is half-delivered.
std::error_code deliver_to_folders(const std::vector<const maildir_folder*>& folders,
                                   std::string_view message, std::string_view host);

}  // namespace mailtls::server::store
