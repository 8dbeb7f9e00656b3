// Server side of a SASL PLAIN or LOGIN exchange, sans-I/O: each step returns one action for the
// protocol layer to carry out (in the style of Boost.Redis detail/*_fsm.hpp).
//
//   server_session s("PLAIN", initial_response);   // initial response: nullopt, "=" (empty),
//   base64 auto a = s.start();                             // send_challenge | authenticate | fail
//   while (a is send_challenge) {                   // SMTP "334 <base64>", IMAP/POP3 "+ <base64>"
//     a = s.on_client_line(line);                   // the client's line, without its CRLF
//   }
//   // authenticate{authzid, authcid, passwd}: check the credentials (the protocol layer decides);
//   // fail{error, detail, offset}: reject (cancelled -> SMTP 501 per RFC 4954 §4).
//
// Flows:
//   PLAIN, no initial response: send_challenge "" -> line -> authenticate | fail (RFC 4616 §2: the
//     server's challenge is empty; RFC 4422 §5 item 2).
//   PLAIN with initial response (RFC 4954 §4, RFC 4959, RFC 5034 §4): authenticate | fail at once.
//   LOGIN: send_challenge "VXNlcm5hbWU6" -> line -> send_challenge "UGFzc3dvcmQ6" -> line ->
//     authenticate (authzid empty) | fail. With an initial response (the user name, legacy SMTP
//     "AUTH LOGIN dXNlcg=="), the first challenge is the password prompt.
//
// Every action after the first authenticate or fail is fail{unexpected_line} (or invalid_state for
// a second start()): the session is over. The protocol layer must not feed lines then.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "codec/sasl/action.hpp"
#include "codec/sasl/mechanism.hpp"
#include "codec/sasl/plain.hpp"

namespace mailtls::codec::sasl {

// Send this base64 text as a challenge (possibly empty).
struct send_challenge {
  std::string base64;

  bool operator==(const send_challenge&) const = default;
};

// The client's credentials, ready for checking. For LOGIN the authzid is empty.
struct authenticate {
  std::string authzid;
  std::string authcid;
  std::string passwd;

  bool operator==(const authenticate&) const = default;
};

using server_action = std::variant<send_challenge, authenticate, fail>;

// send_challenge "<base64>" | authenticate authzid="" authcid="tim" passwd=<redacted> | fail ...
std::string to_string(const server_action& a, redaction r = redaction::on);

struct server_options {
  // Longest client line (and initial response) accepted, in octets without CRLF. RFC 4954 §4:
  // 12288 octets for an AUTH command line or a response line.
  std::size_t max_line = 12288;
  // Field rules for PLAIN (RFC 4616 §2) and, equally, LOGIN answers.
  plain_limits limits{};
  // Accept a LOGIN initial response (legacy SMTP clients). When false, start() with one fails with
  // unexpected_line.
  bool allow_login_initial_response = true;
};

class server_session {
 public:
  // `mechanism_name` as the client gave it (case-insensitive); others fail at start() with
  // unsupported_mechanism. `initial_response`: the text after the mechanism, "=" for an empty one.
  server_session(std::string_view mechanism_name,
                 std::optional<std::string_view> initial_response = std::nullopt,
                 server_options options = {});
  server_session(mechanism m, std::optional<std::string_view> initial_response = std::nullopt,
                 server_options options = {});
  ~server_session();
  server_session(const server_session&) = delete;
  server_session& operator=(const server_session&) = delete;

  server_action start();
  server_action on_client_line(std::string_view line);

  // True once authenticate or fail has been returned.
  bool finished() const { return state_ == state::finished; }
  std::optional<mechanism> mech() const { return mech_; }

 private:
  enum class state : unsigned char {
    not_started,
    await_plain,
    await_username,
    await_password,
    finished
  };

  server_action on_response(std::string_view base64_text);
  server_action finish(server_action a);
  server_action finish_fail(sasl_errc e, std::error_code detail = {}, std::size_t offset = 0);

  std::optional<mechanism> mech_;
  std::optional<std::string> initial_response_;
  server_options options_;
  state state_ = state::not_started;
  std::string decoded_;   // the decoded response being looked at
  std::string username_;  // LOGIN user name, until the password arrives
};

}  // namespace mailtls::codec::sasl
