#include "codec/imap/response_validate.hpp"

#include <array>
#include <string_view>

namespace mailtls::codec::imap {

namespace {

constexpr std::uint64_t max_u32 = 0xFFFFFFFFu;

bool is_nz32(const value& v) {
  return v.kind == value_kind::number && v.number != 0 && v.number <= max_u32;
}

bool is_flag_list(const value& v, bool allow_star) {
  if (!v.is_list()) return false;
  for (const auto& f : v.items)
    if (!f.is_flag() || (!allow_star && f.text == "\\*")) return false;
  return true;
}

class data_checker {
 public:
  data_checker(const response& r, const std::vector<std::uint64_t>& offs, std::uint64_t kw,
               response_error& err)
      : r_(r), offs_(offs), kw_(kw), err_(err) {}

  bool fail(imap_errc e, std::size_t arg) {
    err_ = {e, arg < offs_.size() ? offs_[arg] : kw_};
    return false;
  }
  std::size_t n() const { return r_.args.size(); }
  const value& a(std::size_t i) const { return r_.args[i]; }

  bool run() {
    switch (r_.data) {
      case data_kind::capability:  // §7.2.2: capability-data = "CAPABILITY" 1*(SP capability)
        if (n() == 0) return fail(imap_errc::invalid_capability_data, 0);
        [[fallthrough]];
      case data_kind::enabled:  // §7.2.1: "ENABLED" *(SP capability)
        for (std::size_t i = 0; i < n(); ++i)
          if (!a(i).is_plain_atom() || a(i).text[0] == '\\')
            return fail(imap_errc::invalid_capability_data, i);
        return true;
      case data_kind::flags:  // §7.3.5: "FLAGS" SP flag-list
        if (n() != 1) return fail(imap_errc::invalid_flags_data, n() == 0 ? 0 : 1);
        return is_flag_list(a(0), false) || fail(imap_errc::invalid_flags_data, 0);
      case data_kind::list:
      case data_kind::lsub:
        return list();
      case data_kind::status:  // §7.3.2: "STATUS" SP mailbox SP "(" [status-att-list] ")"
        if (n() != 2) return fail(imap_errc::invalid_status_data, n() < 2 ? n() : 2);
        if (!a(0).is_astring()) return fail(imap_errc::invalid_status_data, 0);
        if (!a(1).is_list() || a(1).items.size() % 2 != 0)
          return fail(imap_errc::invalid_status_data, 1);
        for (std::size_t i = 0; i < a(1).items.size(); i += 2)
          if (!a(1).items[i].is_plain_atom() || a(1).items[i + 1].kind != value_kind::number)
            return fail(imap_errc::invalid_status_data, 1);
        return true;
      case data_kind::search:  // RFC 3501 §7.2.5 *(SP nz-number); RFC 7162 §3.1.5 (MODSEQ n)
        for (std::size_t i = 0; i < n(); ++i) {
          if (is_nz32(a(i))) continue;
          if (i + 1 == n() && a(i).is_list()) continue;
          return fail(imap_errc::invalid_search_data, i);
        }
        return true;
      case data_kind::id:  // RFC 2971 §3.2: "ID" SP id-params-list
        if (n() != 1) return fail(imap_errc::invalid_id_data, n() == 0 ? 0 : 1);
        if (a(0).kind == value_kind::nil) return true;
        if (!a(0).is_list() || a(0).items.size() % 2 != 0)
          return fail(imap_errc::invalid_id_data, 0);
        for (std::size_t i = 0; i < a(0).items.size(); i += 2)
          if (!a(0).items[i].is_string() || !a(0).items[i + 1].is_nstring())
            return fail(imap_errc::invalid_id_data, 0);
        return true;
      case data_kind::namespace_:  // §7.2.3: three (NIL / list)
        if (n() != 3) return fail(imap_errc::invalid_namespace_data, n() < 3 ? n() : 3);
        for (std::size_t i = 0; i < 3; ++i)
          if (a(i).kind != value_kind::nil && !a(i).is_list())
            return fail(imap_errc::invalid_namespace_data, i);
        return true;
      case data_kind::exists:
      case data_kind::recent:
      case data_kind::expunge:
      case data_kind::fetch:
        return message_data();
      case data_kind::esearch:
      case data_kind::other:
        return true;
    }
    return true;
  }

