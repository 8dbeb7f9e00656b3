// Mailbox-level commands (RFC 9051 §6.3, §6.4.1-2): SELECT, EXAMINE, LIST, LSUB, NAMESPACE,
// STATUS, APPEND, IDLE, NOOP/CHECK, CLOSE, UNSELECT.
#include <algorithm>

#include "session/imap/fetch_writer.hpp"
#include "session/imap/imap_session.hpp"

namespace mailtls::server::imap {

namespace {

constexpr std::string_view system_flags = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)";

// A mailbox name as a quoted string (or a literal when it cannot be quoted).
std::string mailbox_string(std::string_view name) {
  std::string out;
  cimap::serialize(cimap::value::make_string(name), out);
  return out;
}

// RFC 9051 §6.3.9: "*" matches anything, "%" anything but the hierarchy delimiter "/".
// Dynamic programming over (pattern, name): O(|pattern| * |name|), no recursion.
bool list_match(std::string_view pattern, std::string_view name) {
  std::vector<char> prev(name.size() + 1, 0), cur(name.size() + 1, 0);
  prev[0] = 1;
  for (char p : pattern) {
    std::fill(cur.begin(), cur.end(), 0);
    if (p == '*' || p == '%') {
      cur[0] = prev[0];
      for (std::size_t j = 1; j <= name.size(); ++j)
        cur[j] = prev[j] || (cur[j - 1] && (p == '*' || name[j - 1] != '/'));
    } else {
      for (std::size_t j = 1; j <= name.size(); ++j)
        cur[j] = prev[j - 1] && name[j - 1] == p;
    }
    std::swap(prev, cur);
  }
  return prev[name.size()] != 0;
}

}  // namespace

std::optional<std::string> imap_session::resolve_mailbox(std::string_view name) {
  // RFC 9051 §5.1: INBOX is case-insensitive; other names are compared exactly.
  if (cimap::iequals(name, "INBOX")) return std::string("INBOX");
  for (auto& n : backend_.list_mailboxes(user_))
    if (n == name) return n;
  return std::nullopt;
}

void imap_session::report_new_messages(act::actions& out) {
  if (!mailbox_) return;
  mailbox_->refresh();
  const std::size_t n = mailbox_->messages().size();
  if (n > known_exists_) send(out, "* " + std::to_string(n) + " EXISTS\r\n");  // RFC 9051 §7.4.1
  known_exists_ = n;
}

void imap_session::cmd_select(const cimap::command& c, bool read_only, act::actions& out) {
  const char* verb = read_only ? "EXAMINE" : "SELECT";
  if (c.args.size() > 1)
    return bad(out, c.tag, std::string(verb) + " parameters are not supported");
  if (state_ == state::selected) {
    // RFC 9051 §6.3.2: selecting closes the current mailbox (no expunge); CLOSED says so.
    mailbox_.reset();
    state_ = state::authenticated;
    if (rev2_) send(out, "* OK [CLOSED] Previous mailbox closed\r\n");
  }
  const auto name = resolve_mailbox(c.args[0].text);
  std::unique_ptr<mailbox> box = name ? backend_.open_mailbox(user_, *name) : nullptr;
  if (!box) return tagged(out, c.tag, "NO [NONEXISTENT] Mailbox does not exist");  // RFC 5530
  mailbox_ = std::move(box);
  mailbox_name_ = *name;
  read_only_ = read_only;
  state_ = state::selected;
  const auto& msgs = mailbox_->messages();
  known_exists_ = msgs.size();
  // RFC 9051 §6.3.2 (RFC 3501 §6.3.1 for the IMAP4rev1 RECENT and UNSEEN responses).
  send(out, "* FLAGS " + std::string(system_flags) + "\r\n");
  send(out, "* " + std::to_string(msgs.size()) + " EXISTS\r\n");
  if (!rev2_) {
    send(out, "* 0 RECENT\r\n");
    for (std::size_t i = 0; i < msgs.size(); ++i) {
      if ((msgs[i].flags & flag_seen) != 0) continue;
      send(out, "* OK [UNSEEN " + std::to_string(i + 1) + "] First unseen\r\n");
      break;
    }
  }
  send(out, "* OK [UIDVALIDITY " + std::to_string(mailbox_->uid_validity()) + "] UIDs valid\r\n");
  send(out, "* OK [UIDNEXT " + std::to_string(mailbox_->uid_next()) + "] Predicted next UID\r\n");
  if (read_only)
    send(out, "* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n");
  else
    send(out, "* OK [PERMANENTFLAGS " + std::string(system_flags) + "] Limited\r\n");
  if (rev2_) send(out, "* LIST () \"/\" " + mailbox_string(mailbox_name_) + "\r\n");
  tagged(out, c.tag,
         read_only ? "OK [READ-ONLY] EXAMINE completed" : "OK [READ-WRITE] SELECT completed");
}

