#include "codec/imap/command.hpp"

#include <array>

namespace mailtls::codec::imap {

namespace {

struct name_entry {
  std::string_view name;
  command_kind kind;
};

constexpr std::array<name_entry, 30> names{{
    {"CAPABILITY", command_kind::capability},
    {"NOOP", command_kind::noop},
    {"LOGOUT", command_kind::logout},
    {"STARTTLS", command_kind::starttls},
    {"AUTHENTICATE", command_kind::authenticate},
    {"LOGIN", command_kind::login},
    {"ENABLE", command_kind::enable},
    {"SELECT", command_kind::select},
    {"EXAMINE", command_kind::examine},
    {"CREATE", command_kind::create},
    {"DELETE", command_kind::delete_},
    {"RENAME", command_kind::rename},
    {"SUBSCRIBE", command_kind::subscribe},
    {"UNSUBSCRIBE", command_kind::unsubscribe},
    {"LIST", command_kind::list},
    {"LSUB", command_kind::lsub},
    {"NAMESPACE", command_kind::namespace_},
    {"STATUS", command_kind::status},
    {"APPEND", command_kind::append},
    {"IDLE", command_kind::idle},
    {"CHECK", command_kind::check},
    {"CLOSE", command_kind::close},
    {"UNSELECT", command_kind::unselect},
    {"EXPUNGE", command_kind::expunge},
    {"SEARCH", command_kind::search},
    {"FETCH", command_kind::fetch},
    {"STORE", command_kind::store},
    {"COPY", command_kind::copy},
    {"MOVE", command_kind::move},
    {"ID", command_kind::id},
}};

int b64_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

const char* to_string(command_kind k) noexcept {
  for (const auto& e : names)
    if (e.kind == k) return e.name.data();
  return "UNKNOWN";
}

command_kind command_kind_from_name(std::string_view name) noexcept {
  for (const auto& e : names)
    if (iequals(e.name, name)) return e.kind;
  return command_kind::unknown;
}

command command::make(std::string_view tag, std::string_view name, std::vector<value> args) {
  command c;
  c.tag = tag;
  c.name = name;
  std::string_view word = name;
  if (word.size() > 4 && iequals(word.substr(0, 4), "UID ")) {
    c.uid = true;
    word.remove_prefix(4);
  }
  c.kind = command_kind_from_name(word);
  c.args = std::move(args);
  return c;
}

void serialize(const command& c, std::string& out) {
  out.append(c.tag);
  out.push_back(' ');
  out.append(c.name);
  for (const auto& a : c.args) {
    out.push_back(' ');
    serialize(a, out);
  }
  out.append("\r\n");
}

void serialize(const client_continuation& c, std::string& out) {
  switch (c.kind) {
    case continuation_kind::sasl_cancel:
      out.push_back('*');
      break;
    case continuation_kind::done:
      out.append(c.data.empty() ? std::string_view("DONE") : std::string_view(c.data));
      break;
    case continuation_kind::sasl_response:
      out.append(c.data);
      break;
  }
  out.append("\r\n");
}

std::size_t find_invalid_base64(std::string_view text) noexcept {
  std::size_t pad = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '=') {
      // Padding: at most two, only in the last group.
      if (++pad > 2 || i % 4 < 2) return i;
      continue;
    }
    if (pad != 0 || b64_value(c) < 0) return i;
  }
  if (text.size() % 4 != 0) return text.size();
  return std::string_view::npos;
}

}  // namespace mailtls::codec::imap
