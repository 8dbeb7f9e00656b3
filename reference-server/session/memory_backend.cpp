#include "session/memory_backend.hpp"

#include <algorithm>

namespace mailtls::server {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A mailbox view over a folder of the backend. Changes apply to the folder at once.
class memory_mailbox final : public mailbox {
 public:
  explicit memory_mailbox(memory_backend::folder& f) : folder_(f) { refresh(); }

  std::uint32_t uid_validity() const override { return folder_.uid_validity; }
  std::uint32_t uid_next() const override { return folder_.uid_next; }
  const std::vector<message_entry>& messages() const override { return view_; }

  std::error_code read(std::size_t index, std::string& out) override {
    auto* m = find(index);
    if (m == nullptr) return std::make_error_code(std::errc::invalid_argument);
    out = m->content;
    return {};
  }
  std::error_code set_flags(std::size_t index, std::uint8_t flags) override {
    auto* m = find(index);
    if (m == nullptr) return std::make_error_code(std::errc::invalid_argument);
    m->entry.flags = flags;
    view_[index].flags = flags;
    return {};
  }
  std::error_code expunge(std::vector<std::uint32_t>& expunged) override {
    expunged.clear();
    // Report from the highest sequence number down, so each number is valid when reported.
    for (std::size_t i = view_.size(); i-- > 0;) {
      if ((view_[i].flags & flag_deleted) == 0) continue;
      const auto uid = view_[i].uid;
      std::erase_if(folder_.messages, [uid](const auto& m) { return m.entry.uid == uid; });
      view_.erase(view_.begin() + static_cast<std::ptrdiff_t>(i));
      expunged.push_back(static_cast<std::uint32_t>(i + 1));
    }
    return {};
  }
  std::error_code append(std::string_view message, std::uint8_t flags,
                         std::int64_t internal_date) override {
    memory_backend::stored_message m;
    m.entry.uid = folder_.uid_next++;
    m.entry.unique_id = "m" + std::to_string(m.entry.uid);
    m.entry.size = message.size();
    m.entry.internal_date = internal_date;
    m.entry.flags = flags;
    m.content.assign(message);
    folder_.messages.push_back(std::move(m));
    return {};
  }
  void refresh() override {
    view_.clear();
    for (const auto& m : folder_.messages)
      view_.push_back(m.entry);
  }

 private:
  memory_backend::stored_message* find(std::size_t index) {
    if (index >= view_.size()) return nullptr;
    const auto uid = view_[index].uid;
    for (auto& m : folder_.messages) {
      if (m.entry.uid == uid) return &m;
    }
    return nullptr;
  }

  memory_backend::folder& folder_;
  std::vector<message_entry> view_;
};

}  // namespace

std::string normalize_address(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return std::string(address);
  return std::string(address.substr(0, at + 1)) + lower(address.substr(at + 1));
}

void memory_backend::add_domain(std::string domain) {
  domains_.push_back(lower(domain));
}

void memory_backend::add_user(std::string address, std::string password) {
  const auto key = normalize_address(address);
  passwords_[key] = std::move(password);
  folders_[key]["INBOX"];
}

void memory_backend::add_message(const std::string& address, std::string content,
                                 std::uint8_t flags) {
  auto& f = folders_[normalize_address(address)]["INBOX"];
  stored_message m;
  m.entry.uid = f.uid_next++;
  m.entry.unique_id = "m" + std::to_string(next_unique_++);
  m.entry.size = content.size();
  m.entry.internal_date = now_;
  m.entry.flags = flags;
  m.content = std::move(content);
  f.messages.push_back(std::move(m));
}

memory_backend::folder* memory_backend::find_folder(const std::string& address,
                                                    const std::string& name) {
  auto u = folders_.find(normalize_address(address));
  if (u == folders_.end()) return nullptr;
  auto f = u->second.find(name);
  return f == u->second.end() ? nullptr : &f->second;
}

bool memory_backend::is_local_domain(std::string_view domain) const {
  return std::find(domains_.begin(), domains_.end(), lower(domain)) != domains_.end();
}

bool memory_backend::has_user(std::string_view address) const {
  return passwords_.count(normalize_address(address)) != 0;
}

std::optional<std::string> memory_backend::authenticate(std::string_view user,
                                                        std::string_view password) {
  ++authentications_;
  const auto it = passwords_.find(normalize_address(user));
  if (it == passwords_.end() || it->second != password) return std::nullopt;
  return it->first;
}

std::error_code memory_backend::deliver(const envelope& env, std::string_view message) {
  if (fail_) return fail_;
  bool remote = false;
  for (const auto& rcpt : env.rcpt_to) {
    const auto key = normalize_address(rcpt);
    if (passwords_.count(key) != 0) {
      add_message(key, std::string(message));
    } else {
      remote = true;
    }
  }
  deliveries_.push_back({env, std::string(message)});
  if (remote) spooled_.push_back({env, std::string(message)});
  return {};
}

std::vector<std::string> memory_backend::list_mailboxes(std::string_view user) {
  std::vector<std::string> names;
  const auto u = folders_.find(normalize_address(user));
  if (u != folders_.end()) {
    for (const auto& [name, f] : u->second)
      names.push_back(name);
  }
  return names;
}

std::unique_ptr<mailbox> memory_backend::open_mailbox(std::string_view user,
                                                      std::string_view name) {
  auto* f = find_folder(std::string(user), std::string(name));
  if (f == nullptr) return nullptr;
  return std::make_unique<memory_mailbox>(*f);
}

}  // namespace mailtls::server
