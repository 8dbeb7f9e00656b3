// What the interpreter remembers of the commands it sent: the last complete command line's tag
// (IMAP) and verb, which decide `S: tag ...` and whether a POP3 response is multi-line.
#pragma once

#include <deque>
#include <string>
#include <string_view>

#include "codec/pop3/response.hpp"
#include "codec/pop3/response_parser.hpp"
#include "runner/service.hpp"

namespace mailtls::runner {

class command_state {
 public:
  explicit command_state(protocol p) : proto_(p) {}

  // Bytes just sent. Every complete line (ending in LF) updates the last command; a line sent in
  // pieces (`C+:` then `C:`) counts once it is complete; of several lines the last one counts
  // for tag() and verb(). POP3 queues every command line: each response answers the oldest.
  void sent(std::string_view bytes);
  // A POP3 response was read: a SASL challenge keeps the exchange going, anything else ends it.
  void pop3_reply(const codec::pop3::response& r);
  // After a TLS handshake: nothing sent yet on the new stream.
  void reset();

  const std::string& tag() const { return tag_; }    // IMAP: first word of the last command
  const std::string& verb() const { return verb_; }  // upper case: EHLO, CAPA, LOGIN, ...
  bool has_arguments() const { return has_args_; }

  // What the next POP3 response may be, from the oldest unanswered command (RFC 1939 §3, RFC 2449
  // §5, RFC 5034 §4): multi-line after CAPA, LIST / UIDL without argument, RETR, TOP and AUTH
  // without argument (the mechanism list); a SASL challenge or the final answer during AUTH
  // <mechanism>.
  codec::pop3::response_kind pop3_expectation() const;

 private:
  void line(std::string_view l);

  protocol proto_;
  std::string partial_;  // the start of a line not yet complete
  std::string tag_;
  std::string verb_;
  bool has_args_ = false;
  bool pop3_sasl_ = false;  // inside AUTH <mechanism> after a challenge: lines are SASL data
  // POP3 commands sent and not answered yet, oldest first (RFC 2449 §6.6 pipelining): the
  // response read next answers the front one, whatever was sent after it in the same write.
  struct pending {
    std::string verb;
    bool has_args = false;
  };
  std::deque<pending> pop3_pending_;
};

}  // namespace mailtls::runner
