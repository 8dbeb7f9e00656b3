#include "codec/imap/command_validate.hpp"

#include <array>
#include <cstdint>

#include "codec/imap/sequence_set.hpp"

namespace mailtls::codec::imap {

namespace {

class checker {
 public:
  checker(const command& c, const std::vector<std::uint64_t>& offs, std::uint64_t end,
          command_error& err)
      : c_(c), offs_(offs), end_(end), err_(err) {}

  std::size_t count() const { return c_.args.size(); }
  const value& arg(std::size_t i) const { return c_.args[i]; }

  bool fail(imap_errc e, std::uint64_t at) {
    err_ = {e, at};
    return false;
  }
  bool fail_at_arg(imap_errc e, std::size_t i) { return fail(e, offs_[i]); }

  // Between min and max arguments (RFC 9051 §9 per-command syntax).
  bool arity(std::size_t min, std::size_t max) {
    if (count() < min) return fail(imap_errc::missing_argument, end_);
    if (count() > max) return fail_at_arg(imap_errc::unexpected_argument, max);
    return true;
  }
  bool astring(std::size_t i) {
    return arg(i).is_astring() || fail_at_arg(imap_errc::invalid_argument, i);
  }
  bool plain_atom(std::size_t i) {
    return arg(i).is_plain_atom() || fail_at_arg(imap_errc::invalid_argument, i);
  }
  bool list(std::size_t i) {
    return arg(i).is_list() || fail_at_arg(imap_errc::invalid_argument, i);
  }
  bool sequence(std::size_t i) {
    const value& v = arg(i);
    if (!(v.is_plain_atom() || v.kind == value_kind::number))
      return fail_at_arg(imap_errc::invalid_argument, i);
    const auto r = parse_sequence_set(v.text);
    if (r.error) return fail(static_cast<imap_errc>(r.error.value()), offs_[i] + r.position);
    return true;
  }
  bool flag_list(std::size_t i) {
    if (!list(i)) return false;
    for (const auto& f : arg(i).items)
      if (!f.is_flag() || f.text == "\\*") return fail_at_arg(imap_errc::invalid_flag, i);
    return true;
  }

  bool append() {
    // RFC 9051 §6.3.12: APPEND mailbox [SP flag-list] [SP date-time] SP literal; RFC 3502
    // MULTIAPPEND repeats the part after the mailbox; RFC 4469 CATENATE uses "CATENATE (...)".
    if (!arity(2, SIZE_MAX) || !astring(0)) return false;
    std::size_t i = 1;
    while (i < count()) {
      if (arg(i).is_list()) {
        if (!flag_list(i)) return false;
        if (++i == count()) return fail(imap_errc::missing_argument, end_);
      }
      if (arg(i).kind == value_kind::quoted) {
        if (!is_valid_date_time(arg(i).text)) return fail_at_arg(imap_errc::invalid_date_time, i);
        if (++i == count()) return fail(imap_errc::missing_argument, end_);
      }
      if (arg(i).atom_is("CATENATE")) {
        if (++i == count()) return fail(imap_errc::missing_argument, end_);
        if (!list(i)) return false;
      } else if (arg(i).kind != value_kind::literal) {
        return fail_at_arg(imap_errc::invalid_argument, i);
      }
      ++i;
    }
    return true;
  }

  bool id() {
    // RFC 2971 §4: id-params-list = "(" *(string SP nstring) ")" / nil.
    if (!arity(1, 1)) return false;
    if (arg(0).kind == value_kind::nil) return true;
    if (!list(0)) return false;
    const auto& items = arg(0).items;
    if (items.size() % 2 != 0) return fail_at_arg(imap_errc::invalid_argument, 0);
    for (std::size_t k = 0; k < items.size(); k += 2)
      if (!items[k].is_string() || !items[k + 1].is_nstring())
        return fail_at_arg(imap_errc::invalid_argument, 0);
    return true;
  }

  bool authenticate() {
    // RFC 9051 §6.2.2 and RFC 4959 §3: AUTHENTICATE auth-type [SP (base64 / "=")].
    if (!arity(1, 2) || !plain_atom(0)) return false;
    if (count() == 2) {
      const value& ir = arg(1);
      if (!(ir.is_plain_atom() || ir.kind == value_kind::number))
        return fail_at_arg(imap_errc::invalid_argument, 1);
      if (ir.text != "=") {
        const std::size_t bad = find_invalid_base64(ir.text);
        if (bad != std::string_view::npos) return fail(imap_errc::invalid_base64, offs_[1] + bad);
      }
    }
    return true;
  }