void imap_session::cmd_list(const cimap::command& c, act::actions& out) {
  const bool lsub = c.kind == cimap::command_kind::lsub;
  const char* verb = lsub ? "LSUB" : "LIST";
  // RFC 9051 §6.3.9 basic form: reference and mailbox pattern. RFC 5258 extended forms are not
  // supported.
  if (c.args.size() != 2 || !c.args[0].is_astring() ||
      !(c.args[1].is_astring() || c.args[1].is_plain_atom()))
    return bad(out, c.tag, "Extended LIST is not supported");
  const std::string& ref = c.args[0].text;
  const std::string& pattern = c.args[1].text;
  if (pattern.empty()) {
    // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter.
    if (!lsub) send(out, "* LIST (\\Noselect) \"/\" \"\"\r\n");
    return tagged(out, c.tag, std::string("OK ") + verb + " completed");
  }
  const std::string full = ref + pattern;
  for (const auto& name : backend_.list_mailboxes(user_)) {
    const bool inbox = cimap::iequals(name, "INBOX");
    const bool match =
        list_match(full, name) || (inbox && full.size() == 5 && cimap::iequals(full, "INBOX"));
    if (!match) continue;
    send(out, std::string("* ") + verb + " () \"/\" " + mailbox_string(name) + "\r\n");
  }
  tagged(out, c.tag, std::string("OK ") + verb + " completed");
}

void imap_session::cmd_namespace(const cimap::command& c, act::actions& out) {
  send(out, "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n");  // RFC 2342 §5, RFC 9051 §6.3.10
  tagged(out, c.tag, "OK NAMESPACE completed");
}

void imap_session::cmd_status(const cimap::command& c, act::actions& out) {
  const auto name = resolve_mailbox(c.args[0].text);
  std::unique_ptr<mailbox> opened;
  mailbox* box = nullptr;
  if (name && mailbox_ && *name == mailbox_name_) {
    box = mailbox_.get();
  } else if (name) {
    opened = backend_.open_mailbox(user_, *name);
    box = opened.get();
  }
  if (box == nullptr) return tagged(out, c.tag, "NO [NONEXISTENT] Mailbox does not exist");
  const auto& msgs = box->messages();
  std::string items;
  for (const auto& a : c.args[1].items) {
    std::uint64_t v = 0;
    if (a.atom_is("MESSAGES")) {
      v = msgs.size();
    } else if (a.atom_is("UIDNEXT")) {
      v = box->uid_next();
    } else if (a.atom_is("UIDVALIDITY")) {
      v = box->uid_validity();
    } else if (a.atom_is("UNSEEN")) {
      v = static_cast<std::uint64_t>(std::count_if(
          msgs.begin(), msgs.end(), [](const auto& m) { return (m.flags & flag_seen) == 0; }));
    } else if (a.atom_is("DELETED")) {
      v = static_cast<std::uint64_t>(std::count_if(
          msgs.begin(), msgs.end(), [](const auto& m) { return (m.flags & flag_deleted) != 0; }));
    } else if (a.atom_is("SIZE")) {
      for (const auto& m : msgs)
        v += m.size;
    } else if (a.atom_is("RECENT")) {
      v = 0;  // RFC 3501: this server has no \Recent messages
    } else {
      return bad(out, c.tag, "Unknown STATUS item");
    }
    if (!items.empty()) items.push_back(' ');
    for (char ch : a.text)
      items.push_back(ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch);
    items += " " + std::to_string(v);
  }
  // RFC 9051 §7.3.2.
  send(out, "* STATUS " + mailbox_string(*name) + " (" + items + ")\r\n");
  tagged(out, c.tag, "OK STATUS completed");
}

