// The SMTP server session (RFC 5321) for the three SMTP listeners: 25, 587 and 465 (see
// config.hpp and docs/server-smtp.md). Sans-I/O: events in, actions out (session/action.hpp).
//
//   memory_backend b; ...
//   session s(b, config::for_listener(listener::submission, "mx.example"));
//   actions out;
//   s.on_connect({"192.0.2.1", 40000, false}, out);   // send "220 mx.example ESMTP mailtls", read
//   s.on_bytes("EHLO c\r\nSTARTTLS\r\n", out);         // 250-..., 220 2.0.0 ..., start_tls
//   s.on_tls_established({"TLSv1.3", "TLS_AES_128_GCM_SHA256"}, out);  // read
//
// Extensions: STARTTLS (RFC 3207), AUTH PLAIN LOGIN (RFC 4954), SIZE (RFC 1870), 8BITMIME
// (RFC 6152), PIPELINING (RFC 2920), ENHANCEDSTATUSCODES (RFC 2034, RFC 3463), SMTPUTF8
// (RFC 6531), CHUNKING (RFC 3030, when config::offer_chunking).
//
// Commands are read with codec::smtp::command_parser, DATA with data_reader (ends only on
// <CRLF>.<CRLF>), BDAT with bdat_reader, the AUTH exchange with codec::sasl::server_session.
// Everything the client pipelined after an accepted STARTTLS is discarded (RFC 3207 §4.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/line_reader.hpp"
#include "codec/sasl/server_session.hpp"
#include "codec/smtp/bdat_reader.hpp"
#include "codec/smtp/command_parser.hpp"
#include "codec/smtp/data_reader.hpp"
#include "session/backend.hpp"
#include "session/server_session.hpp"
#include "session/smtp/config.hpp"

namespace mailtls::server::smtp {

using mailtls::session::actions;

class session final : public mailtls::session::server_session {
 public:
  // `b` must outlive the session.
  session(backend& b, config cfg);
  ~session() override;
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void on_connect(const mailtls::session::connection_facts& facts, actions& out) override;
  void on_bytes(std::string_view bytes, actions& out) override;
  void on_tls_established(const mailtls::session::tls_facts& facts, actions& out) override;
  void on_tls_failed(std::string_view reason, actions& out) override;
  void on_timeout(actions& out) override;
  void on_shutdown(actions& out) override;

  bool tls_active() const override { return tls_; }
  bool authenticated() const override { return user_.has_value(); }
  bool closed() const override { return phase_ == phase::closed; }

  const config& get_config() const { return cfg_; }
  // The EHLO/HELO argument in force (empty before EHLO/HELO and after STARTTLS).
  const std::string& helo() const { return helo_; }
  bool in_transaction() const { return mail_from_.has_value(); }
  std::uint32_t bad_commands() const { return bad_; }

 private:
  enum class phase : std::uint8_t {
    command,       // reading command lines
    auth,          // reading AUTH exchange lines
    auth_discard,  // skipping the rest of an over-long AUTH line, up to its LF
    data,          // reading DATA content
    bdat,          // reading a BDAT chunk
    awaiting_tls,  // start_tls emitted; no bytes until the TLS outcome
    closed,
  };

  // --- framing (session.cpp) ---
  void process(std::string_view in, actions& out);
  void on_command_result(const codec::parse_result& r, std::string_view& in, actions& out);
  void on_command_error(const codec::parse_result& r, std::string_view& in, actions& out);
  void feed_auth(std::string_view& in, actions& out);
  void finish(actions& out);  // appends read{idle} unless closed or awaiting TLS

  // --- replies and state (session.cpp) ---
  void reply(actions& out, std::string_view text);
  // A rejected command: the reply, then 421 and close when max_bad_commands is reached.
  void reject(actions& out, std::string_view text);
  void close_with(actions& out, std::string_view text);
  void log(actions& out, mailtls::session::log_level level, std::string text);
  void reset_transaction();
  void forget_session_state();  // RFC 3207 §4.2
  bool tls_gate_applies(codec::smtp::verb v) const;
  bool auth_offered() const;
  bool starttls_offered() const;

  // --- commands (commands.cpp) ---
  void dispatch(const codec::smtp::command& c, std::string_view& in, actions& out);
  void do_ehlo(const codec::smtp::command& c, actions& out);
  void do_helo(const codec::smtp::command& c, actions& out);
  void do_mail(const codec::smtp::command& c, actions& out);
  void do_rcpt(const codec::smtp::command& c, actions& out);
  void do_starttls(std::string_view& in, actions& out);
  void do_auth(const codec::smtp::command& c, actions& out);
  void do_help(actions& out);
  void on_sasl(const codec::sasl::server_action& a, actions& out);

  // --- message transfer (transfer.cpp) ---
  void do_data(actions& out);
  void do_bdat(const codec::smtp::command& c, actions& out);
  void feed_data(std::string_view& in, std::string& owner, actions& out);
  void feed_bdat(std::string_view& in, actions& out);
  void end_of_chunk(actions& out);
  void end_of_message(std::string_view content, bool oversize, actions& out);
  void after_message(actions& out);

  backend& backend_;
  config cfg_;
  phase phase_ = phase::command;
  codec::smtp::command_parser parser_;
  codec::line_reader auth_reader_;
  std::optional<codec::sasl::server_session> sasl_;
  std::string sasl_mech_;
  codec::smtp::data_reader data_;
  codec::smtp::bdat_reader bdat_;

  // Connection facts.
  std::string peer_;
  bool tls_ = false;
  std::string tls_version_;
  std::string tls_cipher_;

  // Session state (forgotten on STARTTLS, RFC 3207 §4.2).
  std::string helo_;
  bool ehlo_ = false;
  std::optional<std::string> user_;

  // Transaction state (RFC 5321 §4.1.4: reset by RSET, EHLO, HELO and the end of a message).
  std::optional<std::string> mail_from_;
  bool smtputf8_ = false;
  std::vector<std::string> rcpt_to_;
  bool bdat_used_ = false;
  std::string bdat_error_;  // reply to give once the current chunk has been read; "" = none

  // bare-lf-end-of-data bug: DATA bytes not yet given to data_ (a "." after an LF, held back
  // until the next octet shows whether it is "\n.\n"), and whether the last octet given was LF.
  std::string bug_hold_;
  bool bug_after_lf_ = true;
  // smtp-starttls-injection bug: bytes pipelined after STARTTLS, replayed once TLS is up.
  std::string injected_;

  std::uint32_t bad_ = 0;
  bool shutting_down_ = false;
};

}  // namespace mailtls::server::smtp
