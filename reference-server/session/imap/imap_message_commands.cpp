// Message-level commands of the selected state (RFC 9051 §6.4): FETCH, STORE, SEARCH, COPY,
// MOVE (RFC 6851), EXPUNGE and UID EXPUNGE (RFC 4315), each also as UID command (§6.4.9).
#include <algorithm>

#include "session/imap/fetch_writer.hpp"
#include "session/imap/imap_session.hpp"

namespace mailtls::server::imap {

namespace {

// Compact sequence set "1:3,5" of ascending numbers (RFC 9051 §9, for ESEARCH and COPYUID).
std::string compact_set(const std::vector<std::uint32_t>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size();) {
    std::size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1)
      ++j;
    if (!out.empty()) out.push_back(',');
    out += std::to_string(v[i]);
    if (j > i) out += ":" + std::to_string(v[j]);
    i = j + 1;
  }
  return out;
}

// SEARCH keys (RFC 9051 §6.4.4), compiled to a small tree and evaluated per message.
struct search_key {
  enum class op : std::uint8_t {
    all,
    and_,
    or_,
    not_,
    flag_set,
    flag_clear,
    seq,
    uid,
    larger,
    smaller
  };
  op kind = op::all;
  std::uint8_t flag = 0;
  std::uint64_t number = 0;
  cimap::sequence_set set;
  std::vector<search_key> kids;
};

constexpr std::size_t max_search_depth = 32;

struct search_compiler {
  const std::vector<cimap::value>& args;
  std::string error;

  bool fail(std::string e) {
    if (error.empty()) error = std::move(e);
    return false;
  }

  bool key(const std::vector<cimap::value>& list, std::size_t& at, search_key& k,
           std::size_t depth) {
    if (depth > max_search_depth) return fail("SEARCH nested too deeply");
    if (at >= list.size()) return fail("Missing SEARCH key");
    const cimap::value& v = list[at++];
    if (v.is_list()) {
      k.kind = search_key::op::and_;
      std::size_t inner = 0;
      if (v.items.empty()) return fail("Empty SEARCH list");
      while (inner < v.items.size()) {
        k.kids.emplace_back();
        if (!key(v.items, inner, k.kids.back(), depth + 1)) return false;
      }
      return true;
    }
    if (!v.is_plain_atom() && v.kind != cimap::value_kind::number)
      return fail("Invalid SEARCH key");
    struct flag_key {
      const char* name;
      std::uint8_t bit;
      bool set;
    };
    static constexpr flag_key flag_keys[] = {
        {"SEEN", flag_seen, true},         {"UNSEEN", flag_seen, false},
        {"DELETED", flag_deleted, true},   {"UNDELETED", flag_deleted, false},
        {"FLAGGED", flag_flagged, true},   {"UNFLAGGED", flag_flagged, false},
        {"ANSWERED", flag_answered, true}, {"UNANSWERED", flag_answered, false},
        {"DRAFT", flag_draft, true},       {"UNDRAFT", flag_draft, false},
    };
    if (v.atom_is("ALL")) {
      k.kind = search_key::op::all;
      return true;
    }
    for (const auto& f : flag_keys) {
      if (!v.atom_is(f.name)) continue;
      k.kind = f.set ? search_key::op::flag_set : search_key::op::flag_clear;
      k.flag = f.bit;
      return true;
    }
    if (v.atom_is("NOT") || v.atom_is("OR")) {
      const bool is_or = v.atom_is("OR");
      k.kind = is_or ? search_key::op::or_ : search_key::op::not_;
      for (int n = is_or ? 2 : 1; n > 0; --n) {
        k.kids.emplace_back();
        if (!key(list, at, k.kids.back(), depth + 1)) return false;
      }
      return true;
    }
    if (v.atom_is("LARGER") || v.atom_is("SMALLER")) {
      k.kind = v.atom_is("LARGER") ? search_key::op::larger : search_key::op::smaller;
      if (at >= list.size() || list[at].kind != cimap::value_kind::number)
        return fail("SEARCH key needs a number");
      k.number = list[at++].number;
      return true;
    }
    const bool uid = v.atom_is("UID");
    const cimap::value* set_text = &v;
    if (uid) {
      if (at >= list.size()) return fail("UID needs a set");
      set_text = &list[at++];
    }
    auto parsed = cimap::parse_sequence_set(set_text->text);
    if (parsed.error || parsed.set.saved)
      return fail("Unsupported SEARCH key " + v.text.substr(0, 40));
    k.kind = uid ? search_key::op::uid : search_key::op::seq;
    k.set = std::move(parsed.set);
    return true;
  }
};

