#include "store/spool.hpp"

#include <unistd.h>

#include <cerrno>

#include "store/durable_file.hpp"
#include "store/errc.hpp"
#include "store/maildir_names.hpp"

namespace mailtls::server::store {
namespace {

constexpr std::string_view magic = "mailtls-spool 1";

bool clean(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void put(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  out += ' ';
  out += value;
  out += '\n';
}

// Takes the next "key value" line off `text`.
bool take(std::string_view& text, std::string_view key, std::string_view& value) {
  const auto nl = text.find('\n');
  if (nl == std::string_view::npos) return false;
  const auto line = text.substr(0, nl);
  if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != ' ') {
    return false;
  }
  value = line.substr(key.size() + 1);
  text.remove_prefix(nl + 1);
  return true;
}

}  // namespace

std::error_code serialize_spool_file(const envelope& env, std::string_view message,
                                     std::string& out) {
  if (env.rcpt_to.empty()) return store_errc::bad_envelope;
  for (const auto* v : {&env.helo, &env.mail_from, &env.authenticated_user, &env.peer_address}) {
    if (!clean(*v)) return store_errc::bad_envelope;
  }
  for (const auto& r : env.rcpt_to) {
    if (!clean(r) || r.empty()) return store_errc::bad_envelope;
  }
  out.clear();
  out.reserve(message.size() + 256);
  out += magic;
  out += '\n';
  put(out, "helo", env.helo);
  put(out, "from", env.mail_from);
  for (const auto& r : env.rcpt_to)
    put(out, "to", r);
  put(out, "auth", env.authenticated_user);
  put(out, "peer", env.peer_address);
  put(out, "tls", env.tls ? "1" : "0");
  out += '\n';
  out += message;
  return {};
}

std::error_code parse_spool_file(std::string_view text, envelope& env, std::string& message) {
  const std::error_code bad = store_errc::bad_spool_file;
  if (!text.starts_with(magic) || text.substr(magic.size()).substr(0, 1) != "\n") return bad;
  text.remove_prefix(magic.size() + 1);
  envelope e;
  std::string_view v;
  if (!take(text, "helo", v)) return bad;
  e.helo.assign(v);
  if (!take(text, "from", v)) return bad;
  e.mail_from.assign(v);
  while (take(text, "to", v)) {
    if (v.empty()) return bad;
    e.rcpt_to.emplace_back(v);
  }
  if (e.rcpt_to.empty() || !take(text, "auth", v)) return bad;
  e.authenticated_user.assign(v);
  if (!take(text, "peer", v)) return bad;
  e.peer_address.assign(v);
  if (!take(text, "tls", v) || (v != "0" && v != "1")) return bad;
  e.tls = v == "1";
  if (!text.starts_with('\n')) return bad;
  text.remove_prefix(1);
  env = std::move(e);
  message.assign(text);
  return {};
}

std::error_code spool_message(const std::string& spool_dir, const envelope& env,
                              std::string_view message, std::string_view host, std::string& name) {
  std::string content;
  if (auto ec = serialize_spool_file(env, message, content)) return ec;
  const auto unique = make_unique_name(host);
  const auto tmp = spool_dir + "/tmp/" + unique;
  if (auto ec = write_new_file(tmp, content, 0600)) return ec;
  const auto dir = spool_dir + "/outbound";
  const auto target = dir + "/" + unique;
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const std::error_code ec{errno, std::system_category()};
    ::unlink(tmp.c_str());
    return ec;
  }
  if (auto ec = fsync_directory(dir)) {
    ::unlink(target.c_str());
    return ec;
  }
  name = unique;
  return {};
}

}  // namespace mailtls::server::store
