#include "store/accounts.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "session/memory_backend.hpp"
#include "store/durable_file.hpp"
#include "store/errc.hpp"
#include "store/password.hpp"

namespace mailtls::server::store {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool ldh(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 255) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const char c = d[i];
    if (c == '.') {
      if (label == 0 || d[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    if (!ldh(c) || (label == 0 && c == '-')) return false;
    if (++label > 63) return false;
  }
  return label != 0 && d.back() != '-';
}

std::string format_error(std::string_view file, std::size_t line, const std::error_code& ec) {
  return std::string(file) + ":" + std::to_string(line) + ": " + ec.message();
}

// Parses one non-blank, non-comment line.
std::error_code parse_line(std::string_view line, account& out) {
  const auto bar = line.find('|');
  if (bar == std::string_view::npos) return store_errc::missing_separator;
  const auto address = trim(line.substr(0, bar));
  const auto hash = trim(line.substr(bar + 1));
  if (hash.find('|') != std::string_view::npos) return store_errc::too_many_fields;
  if (!valid_account_address(address)) return store_errc::bad_address;
  password_scheme scheme{};
  std::string_view crypt_string;
  if (auto ec = parse_password_hash(hash, scheme, crypt_string)) return ec;
  out.address = normalize_address(address);
  out.hash.assign(hash);
  return {};
}

// A valid SHA512-CRYPT hash of a random password: unknown users are checked against it.
constexpr std::string_view dummy_hash =
    "{SHA512-CRYPT}$6$mailtlsdummysalt$t/jr8Gf13M7Pb.rAIlxMMIALdu2lQe/vZ6My03s9NJc0AF0c3Aiq30oZLc"
    "cWPea2.Noq.mDEAl4P0/IPlu69z0";

}  // namespace

bool valid_account_address(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const auto local = address.substr(0, at);
  if (local.front() == '.') return false;
  for (const char c : local) {
    if (c <= 0x20 || c >= 0x7f || c == '/' || c == '|') return false;
  }
  return valid_domain(address.substr(at + 1));
}

std::error_code account_table::parse(std::string_view text, std::string_view file_name,
                                     std::string& message) {
  std::vector<account> parsed;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    const auto raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    const auto line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    account a;
    a.line = line_no;
    if (auto ec = parse_line(line, a)) {
      message = format_error(file_name, line_no, ec);
      return ec;
    }
    parsed.push_back(std::move(a));
  }
  std::stable_sort(parsed.begin(), parsed.end(),
                   [](const account& x, const account& y) { return x.address < y.address; });
  for (std::size_t i = 1; i < parsed.size(); ++i) {
    if (parsed[i].address != parsed[i - 1].address) continue;
    const auto later = std::max(parsed[i].line, parsed[i - 1].line);
    message = format_error(file_name, later, store_errc::duplicate_account) + " " +
              parsed[i].address + " (first on line " +
              std::to_string(std::min(parsed[i].line, parsed[i - 1].line)) + ")";
    return store_errc::duplicate_account;
  }
  accounts_ = std::move(parsed);
  message.clear();
  return {};
}

std::error_code account_table::load(const std::string& path, std::string& message,
                                    const accounts_limits& limits) {
  std::string text;
  if (auto ec = read_whole_file(path, text, limits.max_file_size)) {
    message = path + ": " + ec.message();
    return ec;
  }
  return parse(text, path, message);
}

const account* account_table::find(std::string_view address) const {
  const auto key = normalize_address(address);
  const auto it =
      std::lower_bound(accounts_.begin(), accounts_.end(), key,
                       [](const account& a, const std::string& k) { return a.address < k; });
  if (it == accounts_.end() || it->address != key) return nullptr;
  return &*it;
}

std::optional<std::string> account_table::authenticate(std::string_view address,
                                                       std::string_view password) const {
  const auto* a = find(address);
  const bool ok = verify_password(password, a != nullptr ? a->hash : dummy_hash);
  if (a == nullptr || !ok) return std::nullopt;
  return a->address;
}

std::vector<std::string> account_table::domains() const {
  std::vector<std::string> out;
  for (const auto& a : accounts_)
    out.push_back(a.address.substr(a.address.rfind('@') + 1));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::error_code add_user(const std::string& file, std::string_view address,
                         std::string_view password, std::string& message) {
  if (!valid_account_address(address)) {
    message = std::string(address) + ": " + make_error_code(store_errc::bad_address).message();
    return store_errc::bad_address;
  }
  const auto key = normalize_address(address);
  std::string hash;
  if (auto ec = hash_password(password, hash)) {
    message = ec.message();
    return ec;
  }
  const auto dir = parent_directory(file);
  // A first user in a new state directory: create it (private: it will hold password hashes).
  std::error_code mk;
  if (std::filesystem::create_directories(dir, mk) && !mk) {
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, mk);
  }
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    std::error_code ec{errno, std::system_category()};
    message = dir + ": " + ec.message();
    return ec;
  }
  // Serialise concurrent add_user calls (threads or processes) on the same directory.
  while (::flock(dir_fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    std::error_code ec{errno, std::system_category()};
    ::close(dir_fd);
    message = dir + ": " + ec.message();
    return ec;
  }
  auto finish = [&](std::error_code ec) {
    ::close(dir_fd);  // releases the lock
    return ec;
  };
  std::string text;
  if (auto ec = read_whole_file(file, text, accounts_limits{}.max_file_size);
      ec && ec != std::errc::no_such_file_or_directory) {
    message = file + ": " + ec.message();
    return finish(ec);
  }
  account_table table;
  if (auto ec = table.parse(text, file, message)) return finish(ec);
  const std::string new_line = key + "|" + hash;
  std::string out;
  bool replaced = false;
  std::size_t line_no = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    ++line_no;
    const auto nl = rest.find('\n');
    const auto raw = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    const auto* existing = table.find(key);
    if (existing != nullptr && existing->line == line_no) {
      out += new_line;
      replaced = true;
    } else {
      out += raw;
    }
    out += '\n';
  }
  if (!replaced) out += new_line + "\n";
  if (auto ec = replace_file(file, out, 0600)) {
    message = file + ": " + ec.message();
    return finish(ec);
  }
  message.clear();
  return finish({});
}

}  // namespace mailtls::server::store
