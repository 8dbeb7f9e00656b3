// The accounts file, in docker-mailserver's postfix-accounts.cf format:
//
//   # comment
//   alice@example.org|{SHA512-CRYPT}$6$salt$hash
//   bob@example.org|{SHA256-CRYPT}$5$salt$hash
//   carol@example.net|{BLF-CRYPT}$2y$05$...
//
// One account per line, blank lines and '#' comments allowed, leading and trailing blanks and a
// trailing CR ignored. Addresses are stored with the domain in lower case (local parts are
// case-sensitive, RFC 5321 §2.4). Errors carry the line: "file:line: message".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace mailtls::server::store {

struct account {
  std::string address;  // local@domain, domain lower case
  std::string hash;     // "{SCHEME}crypt-string" as written in the file
  std::size_t line = 0;
  bool operator==(const account&) const = default;
};

struct accounts_limits {
  std::size_t max_file_size = 16 * 1024 * 1024;
};

class account_table {
 public:
  // Parses the text of an accounts file. On error `message` is "<file_name>:<line>: <text>" and
  // the table is left unchanged.
  std::error_code parse(std::string_view text, std::string_view file_name, std::string& message);
  // Reads and parses `path` (bounded by limits.max_file_size).
  std::error_code load(const std::string& path, std::string& message,
                       const accounts_limits& limits = {});

  // nullptr when there is no such account; `address` is normalised first.
  const account* find(std::string_view address) const;
  // The canonical address when the password matches. Unknown users cost the same crypt() as
  // known ones, so timing does not reveal which addresses exist.
  std::optional<std::string> authenticate(std::string_view address,
                                          std::string_view password) const;
  // Distinct domains of all accounts, lower case, sorted.
  std::vector<std::string> domains() const;
  const std::vector<account>& accounts() const { return accounts_; }

 private:
  std::vector<account> accounts_;  // sorted by address
};

// True for local@domain where local is 1-64 printable ASCII octets without '/', '|' or a leading
// '.', and domain is LDH labels separated by dots (RFC 1035 §2.3.1, RFC 5321 §4.1.2); both parts
// are then safe as directory names under <state>/mail/.
bool valid_account_address(std::string_view address);

// Adds the account or replaces its hash in `file` (created when missing, mode 0600). Other lines
// and comments are kept verbatim. The new file is written next to the old one, fsynced and
// renamed over it, then the directory is fsynced; concurrent add_user calls are serialised by
// flock() on the directory. The existing file must parse; otherwise `message` says where not.
std::error_code add_user(const std::string& file, std::string_view address,
                         std::string_view password, std::string& message);

}  // namespace mailtls::server::store
