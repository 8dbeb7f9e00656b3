#include "store/maildir_folder.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <map>

#include "store/durable_file.hpp"
#include "store/maildir_names.hpp"
#include "store/uidlist.hpp"

namespace mailtls::server::store {
namespace {

std::error_code last_error() {
  return {errno, std::system_category()};
}

constexpr std::size_t max_uidlist_size = 64 * 1024 * 1024;

struct found_file {
  std::string path;  // relative to the folder
  std::uint64_t size = 0;
  std::int64_t mtime = 0;
};

bool usable_name(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// Lists the regular files of <folder>/<sub> with usable names.
std::error_code list_directory(const std::string& dir, std::vector<std::string>& names) {
  names.clear();
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return last_error();
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(d);
    if (e == nullptr) break;
    if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN) continue;
    if (usable_name(e->d_name)) names.emplace_back(e->d_name);
  }
  const int err = errno;
  ::closedir(d);
  if (err != 0) return {err, std::system_category()};
  return {};
}

bool stat_file(const std::string& path, found_file& f) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  f.size = static_cast<std::uint64_t>(st.st_size);
  f.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec);
  return true;
}

std::uint32_t validity_from(std::int64_t now, std::uint32_t old) {
  std::uint32_t v = now <= 0 ? 1u
                    : now >= std::numeric_limits<std::uint32_t>::max()
                        ? std::numeric_limits<std::uint32_t>::max() - 1
                        : static_cast<std::uint32_t>(now);
  if (v <= old && old < std::numeric_limits<std::uint32_t>::max()) v = old + 1;
  return v == 0 ? 1u : v;
}

// The uid_validity of a damaged list, if its first number is readable.
std::uint32_t salvage_validity(std::string_view text) {
  std::uint32_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') break;
    if (v > (std::numeric_limits<std::uint32_t>::max() - 9) / 10) return v;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return v;
}

}  // namespace

