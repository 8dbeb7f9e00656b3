// Client side of a SASL PLAIN or LOGIN exchange, sans-I/O and action-returning like
// server_session.
//
//   client_session c(mechanism::plain, {"", "tim", "tanstaaftanstaaf"}, /*initial_response=*/true);
//   auto a = c.start();        // send_response{initial} | await_challenge | fail
//   // each challenge the server sends (SMTP "334 <b64>", IMAP/POP3 "+ <b64>"), without the prefix:
//   a = c.on_server_challenge(b64);   // send_response | fail
//   // the server's final reply (SMTP 235 / 535, IMAP OK / NO, POP3 +OK / -ERR):
//   a = c.on_outcome(accepted);       // done | fail{rejected} | fail{premature_success}
//
// Flows:
//   PLAIN, initial response allowed: start() -> send_response{initial, secret} (the PLAIN blob).
//   PLAIN otherwise: start() -> await_challenge; challenge "" -> send_response{secret}. A
//     non-empty challenge fails with unexpected_challenge (RFC 4616 §2: the mechanism is a single
//     client message) unless options.allow_plain_challenge_text.
//   LOGIN: start() -> await_challenge (LOGIN is server-first, draft-murchison-sasl-login-00), or
//     with options.login_initial_response and an initial response allowed, send_response{initial}
//     carrying the user name (legacy SMTP "AUTH LOGIN <b64 user>"). Then the username prompt ->
//     send_response (user name), the password prompt -> send_response{secret} (password).
//   LOGIN prompts are read per options.login_prompts (login.hpp): by default case-insensitively,
//     with or without the trailing colon, "User Name" accepted; unknown text fails with
//     unknown_prompt, a prompt out of order with unexpected_prompt.
//   Any challenge after the last response: fail{unexpected_challenge}. A challenge that is not
//   valid base64: fail{bad_base64} with the base64 error as detail.
//   on_outcome(true) before the last response was sent: fail{premature_success}.
//
// `done` is returned only by on_outcome(true) after every response was sent: SASL PLAIN and LOGIN
// have no additional data with success (RFC 4422 §3.6), so the end of the exchange is the
// protocol's final reply, not a challenge.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "codec/sasl/action.hpp"
#include "codec/sasl/login.hpp"
#include "codec/sasl/mechanism.hpp"
#include "codec/sasl/plain.hpp"

namespace mailtls::codec::sasl {

struct client_credentials {
  std::string authzid;  // empty: none (PLAIN); LOGIN has no authzid and ignores it
  std::string authcid;
  std::string passwd;
};

// Send this base64 text: on the command line when `initial` (the protocol puts it after the
// mechanism name; it is never empty for PLAIN and LOGIN, "=" would stand for empty), else as a
// line of its own. `secret` marks text that contains the password.
struct send_response {
  std::string base64;
  bool initial = false;
  bool secret = false;

  bool operator==(const send_response&) const = default;
};

// Send the command without an initial response and wait for the first challenge.
struct await_challenge {
  bool operator==(const await_challenge&) const = default;
};

// The server accepted the credentials after the whole exchange.
struct done {
  bool operator==(const done&) const = default;
};

using client_action = std::variant<send_response, await_challenge, done, fail>;

// initial_response "<b64>" | send_response "<b64>" | ... <redacted> (secret) | await_challenge |
// done | fail ...
std::string to_string(const client_action& a, redaction r = redaction::on);

struct client_options {
  login::prompt_policy login_prompts = login::prompt_policy::relaxed;
  // Send the LOGIN user name as an initial response when the protocol allows one.
  bool login_initial_response = false;
  // Ignore the text of a non-empty PLAIN challenge instead of failing.
  bool allow_plain_challenge_text = false;
  // Longest challenge accepted, base64 octets (RFC 4954 §4: 12288 octets a line).
  std::size_t max_challenge = 12288;
  plain_limits limits{};
};

class client_session {
 public:
  client_session(mechanism m, client_credentials credentials, bool initial_response_allowed,
                 client_options options = {});
  ~client_session();
  client_session(const client_session&) = delete;
  client_session& operator=(const client_session&) = delete;

  client_action start();
  client_action on_server_challenge(std::string_view base64_text);
  client_action on_outcome(bool accepted);

  bool finished() const { return state_ == state::finished; }

 private:
  enum class state : unsigned char {
    not_started,
    await_plain,     // PLAIN response not sent yet
    await_username,  // LOGIN: waiting for the user name prompt
    await_password,  // LOGIN: waiting for the password prompt
    all_sent,        // every response sent; waiting for the outcome
    finished,
  };

  client_action finish(client_action a);
  client_action finish_fail(sasl_errc e, std::error_code detail = {}, std::size_t offset = 0);
  client_action plain_response(bool initial);
  client_action login_response(login::field which, bool initial);

  mechanism mech_;
  client_credentials creds_;
  bool initial_allowed_;
  client_options options_;
  state state_ = state::not_started;
};

}  // namespace mailtls::codec::sasl
