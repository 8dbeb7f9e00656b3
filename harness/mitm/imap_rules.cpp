// IMAP rules of the proxy: tagged commands with literals (RFC 9051 §6, RFC 7888), STARTTLS
// (§6.2.1), AUTHENTICATE (§6.2.2) and IDLE (RFC 2177) continuations, untagged and tagged
// responses, CAPABILITY data and [CAPABILITY] codes, the greeting's included.
#include <deque>

#include "codec/imap/command_parser.hpp"
#include "codec/imap/response_parser.hpp"
#include "mitm/protocol_rules.hpp"
#include "mitm/text_util.hpp"

namespace mailtls::mitm {
namespace {

using namespace codec::imap;

enum class wait_for : std::uint8_t { nothing, starttls, authenticate, idle };

constexpr std::size_t max_open_tags = 256;

imap_limits make_limits(const rules_limits& lim) {
  imap_limits l;
  l.max_line = lim.max_line;
  l.max_literal = lim.max_message;
  l.max_message = lim.max_message;
  l.allow_bare_lf = true;
  l.allow_bare_cr = true;
  l.allow_nul = true;
  l.allow_invalid_utf8 = true;
  return l;
}

// [from, to) of the capability tokens in the first line of `raw`: after "* CAPABILITY " for
// capability data, inside "[CAPABILITY ...]" for a response code. {0, 0} when there is none.
std::pair<std::size_t, std::size_t> capability_span(std::string_view raw) {
  const std::string_view line = without_ending(raw.substr(0, raw.find('\n')));
  constexpr std::string_view data = "* CAPABILITY";
  if (line.size() >= data.size() && iequal(line.substr(0, data.size()), data)) {
    const std::size_t from = data.size() + (line.size() > data.size() ? 1 : 0);
    return {from, line.size()};
  }
  constexpr std::string_view code = "[CAPABILITY ";
  for (std::size_t i = 0; i + code.size() <= line.size(); ++i) {
    if (iequal(line.substr(i, code.size()), code)) {
      const std::size_t close = line.find(']', i);
      if (close == std::string_view::npos) return {0, 0};
      return {i + code.size(), close};
    }
  }
  return {0, 0};
}

bool has_token(std::string_view text, std::string_view token) {
  while (!text.empty()) {
    const std::string_view word = first_word(text);
    if (iequal(word, token)) return true;
    text.remove_prefix(word.size() < text.size() ? word.size() + 1 : text.size());
  }
  return false;
}

class imap_rules final : public protocol_rules {
 public:
  explicit imap_rules(const rules_limits& lim)
      : commands_(make_limits(lim)), responses_(make_limits(lim)) {}

  codec::parse_result parse_client(std::string_view bytes) override {
    return commands_.parse(bytes);
  }

  client_info client_message(const codec::parse_result& r) override {
    const client_mode m = commands_.mode();
    if (m == client_mode::authenticate_response) {  // RFC 9051 §6.2.2
      blocked_ = true;                              // the server answers every line
      commands_.set_mode(client_mode::command);
      if (!r.is_error() && commands_.continuation().kind == continuation_kind::sasl_cancel)
        return {client_event::other, "* (AUTHENTICATE cancelled)", {}};
      return {client_event::credentials, "<SASL response redacted>", {}};
    }
    if (m == client_mode::idle) {  // RFC 2177 §3: DONE ends IDLE
      commands_.set_mode(client_mode::command);
      return {client_event::other, "DONE", {}};
    }
    if (r.is_error())
      return {client_event::other, "unparsable command", "command: " + r.error.message()};
    const command& c = commands_.get();
    const std::string head = c.tag + " " + c.name;
    switch (c.kind) {
      case command_kind::starttls:
        open(c.tag, wait_for::starttls);
        return {client_event::starttls, head, {}};
      case command_kind::login: {  // RFC 9051 §6.2.3
        open(c.tag, wait_for::nothing);
        std::string s = head;
        if (!c.args.empty()) s += " " + c.args[0].text;
        return {client_event::credentials, s + " <redacted>", {}};
      }
      case command_kind::authenticate: {
        open(c.tag, wait_for::authenticate);
        std::string s = head;
        if (!c.args.empty()) s += " " + c.args[0].text;
        if (c.args.size() > 1) s += " <redacted>";  // SASL-IR, RFC 4959
        return {client_event::credentials, s, {}};
      }
      case command_kind::append: {  // RFC 9051 §6.3.12
        open(c.tag, wait_for::nothing);
        std::string s = head;
        if (!c.args.empty()) s += " " + c.args[0].text;
        return {client_event::mail, s, {}};
      }
      case command_kind::idle:
        open(c.tag, wait_for::idle);
        return {client_event::other, head, {}};
      case command_kind::logout:  // RFC 9051 §6.1.3
        open(c.tag, wait_for::nothing);
        return {client_event::quit, head, {}};
      default:
        open(c.tag, wait_for::nothing);
        return {client_event::other, head, {}};
    }
  }