  bool run() {
    if (c_.uid) {
      // RFC 9051 §6.4.9: UID COPY / MOVE / FETCH / SEARCH / STORE / EXPUNGE.
      switch (c_.kind) {
        case command_kind::copy:
        case command_kind::move:
        case command_kind::fetch:
        case command_kind::search:
        case command_kind::store:
          break;
        case command_kind::expunge:
          return arity(1, 1) && sequence(0);
        default:
          return fail(imap_errc::invalid_uid_command, offs_.empty() ? end_ : offs_[0]);
      }
    }
    switch (c_.kind) {
      case command_kind::capability:
      case command_kind::noop:
      case command_kind::logout:
      case command_kind::starttls:  // RFC 9051 §6.2.1: no arguments
      case command_kind::idle:
      case command_kind::check:
      case command_kind::close:
      case command_kind::unselect:
      case command_kind::expunge:
      case command_kind::namespace_:
        return arity(0, 0);
      case command_kind::login:  // §6.2.3: LOGIN userid password (astrings)
        return arity(2, 2) && astring(0) && astring(1);
      case command_kind::authenticate:
        return authenticate();
      case command_kind::enable:  // §6.3.1: 1*(SP capability)
        if (!arity(1, SIZE_MAX)) return false;
        for (std::size_t i = 0; i < count(); ++i)
          if (!plain_atom(i)) return false;
        return true;
      case command_kind::select:
      case command_kind::examine:
      case command_kind::create:  // mailbox [SP (params)] (RFC 4466 §2)
        return arity(1, 2) && astring(0) && (count() == 1 || list(1));
      case command_kind::delete_:
      case command_kind::subscribe:
      case command_kind::unsubscribe:
        return arity(1, 1) && astring(0);
      case command_kind::rename:
        return arity(2, 2) && astring(0) && astring(1);
      case command_kind::list:  // RFC 5258 §3 extended LIST has up to 4 parts
        return arity(2, 4);
      case command_kind::lsub:  // RFC 3501 §6.3.9: mailbox SP list-mailbox (wildcards allowed)
        return arity(2, 2) && astring(0) &&
               (arg(1).is_astring() || arg(1).is_plain_atom() ||
                fail_at_arg(imap_errc::invalid_argument, 1));
      case command_kind::status:  // §6.3.11: mailbox SP "(" status-att *(SP status-att) ")"
        if (!arity(2, 2) || !astring(0) || !list(1)) return false;
        if (arg(1).items.empty()) return fail_at_arg(imap_errc::invalid_argument, 1);
        for (const auto& a : arg(1).items)
          if (!a.is_plain_atom()) return fail_at_arg(imap_errc::invalid_argument, 1);
        return true;
      case command_kind::append:
        return append();
      case command_kind::search:
        return arity(1, SIZE_MAX);
      case command_kind::fetch:  // §6.4.5: sequence-set SP (att / "(" att *(SP att) ")")
        return arity(2, 3) && sequence(0) && (arg(1).is_atom() || list(1)) &&
               (count() == 2 || list(2));
      case command_kind::store:  // §6.4.6: sequence-set SP [modifiers SP] store-att-flags
        return arity(3, 4) && sequence(0);
      case command_kind::copy:
      case command_kind::move:
        return arity(2, 2) && sequence(0) && astring(1);
      case command_kind::id:
        return id();
      case command_kind::unknown:
        return true;
    }
    return true;
  }

 private:
  const command& c_;
  const std::vector<std::uint64_t>& offs_;
  std::uint64_t end_;
  command_error& err_;
};

bool digits(std::string_view s) {
  for (char ch : s)
    if (ch < '0' || ch > '9') return false;
  return true;
}

}  // namespace

bool is_valid_date_time(std::string_view s) noexcept {
  // "dd-Mon-yyyy hh:mm:ss +zzzz", the day may be " d".
  if (s.size() != 26) return false;
  static constexpr std::array<std::string_view, 12> months{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const bool day_ok = (s[0] == ' ' || digits(s.substr(0, 1))) && digits(s.substr(1, 1));
  bool month_ok = false;
  for (auto m : months)
    month_ok = month_ok || iequals(m, s.substr(3, 3));
  return day_ok && s[2] == '-' && month_ok && s[6] == '-' && digits(s.substr(7, 4)) &&
         s[11] == ' ' && digits(s.substr(12, 2)) && s[14] == ':' && digits(s.substr(15, 2)) &&
         s[17] == ':' && digits(s.substr(18, 2)) && s[20] == ' ' &&
         (s[21] == '+' || s[21] == '-') && digits(s.substr(22, 4));
}

bool validate_command(const command& c, const std::vector<std::uint64_t>& arg_offsets,
                      std::uint64_t end_offset, command_error& err) {
  return checker(c, arg_offsets, end_offset, err).run();
}

}  // namespace mailtls::codec::imap