void imap_session::cmd_append(const cimap::command& c, act::actions& out) {
  // RFC 9051 §6.3.12: APPEND mailbox [flag-list] [date-time] literal. MULTIAPPEND (RFC 3502) and
  // CATENATE (RFC 4469) are not offered.
  std::uint8_t flags = 0;
  std::int64_t date = backend_.now();
  const cimap::value* message = nullptr;
  std::size_t i = 1;
  if (i < c.args.size() && c.args[i].is_list()) {
    for (const auto& f : c.args[i].items)
      flags = static_cast<std::uint8_t>(flags | flag_bit(f.text));
    ++i;
  }
  if (i < c.args.size() && c.args[i].kind == cimap::value_kind::quoted) {
    const auto t = parse_date_time(c.args[i].text);
    if (!t) return bad(out, c.tag, "Invalid date-time");
    date = *t;
    ++i;
  }
  if (i < c.args.size() && c.args[i].kind == cimap::value_kind::literal) message = &c.args[i++];
  if (message == nullptr || i != c.args.size())
    return bad(out, c.tag, "MULTIAPPEND and CATENATE are not supported");
  if (message->text.size() > config_.limits.max_message_size)
    return tagged(out, c.tag, "NO [TOOBIG] Message too large");
  const auto name = resolve_mailbox(c.args[0].text);
  const bool into_selected = name && mailbox_ && *name == mailbox_name_;
  std::unique_ptr<mailbox> opened;
  if (name && !into_selected) opened = backend_.open_mailbox(user_, *name);
  mailbox* box = into_selected ? mailbox_.get() : opened.get();
  // RFC 9051 §6.3.12: TRYCREATE when the target does not exist.
  if (box == nullptr) return tagged(out, c.tag, "NO [TRYCREATE] Mailbox does not exist");
  if (box->messages().size() >= config_.limits.max_mailbox_messages)
    return tagged(out, c.tag, "NO [OVERQUOTA] Mailbox is full");
  const std::uint32_t uid = box->uid_next();
  if (box->append(message->text, flags, date)) {
    log(out, act::log_level::error, "APPEND failed");
    return tagged(out, c.tag, "NO [UNAVAILABLE] Failed to save the message");
  }
  if (into_selected) report_new_messages(out);
  // RFC 4315 §3 APPENDUID, when the backend assigned the predicted UID.
  if (box->uid_next() == uid + 1)
    return tagged(out, c.tag,
                  "OK [APPENDUID " + std::to_string(box->uid_validity()) + " " +
                      std::to_string(uid) + "] APPEND completed");
  tagged(out, c.tag, "OK APPEND completed");
}

void imap_session::cmd_idle(const cimap::command& c, act::actions& out) {
  // RFC 2177 §3: "+ idling", then updates, until DONE.
  sub_tag_ = c.tag;
  sub_mode_ = sub_mode::idle;
  parser_.set_mode(cimap::client_mode::idle);
  send(out, "+ idling\r\n");
}

void imap_session::on_idle_done(act::actions& out) {
  sub_mode_ = sub_mode::none;
  parser_.set_mode(cimap::client_mode::command);
  report_new_messages(out);
  tagged(out, sub_tag_, "OK IDLE terminated");
}

void imap_session::cmd_noop(const cimap::command& c, act::actions& out) {
  // RFC 9051 §6.1.2: NOOP is the way to poll for updates.
  report_new_messages(out);
  tagged(out, c.tag,
         c.kind == cimap::command_kind::check ? "OK CHECK completed" : "OK NOOP completed");
}

void imap_session::cmd_close(const cimap::command& c, bool expunge, act::actions& out) {
  // RFC 9051 §6.4.1: CLOSE expunges silently (not in a read-only mailbox); §6.4.2 UNSELECT
  // does not.
  if (expunge && !read_only_) do_expunge(nullptr, true, out);
  mailbox_.reset();
  mailbox_name_.clear();
  state_ = state::authenticated;
  tagged(out, c.tag, expunge ? "OK CLOSE completed" : "OK UNSELECT completed");
}

}  // namespace mailtls::server::imap
