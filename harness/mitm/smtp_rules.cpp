// SMTP rules of the proxy: commands (RFC 5321 §4.1.1), replies (§4.2), EHLO keywords, STARTTLS
// (RFC 3207), AUTH (RFC 4954), DATA and BDAT content (RFC 5321 §4.1.1.4, RFC 3030).
#include <deque>

#include "codec/line_reader.hpp"
#include "codec/smtp/bdat_reader.hpp"
#include "codec/smtp/command_parser.hpp"
#include "codec/smtp/data_reader.hpp"
#include "codec/smtp/reply_parser.hpp"
#include "mitm/protocol_rules.hpp"
#include "mitm/text_util.hpp"

namespace mailtls::mitm {
namespace {

using namespace codec::smtp;

// What the next reply answers.
enum class expect : std::uint8_t { greeting, ehlo, starttls, auth, data, data_end, other };

constexpr std::size_t max_pending = 256;  // pipelined commands awaiting replies (RFC 2920)

client_info info(client_event e, std::string summary, std::string problem = {}) {
  return {e, std::move(summary), std::move(problem)};
}

limits make_limits(const rules_limits& lim) {
  limits l;
  l.max_command_line = lim.max_line;
  // Replies are stored line by line by the codec: 64 lines of 16 KiB keep one reply within
  // 1 MiB (RFC 5321 §4.5.3.1.5 advises 512 octets per line).
  l.max_reply_line = lim.max_line < 16 * 1024 ? lim.max_line : 16 * 1024;
  l.max_reply_lines = 64;
  l.max_message_size = 0;  // content is counted, not stored
  l.allow_bare_lf = true;
  l.allow_bare_cr = true;
  l.allow_nul = true;
  return l;
}

class smtp_rules final : public protocol_rules {
 public:
  explicit smtp_rules(const rules_limits& lim)
      : commands_(make_limits(lim)),
        sasl_(codec::line_limits{lim.max_line, true, true, true}),
        data_(make_limits(lim)),
        bdat_(make_limits(lim)),
        replies_(make_limits(lim)) {
    pending_.push_back(expect::greeting);
  }

  codec::parse_result parse_client(std::string_view bytes) override {
    switch (mode_) {
      case mode::command:
        return commands_.parse(bytes);
      case mode::sasl:
        return sasl_.parse(bytes);
      case mode::data:
        return data_.parse(bytes);
      case mode::bdat:
        return bdat_.parse(bytes);
    }
    return commands_.parse(bytes);
  }

  client_info client_message(const codec::parse_result& r) override {
    const bool error = r.is_error();
    switch (mode_) {
      case mode::sasl: {
        mode_ = mode::command;
        blocked_ = true;  // RFC 4954 §4: the server answers every response
        if (!error && sasl_.line().text == "*")
          return info(client_event::other, "* (AUTH cancelled)");
        return info(client_event::credentials, "<SASL response redacted>");
      }
      case mode::data:
        mode_ = mode::command;
        return info(client_event::content,
                    "message content (" + std::to_string(data_.info().size) + " octets)");
      case mode::bdat:
        mode_ = mode::command;
        return info(client_event::content,
                    "BDAT chunk (" + std::to_string(bdat_.message_size()) + " octets so far)");
      case mode::command:
        break;
    }
    if (error) {
      push(expect::other);  // the server answers 500 / 501
      return info(client_event::other, "unparsable command", "command: " + r.error.message());
    }
    const command& c = commands_.get();
    std::string verb_name(to_string(c.v));
    switch (c.v) {
      case verb::ehlo:
      case verb::helo:
        push(expect::ehlo);
        return info(client_event::other, verb_name + " " + c.domain);
      case verb::starttls:  // RFC 3207 §4
        push(expect::starttls);
        blocked_ = true;
        return info(client_event::starttls, "STARTTLS");
      case verb::auth: {  // RFC 4954 §4
        push(expect::auth);
        blocked_ = true;
        std::string s = "AUTH " + c.mechanism;
        if (c.initial_response) s += " <redacted>";
        return info(client_event::credentials, s);
      }
      case verb::mail: {
        push(expect::other);
        std::string s = "MAIL FROM:";
        serialize(c.address, s);
        return info(client_event::mail, s);
      }
      case verb::rcpt: {
        push(expect::other);
        std::string s = "RCPT TO:";
        serialize(c.address, s);
        return info(client_event::mail, s);
      }
      case verb::data:  // RFC 5321 §4.1.1.4: content follows only after 354
        push(expect::data);
        blocked_ = true;
        return info(client_event::mail, "DATA");
      case verb::bdat:  // RFC 3030 §2: the chunk follows the command at once
        push(expect::other);
        if (c.chunk_size > 0) {
          mode_ = mode::bdat;
          bdat_.begin_chunk(c.chunk_size, c.last);
        }
        return info(client_event::mail,
                    "BDAT " + std::to_string(c.chunk_size) + (c.last ? " LAST" : ""));
      case verb::quit:  // RFC 5321 §4.1.1.10
        push(expect::other);
        return info(client_event::quit, verb_name);
      default:
        push(expect::other);
        return info(client_event::other, verb_name);
    }
  }

