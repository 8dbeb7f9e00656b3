#include "store/maildir_mailbox.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "store/durable_file.hpp"
#include "store/errc.hpp"
#include "store/maildir_names.hpp"

namespace mailtls::server::store {
namespace {

std::int64_t clock_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view letters_of(const std::string& path) {
  return split_file_name(std::string_view(path).substr(4)).flag_letters;  // after "cur/"/"new/"
}

}  // namespace

std::error_code maildir_mailbox::open(maildir_folder folder, maildir_mailbox_options options,
                                      std::unique_ptr<maildir_mailbox>& out) {
  if (!folder.exists()) return store_errc::no_such_mailbox;
  std::unique_ptr<maildir_mailbox> box(new maildir_mailbox(std::move(folder), std::move(options)));
  if (auto ec = box->sync()) return ec;
  out = std::move(box);
  return {};
}

std::error_code maildir_mailbox::sync() {
  folder_lock lock;
  if (auto ec = folder_.lock(lock)) return ec;
  folder_index index;
  if (auto ec = folder_.sync(lock, options_.read_write, clock_now(), index)) return ec;
  uid_validity_ = index.uid_validity;
  uid_next_ = index.uid_next;
  view_.clear();
  bases_.clear();
  paths_.clear();
  for (auto& m : index.messages) {
    message_entry e;
    e.uid = m.uid;
    e.unique_id = valid_pop3_unique_id(m.base)
                      ? m.base
                      : std::to_string(uid_validity_) + "." + std::to_string(m.uid);
    e.size = m.size;
    e.internal_date = m.mtime;
    e.flags = m.path.starts_with("cur/") ? flags_from_letters(letters_of(m.path)) : 0;
    view_.push_back(std::move(e));
    bases_.push_back(std::move(m.base));
    paths_.push_back(std::move(m.path));
  }
  return {};
}

void maildir_mailbox::refresh() {
  (void)sync();  // on error the previous view stays
}

bool maildir_mailbox::relocate(std::size_t index) {
  auto where = folder_.locate(bases_[index]);
  if (!where) return false;
  paths_[index] = std::move(*where);
  return true;
}

std::error_code maildir_mailbox::read(std::size_t index, std::string& out) {
  if (index >= view_.size()) return store_errc::bad_index;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto ec =
        read_whole_file(folder_.path() + "/" + paths_[index], out, options_.max_message_size);
    if (ec != std::errc::no_such_file_or_directory) return ec;
    if (!relocate(index)) break;  // renamed by another session: look it up once
  }
  return store_errc::message_gone;
}

std::error_code maildir_mailbox::set_flags(std::size_t index, std::uint8_t flags) {
  if (index >= view_.size()) return store_errc::bad_index;
  folder_lock lock;
  if (auto ec = folder_.lock(lock)) return ec;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto letters = letters_from_flags(flags, letters_of(paths_[index]));
    const auto target = "cur/" + cur_file_name(bases_[index], letters);
    if (target != paths_[index]) {
      const auto from = folder_.path() + "/" + paths_[index];
      if (::rename(from.c_str(), (folder_.path() + "/" + target).c_str()) != 0) {
        if (errno != ENOENT) return {errno, std::system_category()};
        if (!relocate(index)) return store_errc::message_gone;
        continue;
      }
      paths_[index] = target;
    }
    view_[index].flags = flags;
    return {};
  }
  return store_errc::message_gone;
}

std::error_code maildir_mailbox::expunge(std::vector<std::uint32_t>& expunged) {
  expunged.clear();
  folder_lock lock;
  if (auto ec = folder_.lock(lock)) return ec;
  bool removed = false;
  // From the highest sequence number down, so each number is valid when reported
  // (RFC 9051 §7.5.1).
  for (std::size_t i = view_.size(); i-- > 0;) {
    if ((view_[i].flags & flag_deleted) == 0) continue;
    auto path = folder_.path() + "/" + paths_[i];
    if (::unlink(path.c_str()) != 0) {
      if (errno != ENOENT) return {errno, std::system_category()};
      if (relocate(i) && ::unlink((folder_.path() + "/" + paths_[i]).c_str()) != 0 &&
          errno != ENOENT) {
        return {errno, std::system_category()};
      }
    }
    removed = true;
    view_.erase(view_.begin() + static_cast<std::ptrdiff_t>(i));
    bases_.erase(bases_.begin() + static_cast<std::ptrdiff_t>(i));
    paths_.erase(paths_.begin() + static_cast<std::ptrdiff_t>(i));
    expunged.push_back(static_cast<std::uint32_t>(i + 1));
  }
  // So that a crash cannot bring expunged messages back (the UID list drops them on the next
  // sync).
  if (removed) return fsync_directory(folder_.path() + "/cur");
  return {};
}

std::error_code maildir_mailbox::append(std::string_view message, std::uint8_t flags,
                                        std::int64_t internal_date) {
  const auto unique = make_unique_name(options_.host);
  if (auto ec = folder_.write_tmp(message, unique, internal_date)) return ec;
  if (auto ec = folder_.publish(unique, "cur", cur_file_name(unique, letters_from_flags(flags)))) {
    ::unlink((folder_.path() + "/tmp/" + unique).c_str());
    return ec;
  }
  // Number it now, so that the UID is fixed (and uid_next moves) before APPEND's OK.
  folder_lock lock;
  if (auto ec = folder_.lock(lock)) return ec;
  folder_index index;
  if (auto ec = folder_.sync(lock, options_.read_write, clock_now(), index)) return ec;
  if (index.uid_validity != uid_validity_) {
    lock = folder_lock{};
    return sync();  // the list was rebuilt: the old view's UIDs are void
  }
  uid_next_ = index.uid_next;
  // Files this sync moved from new/ to cur/ are found again by relocate() when next used.
  return {};
}

}  // namespace mailtls::server::store
