// The POP3 server session (RFC 1939) with CAPA and extended response codes (RFC 2449), STLS
// (RFC 2595 §4), SASL AUTH PLAIN/LOGIN (RFC 5034) and the [AUTH]/[SYS/...] codes of RFC 3206,
// sans-I/O: events in, actions out (harness/session/server_session.hpp). One class serves port 110
// (cleartext, STLS required before authentication) and port 995 (implicit TLS).
//
//   memory_backend b;                       // or the Maildir store
//   pop3_session s(b, config{.listener = listener_kind::pop3});
//   session::actions out;
//   s.on_connect({.peer_address = "127.0.0.1"}, out);   // send "+OK mailtls POP3 ready\r\n", read
//   s.on_bytes("CAPA\r\n", out);                         // send the list, read
//
// docs/server-pop3.md describes every reply per listener and state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "codec/pop3/command_parser.hpp"
#include "codec/sasl/server_session.hpp"
#include "session/backend.hpp"
#include "session/pop3/config.hpp"
#include "session/pop3/maildrop.hpp"
#include "session/server_session.hpp"

namespace mailtls::server::pop3 {

namespace act = mailtls::session;

class pop3_session final : public act::server_session {
 public:
  pop3_session(backend& store, config cfg);
  ~pop3_session() override;

  void on_connect(const act::connection_facts& facts, act::actions& out) override;
  void on_bytes(std::string_view bytes, act::actions& out) override;
  void on_tls_established(const act::tls_facts& facts, act::actions& out) override;
  void on_tls_failed(std::string_view reason, act::actions& out) override;
  void on_timeout(act::actions& out) override;
  void on_shutdown(act::actions& out) override;

  bool tls_active() const override { return tls_active_; }
  bool authenticated() const override { return state_ == state::transaction; }
  bool closed() const override { return state_ == state::closed; }

  // The canonical account name once authenticated, else empty.
  const std::string& user() const { return account_; }
  std::uint32_t bad_commands() const { return bad_commands_; }
  const config& settings() const { return cfg_; }

 private:
  enum class state : std::uint8_t {
    not_connected,  // before on_connect
    authorization,  // RFC 1939 §4
    sasl,           // inside an AUTH exchange (RFC 5034 §4), still AUTHORIZATION
    awaiting_tls,   // start_tls emitted; no bytes until the TLS outcome
    transaction,    // RFC 1939 §5
    closed,         // close emitted (QUIT's UPDATE is done before)
  };

  // Feeds bytes to the parser and acts on every complete command (bounded loop).
  void process(std::string_view bytes, act::actions& out);
  void on_parse_error(const std::error_code& ec, std::string_view bytes, act::actions& out);
  void dispatch(const codec::pop3::command& c, std::string_view rest, act::actions& out);

  // AUTHORIZATION commands.
  void do_capa(act::actions& out);
  void do_stls(std::string_view rest, act::actions& out);
  void do_user(const codec::pop3::command& c, act::actions& out);
  void do_pass(const codec::pop3::command& c, act::actions& out);
  void do_auth(const codec::pop3::command& c, act::actions& out);
  void do_sasl_line(const codec::pop3::command& c, act::actions& out);
  void sasl_step(const codec::sasl::server_action& a, act::actions& out);
  void login(std::string_view user, std::string_view password, std::string_view mechanism,
             std::string_view authzid, act::actions& out);
  void login_failed(std::string_view user, std::string_view mechanism, act::actions& out);
  bool auth_allowed() const;
  bool offers_user() const;
  bool offers_sasl() const;
  bool offers_stls() const;

  // TRANSACTION commands.
  void do_transaction(const codec::pop3::command& c, act::actions& out);
  void do_quit(act::actions& out);

  void reply(std::string_view line, act::actions& out);
  void bad_command(std::string_view line, act::actions& out);
  void close(act::actions& out);
  void log(act::log_level level, std::string text, act::actions& out);
  void reset_authorization();

  backend& store_;
  config cfg_;
  codec::pop3::command_parser parser_;
  state state_ = state::not_connected;
  bool tls_active_ = false;
  std::string peer_;
  std::optional<std::string> user_;  // USER given, awaiting PASS
  std::string account_;              // canonical name after login
  std::unique_ptr<codec::sasl::server_session> sasl_;
  std::string sasl_mechanism_;  // "PLAIN" / "LOGIN" during an exchange
  std::unique_ptr<maildrop> drop_;
  std::string pending_;  // pop3-stls-injection: plaintext kept across the TLS upgrade
  std::string reply_;    // scratch buffer of multi-line replies
  std::uint32_t bad_commands_ = 0;
};

}  // namespace mailtls::server::pop3