  bool client_blocked() const override { return blocked_; }
  bool client_flush_partial() const override { return commands_.needs_continuation(); }

  codec::parse_result parse_server(std::string_view bytes) override {
    return responses_.parse(bytes);
  }

  server_info server_message(const codec::parse_result& r) override {
    server_info info;
    if (r.is_error()) {
      info.problem = "response: " + r.error.message();
      return info;
    }
    const response& m = responses_.get();
    if (m.kind == response_kind::continuation) {
      const wait_for w = blocked_on();
      if (w == wait_for::authenticate) {
        commands_.set_mode(client_mode::authenticate_response);
        blocked_ = false;
      } else if (w == wait_for::idle) {
        commands_.set_mode(client_mode::idle);
        blocked_ = false;
      }
      return info;
    }
    if (m.kind == response_kind::tagged) {
      const wait_for w = close(m.tag);
      if (w != wait_for::nothing) {
        blocked_ = false;
        commands_.set_mode(client_mode::command);
      }
      if (w == wait_for::starttls) {  // RFC 9051 §6.2.1: TLS starts after the tagged OK
        info.event = m.status == response_status::ok ? server_event::starttls_ok
                                                     : server_event::starttls_refused;
        return info;
      }
    }
    const bool capability_data = m.kind == response_kind::data && m.data == data_kind::capability;
    const bool capability_code = m.code && m.code->is("CAPABILITY");
    if (capability_data || capability_code) {
      info.event = server_event::capabilities;
      if (capability_data) {
        for (const value& v : m.args) {
          if (iequal(v.text, "STARTTLS")) info.offers_starttls = true;
        }
      } else {
        info.offers_starttls = has_token(m.code->text, "STARTTLS");
      }
    }
    return info;
  }

  std::string strip_starttls(std::string_view raw) const override {
    const auto [from, to] = capability_span(raw);
    std::string out(raw);
    if (from < to) remove_token(out, from, to, "STARTTLS");
    return out;
  }

  std::string refuse_starttls() override {
    std::string tag = "*";
    if (!tags_.empty() && tags_.back().second == wait_for::starttls) {
      tag = tags_.back().first;
      tags_.pop_back();
    }
    blocked_ = false;
    return tag + " BAD STARTTLS not available\r\n";  // RFC 9051 §6.2.1
  }

  std::string inject(std::string_view raw) const override {
    // RFC 2595 §3.1: nothing received before TLS may be trusted after it.
    return std::string(raw) + "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n";
  }

  std::string tamper(std::string_view raw) const override {
    return "* OK [ALERT] Mailbox moved: log in again\r\n* 54321 EXISTS\r\n* 1 EXPUNGE\r\n" +
           std::string(raw);
  }

  std::string downgrade_reply() const override { return "* BYE TLS not available\r\n"; }

  void restart_client() override {
    commands_.reset();
    tags_.clear();
    blocked_ = false;
  }

 private:
  void open(const std::string& tag, wait_for w) {
    if (tags_.size() >= max_open_tags) tags_.pop_front();
    tags_.emplace_back(tag, w);
    if (w != wait_for::nothing) blocked_ = true;
  }
  wait_for close(const std::string& tag) {
    for (auto it = tags_.begin(); it != tags_.end(); ++it) {
      if (it->first == tag) {
        const wait_for w = it->second;
        tags_.erase(it);
        return w;
      }
    }
    return wait_for::nothing;
  }
  wait_for blocked_on() const {
    if (!blocked_ || tags_.empty()) return wait_for::nothing;
    return tags_.back().second;
  }

  command_parser commands_;
  response_parser responses_;
  std::deque<std::pair<std::string, wait_for>> tags_;
  bool blocked_ = false;
};

}  // namespace

std::unique_ptr<protocol_rules> make_imap_rules(const rules_limits& lim) {
  return std::make_unique<imap_rules>(lim);
}

}  // namespace mailtls::mitm
