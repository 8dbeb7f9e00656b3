#include "runner/command_state.hpp"

#include <vector>

#include "runner/text.hpp"

namespace mailtls::runner {
namespace {

// A command line longer than this is not a command the state needs to follow.
constexpr std::size_t max_partial = 4096;
// Unanswered POP3 commands remembered (a scenario pipelines a handful; more are not followed).
constexpr std::size_t max_pending = 64;

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto b = s.find_first_not_of(' ');
    if (b == std::string_view::npos) break;
    s.remove_prefix(b);
    const auto e = s.find(' ');
    out.push_back(s.substr(0, e));
    s.remove_prefix(e == std::string_view::npos ? s.size() : e);
  }
  return out;
}

}  // namespace

void command_state::sent(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      if (partial_.size() + bytes.size() <= max_partial) partial_.append(bytes);
      return;
    }
    if (partial_.size() + nl <= max_partial) {
      partial_.append(bytes.substr(0, nl));
      line(partial_);
    }
    partial_.clear();
    bytes.remove_prefix(nl + 1);
  }
}

void command_state::line(std::string_view l) {
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  const auto w = words(l);
  if (proto_ == protocol::imap) {
    // RFC 9051 §2.2.1: tag SP command. A line of one word is not a command but data for one
    // (an AUTHENTICATE response, DONE, a literal's continuation): the tag stays.
    if (w.size() < 2) return;
    tag_ = std::string(w[0]);
    verb_ = to_upper(w[1]);
    has_args_ = w.size() > 2;
    return;
  }
  if (w.empty()) return;
  // RFC 5034 §4: after a challenge, lines are SASL responses, not commands.
  if (proto_ == protocol::pop3 && pop3_sasl_) return;
  verb_ = to_upper(w[0]);
  has_args_ = w.size() > 1;
  if (proto_ == protocol::pop3 && pop3_pending_.size() < max_pending) {
    pop3_pending_.push_back({verb_, has_args_});
  }
}

void command_state::pop3_reply(const codec::pop3::response& r) {
  // A challenge keeps the AUTH exchange (and its command) open; anything else answers the oldest
  // command.
  pop3_sasl_ = r.is_continuation();
  if (!pop3_sasl_ && !pop3_pending_.empty()) pop3_pending_.pop_front();
}

void command_state::reset() {
  partial_.clear();
  tag_.clear();
  verb_.clear();
  has_args_ = false;
  pop3_sasl_ = false;
  pop3_pending_.clear();
}

codec::pop3::response_kind command_state::pop3_expectation() const {
  using codec::pop3::response_kind;
  if (pop3_sasl_) return response_kind::sasl;
  const auto& verb = pop3_pending_.empty() ? verb_ : pop3_pending_.front().verb;
  const bool has_args = pop3_pending_.empty() ? has_args_ : pop3_pending_.front().has_args;
  // RFC 5034 §4: AUTH <mechanism> starts a SASL exchange: a challenge or the final answer.
  if (verb == "AUTH" && has_args) return response_kind::sasl;
  if (verb == "CAPA" || verb == "RETR" || verb == "TOP") return response_kind::multi_line;
  if ((verb == "LIST" || verb == "UIDL" || verb == "AUTH") && !has_args) {
    return response_kind::multi_line;
  }
  return response_kind::single_line;
}

}  // namespace mailtls::runner
