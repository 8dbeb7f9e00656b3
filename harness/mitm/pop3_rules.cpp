// POP3 rules of the proxy: commands (RFC 1939), CAPA (RFC 2449 §5), STLS (RFC 2595 §4), AUTH
// (RFC 5034); POP3 does not mark multi-line responses, so each response is read as what its
// command expects (RFC 1939 §3).
#include <deque>

#include "codec/pop3/command_parser.hpp"
#include "codec/pop3/response_parser.hpp"
#include "mitm/protocol_rules.hpp"
#include "mitm/text_util.hpp"

namespace mailtls::mitm {
namespace {

using namespace codec::pop3;

enum class expect : std::uint8_t { greeting, single, multi, capa, auth, stls };

constexpr std::size_t max_pending = 256;  // RFC 2449 §6.6 PIPELINING

command_limits make_command_limits(const rules_limits& lim) {
  command_limits l;
  l.max_line = lim.max_line;
  l.max_auth_line = lim.max_line;
  l.max_argument = lim.max_line;  // RFC 1939 §3 says 40; a proxy forwards longer ones
  l.allow_bare_lf = true;
  l.allow_bare_cr = true;
  l.allow_nul = true;
  return l;
}

response_limits make_response_limits(const rules_limits& lim) {
  response_limits l;
  l.max_status_line = lim.max_line;
  l.max_sasl_line = lim.max_line;
  l.max_body_line = lim.max_line;
  l.max_body_size = lim.max_message;
  l.allow_bare_lf = true;
  l.allow_bare_cr = true;
  l.allow_nul = true;
  l.allow_lowercase_status = true;
  return l;
}

class pop3_rules final : public protocol_rules {
 public:
  explicit pop3_rules(const rules_limits& lim)
      : commands_(make_command_limits(lim)), responses_(make_response_limits(lim)) {
    pending_.push_back(expect::greeting);
  }

  codec::parse_result parse_client(std::string_view bytes) override {
    return commands_.parse(bytes);
  }

  client_info client_message(const codec::parse_result& r) override {
    const bool sasl = sasl_next_;
    sasl_next_ = false;
    if (r.is_error()) {
      if (sasl) {
        blocked_ = true;
        return {client_event::credentials, "<SASL response redacted>",
                "command: " + r.error.message()};
      }
      push(expect::single);  // the server answers -ERR
      return {client_event::other, "unparsable command", "command: " + r.error.message()};
    }
    const command& c = commands_.message();
    switch (c.kind) {
      case command_kind::sasl_response:  // RFC 5034 §4: the server answers every response
        blocked_ = true;
        if (c.cancel) return {client_event::other, "* (AUTH cancelled)", {}};
        return {client_event::credentials, "<SASL response redacted>", {}};
      case command_kind::user:
        push(expect::single);
        return {client_event::credentials, "USER " + c.argument, {}};
      case command_kind::pass:
        push(expect::single);
        return {client_event::credentials, "PASS <redacted>", {}};
      case command_kind::apop:
        push(expect::single);
        return {client_event::credentials, "APOP " + c.argument + " <redacted>", {}};
      case command_kind::auth:
        if (c.lists_mechanisms()) {
          push(expect::multi);
          return {client_event::other, "AUTH", {}};
        }
        push(expect::auth);
        blocked_ = true;
        return {client_event::credentials,
                "AUTH " + c.argument + (c.initial_response ? " <redacted>" : ""),
                {}};
      case command_kind::stls:  // RFC 2595 §4
        push(expect::stls);
        blocked_ = true;
        return {client_event::starttls, "STLS", {}};
      case command_kind::capa:
        push(expect::capa);
        return {client_event::other, "CAPA", {}};
      case command_kind::quit:  // RFC 1939 §5, §6
        push(expect::single);
        return {client_event::quit, "QUIT", {}};
      default: {
        push(c.expects_multi_line() ? expect::multi : expect::single);
        std::string s(keyword(c.kind));
        if (c.msg) s += " " + std::to_string(*c.msg);
        return {client_event::other, s, {}};
      }
    }
  }

  bool client_blocked() const override { return blocked_; }
  bool client_flush_partial() const override { return false; }

  codec::parse_result parse_server(std::string_view bytes) override {
    if (at_boundary_) {
      switch (pending_.empty() ? expect::single : pending_.front()) {
        case expect::multi:
        case expect::capa:
          responses_.expect(response_kind::multi_line);
          break;
        case expect::auth:
          responses_.expect(response_kind::sasl);
          break;
        default:
          responses_.expect(response_kind::single_line);
          break;
      }
    }
    const codec::parse_result r = responses_.parse(bytes);
    at_boundary_ = !r.is_need_more();
    return r;
  }

  server_info server_message(const codec::parse_result& r) override {
    server_info info;
    if (r.is_error()) {
      if (responses_.in_body()) {  // a body over the limits: the rest is skipped to its "."
        at_boundary_ = false;
        return info;
      }
      info.problem = "response: " + r.error.message();
    }
    const expect front = pending_.empty() ? expect::single : pending_.front();
    const response& m = responses_.message();
    const bool ok = !r.is_error() && m.is_ok();
    if (front == expect::auth && !r.is_error() && m.is_continuation()) {  // RFC 5034 §4
      commands_.expect_sasl_response();
      sasl_next_ = true;
      blocked_ = false;
      return info;
    }
    if (!pending_.empty()) pending_.pop_front();
    switch (front) {
      case expect::capa:  // RFC 2449 §5
        if (ok) {
          info.event = server_event::capabilities;
          for (const std::string_view line : m.body_lines()) {
            if (iequal(first_word(line), "STLS")) info.offers_starttls = true;
          }
        }
        break;
      case expect::stls:  // RFC 2595 §4: +OK, then the TLS negotiation
        blocked_ = false;
        info.event = ok ? server_event::starttls_ok : server_event::starttls_refused;
        break;
      case expect::auth:
        blocked_ = false;
        break;
      default:
        break;
    }
    return info;
  }

  std::string strip_starttls(std::string_view raw) const override {
    const std::vector<std::string_view> lines = raw_lines(raw);
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i > 0 && iequal(first_word(without_ending(lines[i])), "STLS")) continue;
      out += lines[i];
    }
    return out;
  }

  std::string refuse_starttls() override {
    if (!pending_.empty() && pending_.back() == expect::stls) pending_.pop_back();
    blocked_ = false;
    return "-ERR TLS not available\r\n";  // RFC 2595 §4
  }

  std::string inject(std::string_view raw) const override {
    // Answers to commands the client has not sent yet, received before TLS (RFC 2595 §3.1).
    return std::string(raw) + "+OK\r\nPLAIN\r\n.\r\n";
  }
  std::string tamper(std::string_view raw) const override { return inject(raw); }
  std::string downgrade_reply() const override { return "-ERR TLS not available\r\n"; }

  void restart_client() override {
    commands_.reset();
    pending_.clear();
    blocked_ = false;
    sasl_next_ = false;
  }

 private:
  void push(expect e) {
    if (pending_.size() >= max_pending) pending_.pop_front();
    pending_.push_back(e);
  }

  command_parser commands_;
  response_parser responses_;
  std::deque<expect> pending_;
  bool blocked_ = false;
  bool sasl_next_ = false;
  bool at_boundary_ = true;
};

}  // namespace

std::unique_ptr<protocol_rules> make_pop3_rules(const rules_limits& lim) {
  return std::make_unique<pop3_rules>(lim);
}

}  // namespace mailtls::mitm