folder_lock& folder_lock::operator=(folder_lock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

folder_lock::~folder_lock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

std::error_code maildir_folder::create() const {
  for (const char* sub : {"/tmp", "/new", "/cur"}) {
    if (auto ec = make_directories(path_ + sub, 0700)) return ec;
  }
  return {};
}

bool maildir_folder::exists() const {
  for (const char* sub : {"/tmp", "/new", "/cur"}) {
    struct stat st {};
    if (::stat((path_ + sub).c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  }
  return true;
}

std::error_code maildir_folder::lock(folder_lock& out) const {
  const auto file = path_ + "/" + uidlist_lock_name;
  folder_lock l;
  l.fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (l.fd_ < 0) return last_error();
  while (::flock(l.fd_, LOCK_EX) != 0) {
    if (errno != EINTR) return last_error();
  }
  out = std::move(l);
  return {};
}

std::error_code maildir_folder::write_tmp(std::string_view message, const std::string& unique,
                                          std::optional<std::int64_t> mtime) const {
  return write_new_file(path_ + "/tmp/" + unique, message, 0600, mtime);
}

std::error_code maildir_folder::publish(const std::string& unique, const char* sub,
                                        const std::string& name) const {
  const auto from = path_ + "/tmp/" + unique;
  const auto dir = path_ + "/" + sub;
  if (::rename(from.c_str(), (dir + "/" + name).c_str()) != 0) return last_error();
  // Without this fsync the rename could be lost in a crash after the 250/OK reply.
  return fsync_directory(dir);
}

std::optional<std::string> maildir_folder::locate(std::string_view base) const {
  std::vector<std::string> names;
  for (const char* sub : {"cur", "new"}) {
    if (list_directory(path_ + "/" + sub, names)) continue;
    for (const auto& n : names) {
      if (split_file_name(n).base == base) return std::string(sub) + "/" + n;
    }
  }
  return std::nullopt;
}

std::error_code maildir_folder::sync(const folder_lock& held, bool move_new_to_cur,
                                     std::int64_t now, folder_index& out) const {
  if (!held.held()) return std::make_error_code(std::errc::operation_not_permitted);
  const auto list_path = path_ + "/" + uidlist_file_name;
  std::string text;
  uidlist list;
  bool changed = false;
  if (auto ec = read_whole_file(list_path, text, max_uidlist_size)) {
    if (ec != std::errc::no_such_file_or_directory) return ec;
    list.uid_validity = validity_from(now, 0);
    changed = true;
  } else if (parse_uidlist(text, list)) {
    list = uidlist{};
    list.uid_validity = validity_from(now, salvage_validity(text));
    changed = true;
  }

  // Scan new/ first (moving its files to cur/), then cur/, so a moved file is seen once.
  std::map<std::string, found_file, std::less<>> files;
  std::vector<std::string> names;
  if (auto ec = list_directory(path_ + "/new", names)) return ec;
  for (const auto& n : names) {
    const auto base = std::string(split_file_name(n).base);
    found_file f;
    f.path = "new/" + n;
    if (move_new_to_cur) {
      // A name that already carries an info keeps it.
      const auto to = "cur/" + (n.find(':') == std::string::npos ? cur_file_name(base, "") : n);
      if (::rename((path_ + "/" + f.path).c_str(), (path_ + "/" + to).c_str()) == 0) {
        continue;  // found again in cur/
      }
      if (errno == ENOENT) continue;
    }
    if (stat_file(path_ + "/" + f.path, f)) files.emplace(base, std::move(f));
  }
  if (auto ec = list_directory(path_ + "/cur", names)) return ec;
  for (const auto& n : names) {
    found_file f;
    f.path = "cur/" + n;
    if (stat_file(path_ + "/" + f.path, f)) {
      files.insert_or_assign(std::string(split_file_name(n).base), std::move(f));
    }
  }

  std::vector<uidlist_entry> kept;
  kept.reserve(list.entries.size());
  for (auto& e : list.entries) {
    if (files.count(e.base) != 0) {
      kept.push_back(std::move(e));
    } else {
      changed = true;
    }
  }
  std::vector<std::pair<std::int64_t, std::string>> fresh;
  {
    std::vector<std::string_view> listed;
    for (const auto& e : kept)
      listed.push_back(e.base);
    std::sort(listed.begin(), listed.end());
    for (const auto& [base, f] : files) {
      if (!std::binary_search(listed.begin(), listed.end(), std::string_view(base))) {
        fresh.emplace_back(f.mtime, base);
      }
    }
  }
  std::sort(fresh.begin(), fresh.end());
  if (!fresh.empty() && std::numeric_limits<std::uint32_t>::max() - list.uid_next <= fresh.size()) {
    // UIDs exhausted: renumber everything under a new uid_validity (RFC 9051 §2.3.1.1).
    std::vector<std::pair<std::int64_t, std::string>> all;
    for (const auto& [base, f] : files)
      all.emplace_back(f.mtime, base);
    std::sort(all.begin(), all.end());
    fresh = std::move(all);
    kept.clear();
    list.uid_validity = validity_from(now, list.uid_validity);
    list.uid_next = 1;
  }
  for (auto& [mtime, base] : fresh) {
    kept.push_back({list.uid_next++, std::move(base)});
    changed = true;
  }
  list.entries = std::move(kept);
  if (changed) {
    text.clear();
    serialize_uidlist(list, text);
    if (auto ec = replace_file(list_path, text, 0600)) return ec;
  }

  out.uid_validity = list.uid_validity;
  out.uid_next = list.uid_next;
  out.messages.clear();
  out.messages.reserve(list.entries.size());
  for (auto& e : list.entries) {
    auto& f = files.find(e.base)->second;
    out.messages.push_back({e.uid, std::move(e.base), std::move(f.path), f.size, f.mtime});
  }
  return {};
}

std::error_code deliver_to_folders(const std::vector<const maildir_folder*>& folders,
                                   std::string_view message, std::string_view host) {
  if (folders.empty()) return {};
  const auto unique = make_unique_name(host);
  const auto& first = *folders.front();
  if (auto ec = first.write_tmp(message, unique)) return ec;
  const auto source = first.path() + "/tmp/" + unique;
  std::vector<std::string> published;
  auto undo = [&](std::error_code ec) {
    for (const auto& p : published)
      ::unlink(p.c_str());
    ::unlink(source.c_str());
    return ec;
  };
  for (std::size_t i = 1; i < folders.size(); ++i) {
    const auto target = folders[i]->path() + "/new/" + unique;
    if (::link(source.c_str(), target.c_str()) != 0) {
      if (errno != EXDEV) return undo(last_error());
      if (auto ec = folders[i]->write_tmp(message, unique)) return undo(ec);
      if (::rename((folders[i]->path() + "/tmp/" + unique).c_str(), target.c_str()) != 0) {
        const auto ec = last_error();
        ::unlink((folders[i]->path() + "/tmp/" + unique).c_str());
        return undo(ec);
      }
    }
    published.push_back(target);
    if (auto ec = fsync_directory(folders[i]->path() + "/new")) return undo(ec);
  }
  const auto first_target = first.path() + "/new/" + unique;
  if (::rename(source.c_str(), first_target.c_str()) != 0) return undo(last_error());
  published.push_back(first_target);
  // Without this fsync the rename could be lost in a crash after the 250 reply.
  if (auto ec = fsync_directory(first.path() + "/new")) return undo(ec);
  return {};
}

}  // namespace mailtls::server::store