  bool client_blocked() const override { return blocked_; }
  bool client_flush_partial() const override { return mode_ == mode::data || mode_ == mode::bdat; }

  codec::parse_result parse_server(std::string_view bytes) override {
    return replies_.parse(bytes);
  }

  server_info server_message(const codec::parse_result& res) override {
    const expect front = pending_.empty() ? expect::other : pending_.front();
    const reply& r = replies_.get();
    const int code = res.is_error() ? 0 : r.code;
    if (front == expect::auth && code == 334) {  // RFC 4954 §4: a challenge, the exchange goes on
      mode_ = mode::sasl;
      blocked_ = false;
      return {};
    }
    if (!pending_.empty()) pending_.pop_front();
    server_info info;
    if (res.is_error()) info.problem = "reply: " + res.error.message();
    switch (front) {
      case expect::ehlo:
        if (code == 250) {
          info.event = server_event::capabilities;
          for (std::size_t i = 1; i < r.lines.size(); ++i) {
            if (iequal(first_word(r.lines[i]), "STARTTLS")) info.offers_starttls = true;
          }
        }
        break;
      case expect::starttls:  // RFC 3207 §4: 220 ready, else no TLS
        blocked_ = false;
        info.event = code == 220 ? server_event::starttls_ok : server_event::starttls_refused;
        break;
      case expect::auth:
        blocked_ = false;
        mode_ = mode::command;
        break;
      case expect::data:
        blocked_ = false;
        if (code == 354) {
          mode_ = mode::data;
          push_front(expect::data_end);
        }
        break;
      default:
        break;
    }
    return info;
  }

  std::string strip_starttls(std::string_view raw) const override {
    const std::vector<std::string_view> lines = raw_lines(raw);
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view text = without_ending(lines[i]);
      if (i > 0 && text.size() >= 4 && iequal(first_word(text.substr(4)), "STARTTLS")) continue;
      kept.emplace_back(lines[i]);
    }
    if (kept.size() == lines.size()) return std::string(raw);
    // RFC 5321 §4.2: "ddd-" on every line but the last, "ddd " on the last.
    std::string out;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      std::string& line = kept[i];
      const bool last = i + 1 == kept.size();
      if (line.size() > 3 && without_ending(line).size() > 3) {
        line[3] = last ? ' ' : '-';
      } else if (!last && line.size() >= 3) {
        line.insert(3, "-");
      }
      out += line;
    }
    return out;
  }

  std::string refuse_starttls() override {
    if (!pending_.empty() && pending_.back() == expect::starttls) pending_.pop_back();
    blocked_ = false;
    return "454 4.7.0 TLS not available\r\n";  // RFC 3207 §4
  }

  std::string inject(std::string_view raw) const override {
    // CVE-2011-0411 class: replies the client must not read as the server's, since they came
    // before TLS (RFC 3207 §4.2).
    return std::string(raw) + "250-x\r\n250 AUTH PLAIN LOGIN\r\n";
  }
  std::string tamper(std::string_view raw) const override { return inject(raw); }
  std::string downgrade_reply() const override { return "454 4.7.0 TLS not available\r\n"; }

  void restart_client() override {
    commands_.reset();
    sasl_.reset();
    data_.reset();
    bdat_.reset();
    mode_ = mode::command;
    blocked_ = false;
    pending_.clear();
  }

 private:
  enum class mode : std::uint8_t { command, sasl, data, bdat };

  void push(expect e) {
    if (pending_.size() >= max_pending) pending_.pop_front();
    pending_.push_back(e);
  }
  void push_front(expect e) {
    if (pending_.size() >= max_pending) pending_.pop_back();
    pending_.push_front(e);
  }

  command_parser commands_;
  codec::line_reader sasl_;
  data_reader data_;
  bdat_reader bdat_;
  reply_parser replies_;
  std::deque<expect> pending_;
  mode mode_ = mode::command;
  bool blocked_ = false;
};

}  // namespace

std::unique_ptr<protocol_rules> make_smtp_rules(const rules_limits& lim) {
  return std::make_unique<smtp_rules>(lim);
}

}  // namespace mailtls::mitm