 private:
  bool list() {
    // §7.3.1: mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP
    // mailbox [SP mbox-list-extended]
    if (n() < 3) return fail(imap_errc::invalid_list_data, n());
    if (n() > 4) return fail(imap_errc::invalid_list_data, 4);
    // mbx-list-flags are all backslash atoms (mbx-list-oflag, mbx-list-sflag, flag-extension).
    if (!is_flag_list(a(0), false)) return fail(imap_errc::invalid_list_data, 0);
    for (const auto& f : a(0).items)
      if (f.text[0] != '\\') return fail(imap_errc::invalid_list_data, 0);
    const value& d = a(1);
    if (!(d.kind == value_kind::nil || (d.kind == value_kind::quoted && !d.text.empty())))
      return fail(imap_errc::invalid_list_data, 1);
    if (!a(2).is_astring()) return fail(imap_errc::invalid_list_data, 2);
    if (n() == 4 && !a(3).is_list()) return fail(imap_errc::invalid_list_data, 3);
    return true;
  }

  bool message_data() {
    // §7.4/§7.5: message-data = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att)); mailbox-data
    // number SP "EXISTS" (may be 0).
    if (!r_.number || *r_.number > max_u32 ||
        (*r_.number == 0 && (r_.data == data_kind::expunge || r_.data == data_kind::fetch))) {
      err_ = {imap_errc::invalid_message_number, kw_};
      return false;
    }
    if (r_.data != data_kind::fetch) return n() == 0 || fail(imap_errc::unexpected_argument, 0);
    // msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP ...) ")": name/value pairs.
    if (n() != 1) return fail(imap_errc::invalid_fetch_data, n() == 0 ? 0 : 1);
    const value& l = a(0);
    if (!l.is_list() || l.items.empty() || l.items.size() % 2 != 0)
      return fail(imap_errc::invalid_fetch_data, 0);
    for (std::size_t i = 0; i < l.items.size(); i += 2)
      if (!l.items[i].is_atom() || l.items[i].text.empty() || l.items[i].text[0] == '\\')
        return fail(imap_errc::invalid_fetch_data, 0);
    return true;
  }

  const response& r_;
  const std::vector<std::uint64_t>& offs_;
  std::uint64_t kw_;
  response_error& err_;
};

}  // namespace

bool validate_response_data(const response& r, const std::vector<std::uint64_t>& offsets,
                            std::uint64_t keyword_offset, response_error& err) {
  return data_checker(r, offsets, keyword_offset, err).run();
}

bool is_structured_code(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 9> codes{
      "CAPABILITY", "PERMANENTFLAGS", "BADCHARSET", "UIDNEXT", "UIDVALIDITY",
      "UNSEEN",     "HIGHESTMODSEQ",  "APPENDUID",  "COPYUID"};
  for (auto c : codes)
    if (iequals(c, name)) return true;
  return false;
}

bool validate_response_code(const response_code& c, const std::vector<std::uint64_t>& offsets,
                            std::uint64_t code_offset, response_error& err) {
  auto fail = [&](std::size_t i) {
    err = {imap_errc::invalid_response_code, i < offsets.size() ? offsets[i] : code_offset};
    return false;
  };
  const auto& a = c.args;
  if (c.is("UIDNEXT") || c.is("UIDVALIDITY") || c.is("UNSEEN")) {
    // §7.1: "UIDNEXT" SP nz-number, "UIDVALIDITY" SP nz-number, RFC 3501 "UNSEEN" SP nz-number.
    if (a.size() != 1) return fail(a.size());
    return is_nz32(a[0]) || fail(0);
  }
  if (c.is("HIGHESTMODSEQ")) {  // RFC 7162 §3.1.1: mod-sequence-value
    if (a.size() != 1) return fail(a.size());
    return (a[0].kind == value_kind::number && a[0].number != 0) || fail(0);
  }
  if (c.is("CAPABILITY")) {  // §7.1: capability-data
    if (a.empty()) return fail(0);
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!a[i].is_plain_atom() || a[i].text[0] == '\\') return fail(i);
    return true;
  }
  if (c.is("PERMANENTFLAGS")) {  // §7.1: "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")"
    if (a.size() != 1) return fail(a.size());
    return is_flag_list(a[0], true) || fail(0);
  }
  if (c.is("BADCHARSET")) {  // §7.1: "BADCHARSET" [SP "(" charset *(SP charset) ")"]
    if (a.empty()) return true;
    if (a.size() != 1 || !a[0].is_list() || a[0].items.empty()) return fail(a.size() > 1 ? 1 : 0);
    for (const auto& cs : a[0].items)
      if (!cs.is_astring()) return fail(0);
    return true;
  }
  if (c.is("APPENDUID")) {  // RFC 4315 §3: "APPENDUID" SP nz-number SP append-uid
    if (a.size() != 2) return fail(a.size() < 2 ? a.size() : 2);
    return is_nz32(a[0]) || fail(0);
  }
  if (c.is("COPYUID")) {  // RFC 4315 §3: "COPYUID" SP nz-number SP uid-set SP uid-set
    if (a.size() != 3) return fail(a.size() < 3 ? a.size() : 3);
    return is_nz32(a[0]) || fail(0);
  }
  return true;
}

}  // namespace mailtls::codec::imap
