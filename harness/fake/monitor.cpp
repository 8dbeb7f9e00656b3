#include "fake/monitor.hpp"

#include <vector>

#include "codec/imap/command_parser.hpp"
#include "codec/pop3/command_parser.hpp"
#include "codec/smtp/command_parser.hpp"
#include "runner/text.hpp"

namespace mailtls::fake {
namespace {

constexpr std::string_view redacted = "<redacted>";

std::vector<std::string_view> words(std::string_view line, std::size_t max) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size() && out.size() < max) {
    while (i < line.size() && line[i] == ' ')
      ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ')
      ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// The first `keep` words of `line`, then `<redacted>` when more followed.
std::string keep_words(std::string_view line, std::size_t keep) {
  const auto w = words(line, keep + 1);
  std::string out;
  for (std::size_t i = 0; i < w.size() && i < keep; ++i) {
    if (i > 0) out.push_back(' ');
    out += w[i];
  }
  if (w.size() > keep) out += " " + std::string(redacted);
  return out;
}

template <class Parser>
bool parses(Parser& p, std::string_view line) {
  std::string framed(line);
  framed += "\r\n";
  return p.parse(framed).is_complete();
}

}  // namespace

std::string_view to_name(exposure e) noexcept {
  switch (e) {
    case exposure::none:
      return "none";
    case exposure::credentials:
      return "credentials";
    case exposure::mail:
      return "mail";
  }
  return "none";
}

line_info monitor::client_line(std::string_view line) {
  if (sasl_) {
    sasl_ = false;
    // A SASL response (base64, or "*" to cancel: RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2).
    if (line == "*") return {exposure::none, "*", "*"};
    return {exposure::credentials, "SASL response " + std::string(redacted), ""};
  }
  line_info info;
  switch (proto_) {
    case runner::protocol::smtp:
      info = classify_smtp(line);
      break;
    case runner::protocol::pop3:
      info = classify_pop3(line);
      break;
    case runner::protocol::imap:
      info = classify_imap(line);
      break;
  }
  if (info.verb == "AUTH" || info.verb == "AUTHENTICATE") auth_ = true;
  return info;
}

void monitor::server_sent(std::string_view bytes) {
  if (!auth_) return;
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const auto line = bytes.substr(0, nl);
    const bool continuation = proto_ == runner::protocol::smtp
                                  ? line.starts_with("334")
                                  : line == "+" || line == "+\r" || line.starts_with("+ ");
    if (!continuation) {
      auth_ = false;
      sasl_ = false;
      return;
    }
    sasl_ = true;
    if (nl == std::string_view::npos) return;
    bytes.remove_prefix(nl + 1);
  }
}

// RFC 5321 §4.1.1, RFC 4954 §4: AUTH mechanism [initial-response].
line_info monitor::classify_smtp(std::string_view line) const {
  codec::smtp::command_parser p;
  using codec::smtp::verb;
  std::string word;
  if (parses(p, line)) {
    word = std::string(codec::smtp::to_string(p.get().v));
  } else {
    const auto w = words(line, 1);
    word = w.empty() ? std::string() : runner::to_upper(w[0]);
  }
  if (word == "AUTH") return {exposure::credentials, keep_words(line, 2), word};
  if (word == "MAIL" || word == "RCPT" || word == "DATA" || word == "BDAT") {
    return {exposure::mail, std::string(line), word};
  }
  return {exposure::none, std::string(line), word};
}

// RFC 1939 §7 (USER, PASS, APOP), RFC 5034 §4 (AUTH).
line_info monitor::classify_pop3(std::string_view line) const {
  codec::pop3::command_parser p;
  std::string word;
  if (parses(p, line)) {
    word = std::string(codec::pop3::keyword(p.message().kind));
  } else {
    const auto w = words(line, 1);
    word = w.empty() ? std::string() : runner::to_upper(w[0]);
  }
  if (word == "USER") return {exposure::credentials, std::string(line), word};
  if (word == "PASS") return {exposure::credentials, keep_words(line, 1), word};
  if (word == "APOP" || word == "AUTH") {
    return {exposure::credentials, keep_words(line, 2), word};
  }
  return {exposure::none, std::string(line), word};
}

// RFC 9051 §6.2.2 (AUTHENTICATE mechanism [initial-response]), §6.2.3 (LOGIN user password),
// §6.3.12 (APPEND).
line_info monitor::classify_imap(std::string_view line) const {
  codec::imap::command_parser p;
  std::string word;
  if (parses(p, line)) {
    word = runner::to_upper(p.get().name);
  } else {
    const auto w = words(line, 2);
    word = w.size() < 2 ? std::string() : runner::to_upper(w[1]);
  }
  if (word == "LOGIN") return {exposure::credentials, keep_words(line, 3), word};
  if (word == "AUTHENTICATE") return {exposure::credentials, keep_words(line, 3), word};
  if (word == "APPEND") return {exposure::mail, std::string(line), word};
  return {exposure::none, std::string(line), word};
}

}  // namespace mailtls::fake
