// Message transfer of the SMTP server session: DATA (RFC 5321 §4.1.1.4), BDAT (RFC 3030) and
// the hand-over to the backend (RFC 5321 §4.4 Received:, §6.1 reliable delivery).
#include <algorithm>
#include <utility>

#include "session/smtp/received.hpp"
#include "session/smtp/replies.hpp"
#include "session/smtp/session.hpp"

namespace mailtls::server::smtp {

namespace act = mailtls::session;
using codec::parse_result;
using codec::smtp::command;

void session::do_data(actions& out) {
  // RFC 5321 §3.3: 503 without MAIL, 554 "no valid recipients" without an accepted RCPT.
  if (!mail_from_) return reject(out, replies::need_mail);
  if (rcpt_to_.empty()) return reject(out, replies::no_recipients);
  if (bdat_used_) return reject(out, replies::data_after_bdat);  // RFC 3030 §2
  reply(out, replies::start_data);
  phase_ = phase::data;
  data_.reset();
  bug_hold_.clear();
  bug_after_lf_ = true;  // the CRLF of the DATA line (RFC 5321 §4.1.1.4)
}

void session::feed_data(std::string_view& in, std::string& owner, actions& out) {
  if (!cfg_.bugs.has(bug::bare_lf_end_of_data)) {
    // Ends ONLY on <CRLF>.<CRLF> (RFC 5321 §4.1.1.4); look-alikes are content.
    const parse_result r = data_.parse(in);
    in.remove_prefix(std::min(r.consumed, in.size()));
    if (!r.is_complete()) return;
    phase_ = phase::command;
    const auto& info = data_.info();
    if (info.smuggling != 0) {
      log(out, act::log_level::warn,
          std::to_string(info.smuggling) +
              " end-of-data look-alike(s) kept as content (first at data offset " +
              std::to_string(info.first_smuggling) + ")");
    }
    end_of_message(data_.content(), info.oversize, out);
    return;
  }

  // BUG (SMTP smuggling, CVE-2023-51764): "<LF>.<LF>" ends the data as well. A "." that
  // follows an LF is held back (in bug_hold_) until the next octet shows whether it is one.
  bug_hold_.append(in);
  in = {};
  std::size_t dot = std::string::npos;
  for (std::size_t from = 0;;) {
    const std::size_t at = bug_hold_.find(".\n", from);
    if (at == std::string::npos) break;
    if (at == 0 ? bug_after_lf_ : bug_hold_[at - 1] == '\n') {
      dot = at;
      break;
    }
    from = at + 1;
  }
  std::size_t feed = dot;
  if (dot == std::string::npos) {
    const std::size_t n = bug_hold_.size();
    const bool dot_after_lf =
        n >= 1 && bug_hold_[n - 1] == '.' && (n == 1 ? bug_after_lf_ : bug_hold_[n - 2] == '\n');
    feed = dot_after_lf ? n - 1 : n;
  }
  const parse_result r = data_.parse(std::string_view(bug_hold_).substr(0, feed));
  if (feed != 0) bug_after_lf_ = bug_hold_[feed - 1] == '\n';
  if (r.is_complete() || dot != std::string::npos) {
    // The rest is commands again.
    const std::size_t rest = r.is_complete() ? r.consumed : dot + 2;
    std::string leftover = bug_hold_.substr(rest);
    bug_hold_.clear();
    phase_ = phase::command;
    if (!r.is_complete()) {
      log(out, act::log_level::warn,
          "BUG INJECTION bare-lf-end-of-data: <LF>.<LF> ended the message");
    }
    end_of_message(data_.content(), data_.info().oversize, out);
    data_.reset();
    owner = std::move(leftover);
    in = owner;
    return;
  }
  bug_hold_.erase(0, feed);
}

void session::do_bdat(const command& c, actions& out) {
  if (!cfg_.offer_chunking) return reject(out, replies::not_implemented);
  // RFC 3030 §2: the chunk follows the command line whatever the reply will be, so it is read
  // (and dropped) before an error is given; otherwise its octets would be taken for commands.
  bdat_error_.clear();
  if (tls_gate_applies(codec::smtp::verb::bdat)) {
    bdat_error_ = replies::must_starttls;
  } else if (!mail_from_) {
    bdat_error_ = replies::need_mail;
  } else if (rcpt_to_.empty()) {
    bdat_error_ = replies::no_recipients;
  }
  if (bdat_error_.empty()) bdat_used_ = true;
  bdat_.begin_chunk(c.chunk_size, c.last);
  phase_ = phase::bdat;
  if (c.chunk_size == 0) end_of_chunk(out);
}

void session::feed_bdat(std::string_view& in, actions& out) {
  const parse_result r = bdat_.parse(in);
  in.remove_prefix(std::min(r.consumed, in.size()));
  if (r.is_complete()) end_of_chunk(out);
}

void session::end_of_chunk(actions& out) {
  phase_ = phase::command;
  if (!bdat_error_.empty()) {
    const std::string error = std::move(bdat_error_);
    bdat_error_.clear();
    bdat_.reset();
    reject(out, error);
    return;
  }
  if (bdat_.oversize()) {
    // RFC 3030 §2 / RFC 1870 §6.3: 552; the transaction is over.
    reply(out, replies::too_big);
    reset_transaction();
    after_message(out);
    return;
  }
  if (bdat_.message_complete()) {
    end_of_message(bdat_.content(), false, out);
    return;
  }
  reply(out, "250 2.0.0 Ok: " + std::to_string(bdat_.message_size()) + " octets received");
  if (shutting_down_) after_message(out);
}

void session::end_of_message(std::string_view content, bool oversize, actions& out) {
  if (oversize) {
    reply(out, replies::too_big);  // RFC 1870 §6.3, after the end of data
  } else {
    envelope env;
    env.helo = helo_;
    env.mail_from = mail_from_.value_or(std::string());
    env.rcpt_to = rcpt_to_;
    env.authenticated_user = user_.value_or(std::string());
    env.peer_address = peer_;
    env.tls = tls_;
    std::string message;
    received_info ri;
    ri.helo = helo_;
    ri.peer_address = peer_;
    ri.host_name = cfg_.host_name;
    ri.protocol = with_protocol(ehlo_, tls_, user_.has_value());
    ri.tls_version = tls_version_;
    ri.tls_cipher = tls_cipher_;
    if (rcpt_to_.size() == 1) ri.for_address = rcpt_to_.front();
    ri.now = backend_.now();
    append_received(ri, message);  // RFC 5321 §4.4
    message.append(content);
    // RFC 5321 §6.1: 250 only once the message is safely stored.
    if (const std::error_code ec = backend_.deliver(env, message)) {
      log(out, act::log_level::error, "delivery failed: " + ec.message());
      reply(out, replies::deliver_failed);
    } else {
      log(out, act::log_level::info,
          "accepted " + std::to_string(message.size()) + " octets from <" + env.mail_from +
              "> for " + std::to_string(env.rcpt_to.size()) + " recipient(s)");
      reply(out, replies::queued);
    }
  }
  reset_transaction();
  after_message(out);
}

void session::after_message(actions& out) {
  if (shutting_down_ && phase_ != phase::closed) close_with(out, replies::shutting_down);
}

}  // namespace mailtls::server::smtp
