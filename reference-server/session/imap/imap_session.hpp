// The IMAP server session (RFC 9051 IMAP4rev2 / RFC 3501 IMAP4rev1 subset), sans-I/O: bytes and
// TLS events in, printable actions out (harness/session/action.hpp). Serves 143 (STARTTLS) and
// 993 (implicit TLS). See docs/server-imap.md for the behaviour per listener.
//
// The implementation is split by concern: imap_session.cpp (events, framing loop, dispatch,
// errors), imap_auth.cpp (capabilities, STARTTLS, LOGIN, AUTHENTICATE, ENABLE, ID),
// imap_mailbox_commands.cpp (SELECT ... APPEND), imap_message_commands.cpp (FETCH, STORE, SEARCH,
// COPY, EXPUNGE), fetch_writer.cpp (FETCH data items, dates).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/imap/command_parser.hpp"
#include "codec/imap/sequence_set.hpp"
#include "codec/sasl/server_session.hpp"
#include "session/backend.hpp"
#include "session/imap/config.hpp"
#include "session/server_session.hpp"

namespace mailtls::server::imap {

namespace act = mailtls::session;
namespace cimap = mailtls::codec::imap;

class imap_session final : public act::server_session {
 public:
  imap_session(backend& b, imap_config config);
  ~imap_session() override;

  void on_connect(const act::connection_facts& facts, act::actions& out) override;
  void on_bytes(std::string_view bytes, act::actions& out) override;
  void on_tls_established(const act::tls_facts& facts, act::actions& out) override;
  void on_tls_failed(std::string_view reason, act::actions& out) override;
  void on_timeout(act::actions& out) override;
  void on_shutdown(act::actions& out) override;

  bool tls_active() const override { return tls_active_; }
  bool authenticated() const override { return logged_in_; }
  bool closed() const override { return closed_; }

  // For tests and logs.
  bool selected() const { return state_ == state::selected; }
  const std::string& user() const { return user_; }
  std::uint32_t bad_commands() const { return bad_count_; }

  // The capabilities currently advertised (greeting, CAPABILITY), e.g. "IMAP4rev1 ... STARTTLS".
  std::string capabilities() const;

 private:
  enum class state : std::uint8_t { not_authenticated, authenticated, selected, logout };
  enum class sub_mode : std::uint8_t { none, authenticate, idle };

  // --- imap_session.cpp: framing loop, dispatch, replies ---
  void process(std::string_view bytes, act::actions& out);
  void on_message(std::string_view rest, act::actions& out);
  void on_parse_error(const codec::parse_result& r, act::actions& out);
  void dispatch(const cimap::command& c, act::actions& out);
  void send(act::actions& out, std::string text);
  void tagged(act::actions& out, std::string_view tag, std::string_view status_and_text);
  // "tag BAD text" (or "* BAD" without a tag), counted toward max_bad_commands.
  void bad(act::actions& out, std::string_view tag, std::string_view text);
  void bye_and_close(act::actions& out, std::string_view text);
  void log(act::actions& out, act::log_level level, std::string text);
  void reset_after_tls();
  std::string tag_of_failed_message() const;

  // --- imap_auth.cpp ---
  void cmd_capability(const cimap::command& c, act::actions& out);
  void cmd_starttls(const cimap::command& c, bool had_argument, act::actions& out);
  void cmd_login(const cimap::command& c, act::actions& out);
  void cmd_authenticate(const cimap::command& c, act::actions& out);
  void on_sasl_line(const cimap::client_continuation& k, act::actions& out);
  void on_sasl_action(const codec::sasl::server_action& a, act::actions& out);
  void finish_login(std::string_view tag, std::string_view user, std::string_view password,
                    act::actions& out);
  bool login_allowed() const;
  void cmd_enable(const cimap::command& c, act::actions& out);
  void cmd_id(const cimap::command& c, act::actions& out);
  void cmd_logout(const cimap::command& c, act::actions& out);
  std::string greeting() const;

  // --- imap_mailbox_commands.cpp ---
  void cmd_select(const cimap::command& c, bool read_only, act::actions& out);
  void cmd_list(const cimap::command& c, act::actions& out);
  void cmd_status(const cimap::command& c, act::actions& out);
  void cmd_append(const cimap::command& c, act::actions& out);
  void cmd_close(const cimap::command& c, bool expunge, act::actions& out);
  void cmd_namespace(const cimap::command& c, act::actions& out);
  void cmd_idle(const cimap::command& c, act::actions& out);
  void on_idle_done(act::actions& out);
  void cmd_noop(const cimap::command& c, act::actions& out);
  // The mailbox name as stored ("INBOX" for any case of inbox), or nothing if it does not exist.
  std::optional<std::string> resolve_mailbox(std::string_view name);
  // Picks up new messages and sends "* n EXISTS" when the count grew (RFC 9051 §7.4.1).
  void report_new_messages(act::actions& out);

  // --- imap_message_commands.cpp ---
  void cmd_fetch(const cimap::command& c, act::actions& out);
  void cmd_store(const cimap::command& c, act::actions& out);
  void cmd_search(const cimap::command& c, act::actions& out);
  void cmd_copy(const cimap::command& c, act::actions& out);
  void cmd_expunge(const cimap::command& c, act::actions& out);
  // Indices (0-based) of the messages a sequence set or UID set names, or nothing if a message
  // sequence number is out of range (the caller answers BAD).
  std::optional<std::vector<std::size_t>> select_messages(const cimap::sequence_set& set,
                                                          bool uid) const;
  // Expunges the messages flagged \Deleted (only those in `only_uids` when given); sends
  // "* n EXPUNGE" unless silent.
  bool do_expunge(const std::vector<std::uint32_t>* only_uids, bool silent, act::actions& out);

  backend& backend_;
  imap_config config_;
  cimap::command_parser parser_;
  state state_ = state::not_authenticated;
  sub_mode sub_mode_ = sub_mode::none;
  bool tls_active_ = false;
  bool secure_ = false;        // TLS, or the implicit-cleartext bug on 993
  bool awaiting_tls_ = false;  // start_tls emitted, no TLS outcome yet
  bool closed_ = false;
  bool connected_ = false;
  bool logged_in_ = false;  // LOGIN or AUTHENTICATE succeeded (or the PREAUTH bug)
  bool rev2_ = false;       // ENABLE IMAP4rev2 (RFC 9051 §6.3.1)
  std::uint32_t bad_count_ = 0;
  std::string user_;
  std::string sub_tag_;  // tag of the AUTHENTICATE or IDLE in progress
  std::unique_ptr<codec::sasl::server_session> sasl_;
  std::unique_ptr<mailbox> mailbox_;
  std::string mailbox_name_;
  bool read_only_ = false;
  std::size_t known_exists_ = 0;  // the message count the client was told
  std::string message_start_;     // first bytes of the message being framed (for error tags)
  std::string injected_;          // bytes kept across STARTTLS (imap-starttls-injection bug)
  std::string scratch_;           // message bodies read for FETCH/COPY
};

}  // namespace mailtls::server::imap