bool matches(const search_key& k, const message_entry& m, std::uint32_t seq, std::uint32_t max_seq,
             std::uint32_t max_uid) {
  switch (k.kind) {
    case search_key::op::all:
      return true;
    case search_key::op::and_:
      for (const auto& c : k.kids)
        if (!matches(c, m, seq, max_seq, max_uid)) return false;
      return true;
    case search_key::op::or_:
      return matches(k.kids[0], m, seq, max_seq, max_uid) ||
             matches(k.kids[1], m, seq, max_seq, max_uid);
    case search_key::op::not_:
      return !matches(k.kids[0], m, seq, max_seq, max_uid);
    case search_key::op::flag_set:
      return (m.flags & k.flag) != 0;
    case search_key::op::flag_clear:
      return (m.flags & k.flag) == 0;
    case search_key::op::seq:
      return k.set.contains(seq, max_seq);
    case search_key::op::uid:
      return k.set.contains(m.uid, max_uid);
    case search_key::op::larger:
      return m.size > k.number;
    case search_key::op::smaller:
      return m.size < k.number;
  }
  return false;
}

}  // namespace

std::optional<std::vector<std::size_t>> imap_session::select_messages(
    const cimap::sequence_set& set, bool uid) const {
  std::vector<std::size_t> out;
  if (set.saved) return std::nullopt;  // RFC 5182 SEARCHRES is not offered
  const auto& msgs = mailbox_->messages();
  if (uid) {
    // RFC 9051 §6.4.9: UIDs that do not exist are ignored; "*" is the largest UID in use.
    const std::uint32_t largest = msgs.empty() ? 0 : msgs.back().uid;
    for (std::size_t i = 0; i < msgs.size(); ++i)
      if (set.contains(msgs[i].uid, largest)) out.push_back(i);
    return out;
  }
  // RFC 9051 §9 seq-number: numbers beyond the mailbox size (or "*" in an empty one) are invalid.
  const auto largest = static_cast<std::uint32_t>(msgs.size());
  if (largest == 0) return std::nullopt;
  for (const auto& r : set.ranges) {
    if ((!r.first.star && r.first.number > largest) || (!r.last.star && r.last.number > largest))
      return std::nullopt;
  }
  for (std::uint32_t n = 1; n <= largest; ++n)
    if (set.contains(n, largest)) out.push_back(n - 1);
  return out;
}

