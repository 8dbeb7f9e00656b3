#include "store/maildir_names.hpp"

#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>

#include "session/backend.hpp"

namespace mailtls::server::store {
namespace {

std::atomic<std::uint64_t> unique_counter{0};

std::uint32_t random_u32() {
  std::uint32_t r = 0;
  if (getrandom(&r, sizeof r, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof r)) {
    // No entropy yet: the counter and pid still make the name unique within this host.
    r = static_cast<std::uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count() &
                                   0xffffffffu);
  }
  return r;
}

struct flag_letter {
  char letter;
  std::uint8_t flag;
};
constexpr flag_letter flag_letters[] = {
    {'D', flag_draft}, {'F', flag_flagged}, {'R', flag_answered},
    {'S', flag_seen},  {'T', flag_deleted},
};

}  // namespace

std::string make_unique_name(std::string_view host) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  char head[96];
  std::snprintf(head, sizeof head, "%lld.M%06lldP%ldQ%lluR%08x.",
                static_cast<long long>(micros / 1000000), static_cast<long long>(micros % 1000000),
                static_cast<long>(::getpid()),
                static_cast<unsigned long long>(unique_counter.fetch_add(1) + 1), random_u32());
  std::string name(head);
  for (const char c : host) {
    if (c == '/') {
      name += "\\057";
    } else if (c == ':') {
      name += "\\072";
    } else if (c > 0x20 && c < 0x7f) {
      name += c;
    }
  }
  if (name.back() == '.') name += "localhost";
  if (name.size() > max_unique_name_length) name.resize(max_unique_name_length);
  return name;
}

bool valid_pop3_unique_id(std::string_view s) {
  if (s.empty() || s.size() > max_unique_name_length) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

maildir_file_name split_file_name(std::string_view name) {
  maildir_file_name out;
  const auto colon = name.find(':');
  out.base = name.substr(0, colon);
  if (colon != std::string_view::npos && name.substr(colon + 1).starts_with("2,")) {
    out.flag_letters = name.substr(colon + 3);
  }
  return out;
}

std::uint8_t flags_from_letters(std::string_view letters) {
  std::uint8_t flags = 0;
  for (const char c : letters) {
    for (const auto& f : flag_letters) {
      if (f.letter == c) flags = static_cast<std::uint8_t>(flags | f.flag);
    }
  }
  return flags;
}

std::string letters_from_flags(std::uint8_t flags, std::string_view keep) {
  std::string out;
  for (const char c : keep) {
    const bool ours = std::any_of(std::begin(flag_letters), std::end(flag_letters),
                                  [c](const flag_letter& f) { return f.letter == c; });
    if (!ours && c > 0x20 && c < 0x7f && c != '/' && c != ':') out += c;
  }
  for (const auto& f : flag_letters) {
    if ((flags & f.flag) != 0) out += f.letter;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string cur_file_name(std::string_view base, std::string_view letters) {
  std::string out(base);
  out += ":2,";
  out += letters;
  return out;
}

bool is_inbox(std::string_view mailbox) {
  if (mailbox.size() != 5) return false;
  constexpr std::string_view inbox = "INBOX";
  for (std::size_t i = 0; i < 5; ++i) {
    char c = mailbox[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != inbox[i]) return false;
  }
  return true;
}

std::optional<std::string> folder_directory(std::string_view mailbox) {
  if (mailbox.empty() || is_inbox(mailbox)) return std::nullopt;
  std::string out = ".";
  char prev = '/';
  for (const char c : mailbox) {
    if (c < 0x20 || c > 0x7e) return std::nullopt;
    if (c == '/') {
      if (prev == '/') return std::nullopt;  // empty component
      out += '.';
    } else if (c == '.') {
      out += "%2E";
    } else if (c == '%') {
      out += "%25";
    } else {
      out += c;
    }
    prev = c;
  }
  if (prev == '/') return std::nullopt;
  return out;
}

std::optional<std::string> mailbox_from_directory(std::string_view directory) {
  if (directory.size() < 2 || directory.front() != '.') return std::nullopt;
  std::string out;
  directory.remove_prefix(1);
  for (std::size_t i = 0; i < directory.size(); ++i) {
    const char c = directory[i];
    if (c == '.') {
      out += '/';
    } else if (c == '%') {
      const auto code = directory.substr(i, 3);
      if (code == "%2E") {
        out += '.';
      } else if (code == "%25") {
        out += '%';
      } else {
        return std::nullopt;
      }
      i += 2;
    } else if (c < 0x20 || c > 0x7e) {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  // Round trip must hold (rejects "..", a trailing '.', and the like).
  const auto back = folder_directory(out);
  if (!back || *back != std::string(".") + std::string(directory)) return std::nullopt;
  return out;
}

}  // namespace mailtls::server::store
