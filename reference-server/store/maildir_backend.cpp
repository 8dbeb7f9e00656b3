#include "store/maildir_backend.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <mutex>

#include "session/memory_backend.hpp"
#include "store/durable_file.hpp"
#include "store/errc.hpp"
#include "store/maildir_mailbox.hpp"
#include "store/maildir_names.hpp"
#include "store/spool.hpp"

namespace mailtls::server::store {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

std::vector<std::string> merge_domains(const account_table& accounts,
                                       const std::vector<std::string>& extra) {
  auto out = accounts.domains();
  for (const auto& d : extra)
    out.push_back(lower(d));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::unique_ptr<maildir_backend> maildir_backend::open(maildir_backend_config config,
                                                       std::error_code& ec, std::string& message) {
  std::unique_ptr<maildir_backend> b(new maildir_backend(std::move(config)));
  const auto& state = b->config_.state_dir;
  for (const auto& dir : {state + "/mail", state + "/spool/tmp", state + "/spool/outbound"}) {
    if ((ec = make_directories(dir, 0700))) {
      message = dir + ": " + ec.message();
      return nullptr;
    }
  }
  if ((ec = b->reload_accounts(message))) return nullptr;
  message.clear();
  return b;
}

std::error_code maildir_backend::reload_accounts(std::string& message) {
  account_table table;
  if (auto ec = table.load(config_.accounts_file, message)) return ec;
  auto domains = merge_domains(table, config_.extra_domains);
  std::unique_lock lock(accounts_mutex_);
  accounts_ = std::move(table);
  domains_ = std::move(domains);
  return {};
}

std::string maildir_backend::user_directory(std::string_view address) const {
  const auto a = normalize_address(address);
  const auto at = a.rfind('@');
  return config_.state_dir + "/mail/" + a.substr(at + 1) + "/" + a.substr(0, at);
}

bool maildir_backend::is_local_domain(std::string_view domain) const {
  std::shared_lock lock(accounts_mutex_);
  return std::binary_search(domains_.begin(), domains_.end(), lower(domain));
}

bool maildir_backend::has_user(std::string_view address) const {
  std::shared_lock lock(accounts_mutex_);
  return accounts_.find(address) != nullptr;
}

std::optional<std::string> maildir_backend::authenticate(std::string_view user,
                                                         std::string_view password) {
  std::shared_lock lock(accounts_mutex_);
  return accounts_.authenticate(user, password);
}

std::optional<maildir_folder> maildir_backend::folder_of(std::string_view user,
                                                         std::string_view name) const {
  const auto home = user_directory(user);
  if (is_inbox(name)) return maildir_folder(home);
  const auto dir = folder_directory(name);
  if (!dir) return std::nullopt;
  return maildir_folder(home + "/" + *dir);
}

std::error_code maildir_backend::deliver(const envelope& env, std::string_view message) {
  std::vector<maildir_folder> local;
  envelope remote = env;
  remote.rcpt_to.clear();
  for (const auto& rcpt : env.rcpt_to) {
    if (has_user(rcpt)) {
      maildir_folder f(user_directory(rcpt));
      const bool seen = std::any_of(local.begin(), local.end(),
                                    [&](const maildir_folder& x) { return x.path() == f.path(); });
      if (!seen) local.push_back(std::move(f));
    } else if (domain_of(rcpt).empty() || is_local_domain(domain_of(rcpt))) {
      return store_errc::no_such_user;
    } else {
      remote.rcpt_to.push_back(rcpt);
    }
  }
  std::vector<const maildir_folder*> targets;
  for (const auto& f : local) {
    if (auto ec = f.create()) return ec;
    targets.push_back(&f);
  }
  if (auto ec = deliver_to_folders(targets, message, config_.host_name)) return ec;
  if (!remote.rcpt_to.empty()) {
    std::string name;
    if (auto ec = spool_message(spool_directory(), remote, message, config_.host_name, name)) {
      return ec;
    }
  }
  return {};
}

std::vector<std::string> maildir_backend::list_mailboxes(std::string_view user) {
  std::vector<std::string> names;
  if (!has_user(user)) return names;
  names.emplace_back("INBOX");
  const auto home = user_directory(user);
  DIR* d = ::opendir(home.c_str());
  if (d == nullptr) return names;
  std::vector<std::string> found;
  while (const dirent* e = ::readdir(d)) {
    if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) continue;
    auto name = mailbox_from_directory(e->d_name);
    if (name && maildir_folder(home + "/" + e->d_name).exists()) found.push_back(std::move(*name));
  }
  ::closedir(d);
  std::sort(found.begin(), found.end());
  names.insert(names.end(), found.begin(), found.end());
  return names;
}

std::error_code maildir_backend::create_mailbox(std::string_view user, std::string_view name) {
  if (!has_user(user)) return store_errc::no_such_user;
  auto folder = folder_of(user, name);
  if (!folder) return store_errc::bad_mailbox_name;
  if (auto ec = maildir_folder(user_directory(user)).create()) return ec;
  return folder->create();
}

std::unique_ptr<mailbox> maildir_backend::open_mailbox(std::string_view user,
                                                       std::string_view name) {
  if (!has_user(user)) return nullptr;
  auto folder = folder_of(user, name);
  if (!folder) return nullptr;
  if (is_inbox(name) && folder->create()) return nullptr;  // INBOX exists for every account
  std::unique_ptr<maildir_mailbox> box;
  maildir_mailbox_options options;
  options.host = config_.host_name;
  options.max_message_size = config_.max_message_size;
  if (maildir_mailbox::open(std::move(*folder), std::move(options), box)) return nullptr;
  return box;
}

std::int64_t maildir_backend::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace mailtls::server::store