void imap_session::cmd_fetch(const cimap::command& c, act::actions& out) {
  if (c.args.size() > 2) return bad(out, c.tag, "FETCH modifiers are not supported");
  const auto parsed = cimap::parse_sequence_set(c.args[0].text);
  std::vector<fetch_item> items;
  if (auto err = parse_fetch_items(c.args[1], items)) return bad(out, c.tag, *err);
  if (parsed.error) return bad(out, c.tag, "Invalid sequence set");
  const auto which = select_messages(parsed.set, c.uid);
  if (!which) return bad(out, c.tag, "Invalid message sequence number");
  // RFC 9051 §6.4.9: UID FETCH responses always carry the UID.
  if (c.uid && std::none_of(items.begin(), items.end(),
                            [](const auto& it) { return it.kind == fetch_kind::uid; })) {
    fetch_item u;
    u.kind = fetch_kind::uid;
    items.insert(items.begin(), u);
  }
  const bool wants_flags = std::any_of(items.begin(), items.end(),
                                       [](const auto& it) { return it.kind == fetch_kind::flags; });
  const bool needs_body = std::any_of(items.begin(), items.end(),
                                      [](const auto& it) { return it.kind == fetch_kind::body; });
  // RFC 9051 §6.4.5: BODY[...] sets \Seen, BODY.PEEK does not; nothing changes under EXAMINE.
  const bool sets_seen = !read_only_ && std::any_of(items.begin(), items.end(), [](const auto& it) {
    return it.kind == fetch_kind::body && !it.peek;
  });
  bool failed = false;
  for (const std::size_t i : *which) {
    bool flags_changed = false;
    if (sets_seen && (mailbox_->messages()[i].flags & flag_seen) == 0) {
      const auto f = static_cast<std::uint8_t>(mailbox_->messages()[i].flags | flag_seen);
      flags_changed = !mailbox_->set_flags(i, f);
    }
    scratch_.clear();
    if (needs_body && mailbox_->read(i, scratch_)) {
      failed = true;
      continue;
    }
    const message_entry& m = mailbox_->messages()[i];
    std::string line = "* " + std::to_string(i + 1) + " FETCH (";
    bool first = true;
    for (const auto& it : items) {
      if (!first) line.push_back(' ');
      first = false;
      write_fetch_item(it, m, scratch_, line);
    }
    // The \Seen change is reported even when FLAGS was not asked for.
    if (flags_changed && !wants_flags) {
      line += " FLAGS ";
      append_flag_list(m.flags, line);
    }
    line += ")\r\n";
    send(out, std::move(line));
  }
  if (failed) return tagged(out, c.tag, "NO [UNAVAILABLE] Some messages could not be read");
  tagged(out, c.tag, c.uid ? "OK UID FETCH completed" : "OK FETCH completed");
}

void imap_session::cmd_store(const cimap::command& c, act::actions& out) {
  // RFC 9051 §6.4.6: STORE set (FLAGS|+FLAGS|-FLAGS)[.SILENT] (flag-list | flag *(SP flag)).
  if (c.args[1].is_list()) return bad(out, c.tag, "STORE modifiers are not supported");
  const cimap::value& item = c.args[1];
  if (!item.is_plain_atom()) return bad(out, c.tag, "Invalid STORE item");
  std::string_view name = item.text;
  int op = 0;  // 0 replace, 1 add, -1 remove
  if (!name.empty() && (name[0] == '+' || name[0] == '-')) {
    op = name[0] == '+' ? 1 : -1;
    name.remove_prefix(1);
  }
  const bool silent = cimap::iequals(name, "FLAGS.SILENT");
  if (!silent && !cimap::iequals(name, "FLAGS")) return bad(out, c.tag, "Invalid STORE item");
  std::uint8_t mask = 0;
  for (std::size_t a = 2; a < c.args.size(); ++a) {
    const auto& v = c.args[a];
    const std::vector<cimap::value> single{v};
    for (const auto& f : v.is_list() ? v.items : single) {
      if (!f.is_flag()) return bad(out, c.tag, "Invalid flag");
      mask = static_cast<std::uint8_t>(mask | flag_bit(f.text));  // keywords are not kept
    }
  }
  const auto parsed = cimap::parse_sequence_set(c.args[0].text);
  if (parsed.error) return bad(out, c.tag, "Invalid sequence set");
  const auto which = select_messages(parsed.set, c.uid);
  if (!which) return bad(out, c.tag, "Invalid message sequence number");
  if (read_only_) return tagged(out, c.tag, "NO [READ-ONLY] Mailbox is read-only");
  for (const std::size_t i : *which) {
    const std::uint8_t old = mailbox_->messages()[i].flags;
    const auto now = static_cast<std::uint8_t>(
        op == 0 ? mask : (op > 0 ? (old | mask) : (old & static_cast<std::uint8_t>(~mask))));
    if (now != old && mailbox_->set_flags(i, now))
      return tagged(out, c.tag, "NO [UNAVAILABLE] Could not store flags");
    if (silent) continue;
    const message_entry& m = mailbox_->messages()[i];
    std::string line = "* " + std::to_string(i + 1) + " FETCH (";
    if (c.uid) line += "UID " + std::to_string(m.uid) + " ";
    line += "FLAGS ";
    append_flag_list(m.flags, line);
    line += ")\r\n";
    send(out, std::move(line));
  }
  tagged(out, c.tag, c.uid ? "OK UID STORE completed" : "OK STORE completed");
}

void imap_session::cmd_search(const cimap::command& c, act::actions& out) {
  std::size_t at = 0;
  bool esearch = rev2_;
  if (c.args[at].atom_is("RETURN")) {
    // RFC 9051 §6.4.4 / RFC 4731: RETURN options; only the ALL form of ESEARCH is produced.
    if (!rev2_) return bad(out, c.tag, "SEARCH RETURN is not supported");
    at += 2;
    esearch = true;
  }
  if (at < c.args.size() && c.args[at].atom_is("CHARSET")) {
    if (at + 1 >= c.args.size()) return bad(out, c.tag, "CHARSET needs a name");
    const auto& cs = c.args[at + 1].text;
    if (!cimap::iequals(cs, "UTF-8") && !cimap::iequals(cs, "US-ASCII"))
      return tagged(out, c.tag, "NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset");
    at += 2;
  }
  search_compiler comp{c.args, {}};
  search_key root;
  root.kind = search_key::op::and_;
  if (at >= c.args.size()) return bad(out, c.tag, "Missing SEARCH key");
  while (at < c.args.size()) {
    root.kids.emplace_back();
    if (!comp.key(c.args, at, root.kids.back(), 0)) return bad(out, c.tag, comp.error);
  }
  const auto& msgs = mailbox_->messages();
  const auto max_seq = static_cast<std::uint32_t>(msgs.size());
  const std::uint32_t max_uid = msgs.empty() ? 0 : msgs.back().uid;
  std::vector<std::uint32_t> hits;
  for (std::size_t i = 0; i < msgs.size(); ++i)
    if (matches(root, msgs[i], static_cast<std::uint32_t>(i + 1), max_seq, max_uid))
      hits.push_back(c.uid ? msgs[i].uid : static_cast<std::uint32_t>(i + 1));
  if (esearch) {
    // RFC 9051 §7.3.4: * ESEARCH (TAG "a") [UID] [ALL set].
    std::string line = "* ESEARCH (TAG \"" + c.tag + "\")";
    if (c.uid) line += " UID";
    if (!hits.empty()) line += " ALL " + compact_set(hits);
    send(out, line + "\r\n");
  } else {
    std::string line = "* SEARCH";  // RFC 3501 §7.2.5
    for (const auto h : hits)
      line += " " + std::to_string(h);
    send(out, line + "\r\n");
  }
  tagged(out, c.tag, c.uid ? "OK UID SEARCH completed" : "OK SEARCH completed");
}

void imap_session::cmd_copy(const cimap::command& c, act::actions& out) {
  const bool move = c.kind == cimap::command_kind::move;
  const std::string verb = std::string(c.uid ? "UID " : "") + (move ? "MOVE" : "COPY");
  const auto parsed = cimap::parse_sequence_set(c.args[0].text);
  if (parsed.error) return bad(out, c.tag, "Invalid sequence set");
  const auto which = select_messages(parsed.set, c.uid);
  if (!which) return bad(out, c.tag, "Invalid message sequence number");
  if (move && read_only_) return tagged(out, c.tag, "NO [READ-ONLY] Mailbox is read-only");
  const auto name = resolve_mailbox(c.args[1].text);
  const bool into_selected = name && *name == mailbox_name_;
  std::unique_ptr<mailbox> opened;
  if (name && !into_selected) opened = backend_.open_mailbox(user_, *name);
  mailbox* target = into_selected ? mailbox_.get() : opened.get();
  if (target == nullptr) return tagged(out, c.tag, "NO [TRYCREATE] Mailbox does not exist");
  if (which->empty()) return tagged(out, c.tag, "OK No messages matched");  // RFC 9051 §6.4.9
  if (target->messages().size() + which->size() > config_.limits.max_mailbox_messages)
    return tagged(out, c.tag, "NO [OVERQUOTA] Mailbox is full");
  // Read everything first: appending to the selected mailbox must not disturb the indices.
  std::vector<std::uint32_t> src_uids, dst_uids;
  bool uids_known = true;
  for (const std::size_t i : *which) {
    const message_entry m = mailbox_->messages()[i];
    if (mailbox_->read(i, scratch_))
      return tagged(out, c.tag, "NO [UNAVAILABLE] Could not read a message");
    const std::uint32_t uid = target->uid_next();
    if (target->append(scratch_, m.flags, m.internal_date))
      return tagged(out, c.tag, "NO [UNAVAILABLE] Could not copy a message");
    uids_known = uids_known && target->uid_next() == uid + 1;
    src_uids.push_back(m.uid);
    dst_uids.push_back(uid);
  }
  // RFC 4315 §3 COPYUID.
  const std::string code = uids_known
                               ? "[COPYUID " + std::to_string(target->uid_validity()) + " " +
                                     compact_set(src_uids) + " " + compact_set(dst_uids) + "] "
                               : "";
  if (!move) {
    if (into_selected) report_new_messages(out);
    return tagged(out, c.tag, "OK " + code + verb + " completed");
  }
  // RFC 6851 §4.3: COPYUID in an untagged OK, then the EXPUNGEs, then the tagged OK.
  if (!code.empty()) send(out, "* OK " + code + "Moved\r\n");
  for (const std::size_t i : *which) {
    const auto f = static_cast<std::uint8_t>(mailbox_->messages()[i].flags | flag_deleted);
    (void)mailbox_->set_flags(i, f);
  }
  do_expunge(&src_uids, false, out);
  if (into_selected) report_new_messages(out);
  tagged(out, c.tag, "OK " + verb + " completed");
}

void imap_session::cmd_expunge(const cimap::command& c, act::actions& out) {
  if (read_only_) return tagged(out, c.tag, "NO [READ-ONLY] Mailbox is read-only");
  if (!c.uid) {
    if (!do_expunge(nullptr, false, out))
      return tagged(out, c.tag, "NO [UNAVAILABLE] Expunge failed");
    return tagged(out, c.tag, "OK EXPUNGE completed");
  }
  // RFC 4315 §2.1 UID EXPUNGE: only the \Deleted messages among the given UIDs.
  const auto parsed = cimap::parse_sequence_set(c.args[0].text);
  if (parsed.error || parsed.set.saved) return bad(out, c.tag, "Invalid UID set");
  const auto which = select_messages(parsed.set, true);
  std::vector<std::uint32_t> uids;
  for (const std::size_t i : *which)
    uids.push_back(mailbox_->messages()[i].uid);
  if (!do_expunge(&uids, false, out)) return tagged(out, c.tag, "NO [UNAVAILABLE] Expunge failed");
  tagged(out, c.tag, "OK UID EXPUNGE completed");
}

bool imap_session::do_expunge(const std::vector<std::uint32_t>* only_uids, bool silent,
                              act::actions& out) {
  // The backend expunges every \Deleted message; to expunge a subset, the other \Deleted
  // messages lose the flag for the duration and get it back afterwards.
  std::vector<std::uint32_t> kept;
  if (only_uids != nullptr) {
    const auto& msgs = mailbox_->messages();
    for (std::size_t i = 0; i < msgs.size(); ++i) {
      if ((msgs[i].flags & flag_deleted) == 0) continue;
      if (std::find(only_uids->begin(), only_uids->end(), msgs[i].uid) != only_uids->end())
        continue;
      kept.push_back(msgs[i].uid);
      (void)mailbox_->set_flags(i, static_cast<std::uint8_t>(msgs[i].flags & ~flag_deleted));
    }
  }
  std::vector<std::uint32_t> gone;
  const bool ok = !mailbox_->expunge(gone);
  if (!kept.empty()) {
    const auto& msgs = mailbox_->messages();
    for (std::size_t i = 0; i < msgs.size(); ++i)
      if (std::find(kept.begin(), kept.end(), msgs[i].uid) != kept.end())
        (void)mailbox_->set_flags(i, static_cast<std::uint8_t>(msgs[i].flags | flag_deleted));
  }
  // RFC 9051 §7.5.1: one EXPUNGE per message, each number valid when it is sent.
  for (const auto n : gone) {
    if (!silent) send(out, "* " + std::to_string(n) + " EXPUNGE\r\n");
  }
  known_exists_ = known_exists_ >= gone.size() ? known_exists_ - gone.size() : 0;
  return ok;
}

}  // namespace mailtls::server::imap
