#include "codec/pop3/command_parser.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "codec/pop3/errc.hpp"
#include "codec/pop3/syntax.hpp"

namespace mailtls::codec::pop3 {

namespace {

constexpr std::size_t min_line = 5;  // "AUTH " decides the limit; see choose_line_limit

// Keyword lookup: the (at most four) octets folded to upper case and packed into an integer.
constexpr std::uint32_t pack(std::string_view k) noexcept {
  std::uint32_t v = 0;
  for (char c : k)
    v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

bool lookup_keyword(std::string_view k, command_kind& out) noexcept {
  // RFC 1939 §3: keywords are three or four characters, case-insensitive.
  if (k.size() < 3 || k.size() > 4) return false;
  // b & 0xDF equals an upper-case letter exactly when b is that letter in either case, so no
  // separate letter check is needed: every key is letters only.
  const auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(k[i]));
  };
  std::uint32_t v = (b(0) << 16) | (b(1) << 8) | b(2);
  if (k.size() == 4) v = (v << 8) | b(3);
  v &= k.size() == 4 ? 0xDFDFDFDFu : 0xDFDFDFu;
  switch (v) {
    case pack("USER"):
      out = command_kind::user;
      return true;
    case pack("PASS"):
      out = command_kind::pass;
      return true;
    case pack("APOP"):
      out = command_kind::apop;
      return true;
    case pack("STAT"):
      out = command_kind::stat;
      return true;
    case pack("LIST"):
      out = command_kind::list;
      return true;
    case pack("RETR"):
      out = command_kind::retr;
      return true;
    case pack("DELE"):
      out = command_kind::dele;
      return true;
    case pack("NOOP"):
      out = command_kind::noop;
      return true;
    case pack("RSET"):
      out = command_kind::rset;
      return true;
    case pack("QUIT"):
      out = command_kind::quit;
      return true;
    case pack("TOP"):
      out = command_kind::top;
      return true;
    case pack("UIDL"):
      out = command_kind::uidl;
      return true;
    case pack("CAPA"):
      out = command_kind::capa;
      return true;
    case pack("STLS"):
      out = command_kind::stls;
      return true;
    case pack("AUTH"):
      out = command_kind::auth;
      return true;
    default:
      return false;
  }
}

inline std::size_t find_space(std::string_view s, std::size_t from) {
  return find_byte(s, from, ' ');
}

struct token {
  std::string_view text;
  std::size_t at = 0;  // offset inside the line
};

// A syntax failure: which error and where in the line.
struct failure {
  pop3_errc code{};
  std::size_t at = 0;
};

constexpr std::size_t max_tokens = 3;

// Splits `args` (starting at line offset `base`) on single spaces into at most max_tokens
// tokens. RFC 1939 §3: arguments are separated by a single space; an empty token means a double
// or trailing space.
bool split_args(std::string_view args, std::size_t base, std::array<token, max_tokens>& toks,
                std::size_t& count, failure& f) {
  count = 0;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t sp = find_space(args, pos);
    const std::size_t end = sp == std::string_view::npos ? args.size() : sp;
    if (end == pos) {
      f = {pop3_errc::empty_argument, base + pos};
      return false;
    }
    if (count == max_tokens) {
      f = {pop3_errc::too_many_arguments, base + pos};
      return false;
    }
    toks[count++] = {args.substr(pos, end - pos), base + pos};
    if (sp == std::string_view::npos) return true;
    pos = sp + 1;
  }
}

bool check_plain(const token& t, std::size_t max_len, failure& f) {
  if (t.text.size() > max_len) {  // RFC 1939 §3: 40 characters
    f = {pop3_errc::argument_too_long, t.at + max_len};
    return false;
  }
  const std::size_t bad = find_control(t.text);
  if (bad != std::string_view::npos) {
    f = {pop3_errc::invalid_character, t.at + bad};
    return false;
  }
  return true;
}

// RFC 1939 §3/§5: numbers are decimal. Accepted: 0..2^31-1 without sign or leading zero;
// message numbers (`positive`) start at 1.
bool parse_number(const token& t, bool positive, std::uint32_t& out, failure& f) {
  const std::string_view s = t.text;
  if (s[0] == '+' || s[0] == '-') {
    f = {pop3_errc::signed_number, t.at};
    return false;
  }
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') {
      f = {pop3_errc::invalid_number, t.at + i};
      return false;
    }
    if (v <= max_number) v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
  }
  if (s.size() > 1 && s[0] == '0') {
    f = {pop3_errc::leading_zero, t.at};
    return false;
  }
  if (v > max_number) {
    f = {pop3_errc::number_out_of_range, t.at};
    return false;
  }
  if (positive && v == 0) {
    f = {pop3_errc::zero_message_number, t.at};
    return false;
  }
  out = static_cast<std::uint32_t>(v);
  return true;
}

// Keeps the strings' capacity (the initial response's buffer goes to `spare`): no allocation
// per command in steady state.
void clear(command& c, std::string& spare) {
  c.kind = command_kind::noop;
  c.argument.clear();
  c.digest.clear();
  if (c.initial_response) {
    spare = std::move(*c.initial_response);
    c.initial_response.reset();
  }
  c.msg.reset();
  c.lines = 0;
  c.cancel = false;
}

bool is_mech_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

command_parser::command_parser(command_limits limits) : limits_(limits) {
  limits_.max_line = std::max(limits_.max_line, min_line);
  limits_.max_auth_line = std::max(limits_.max_auth_line, limits_.max_line);
  reader_.set_limits({.max_length = limits_.max_line,
                      .allow_bare_lf = limits_.allow_bare_lf,
                      .allow_bare_cr = limits_.allow_bare_cr,
                      .allow_nul = limits_.allow_nul});
}

void command_parser::reset() {
  reader_.reset();
  command_ = {};
  prefix_len_ = 0;
  auth_prefix_ = true;
  sasl_next_ = false;
}

// RFC 2449 §4 limits command lines to 255 octets; RFC 5034 §4 exempts AUTH. The limit must be
// known before the reader can reach it, so the first five octets of each line ("AUTH ") decide;
// they are all seen before the line can reach max_line (>= 5), whatever the split of the input.
void command_parser::choose_line_limit(std::string_view bytes) {
  if (reader_.discarding()) {
    const std::size_t lf = bytes.find('\n');
    if (lf == std::string_view::npos) return;  // still inside the skipped line
    bytes.remove_prefix(lf + 1);
    prefix_len_ = 0;
  } else if (reader_.buffered() == 0) {
    prefix_len_ = 0;                       // a new line starts at bytes[0]
    if (bytes.size() >= sizeof prefix_) {  // fast path: the whole prefix is here
      auth_prefix_ = (bytes[0] | 0x20) == 'a' && (bytes[1] | 0x20) == 'u' &&
                     (bytes[2] | 0x20) == 't' && (bytes[3] | 0x20) == 'h' && bytes[4] == ' ';
      prefix_len_ = sizeof prefix_;
    }
  }
  if (prefix_len_ < sizeof prefix_) {
    static constexpr char auth_sp[] = "AUTH ";
    const std::size_t take = std::min(bytes.size(), sizeof prefix_ - prefix_len_);
    for (std::size_t i = 0; i < take; ++i)
      prefix_[prefix_len_ + i] = bytes[i];
    prefix_len_ += take;
    auth_prefix_ = true;
    for (std::size_t i = 0; i < prefix_len_ && auth_prefix_; ++i) {
      char c = prefix_[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      auth_prefix_ = c == auth_sp[i];
    }
  }
  const std::size_t want = (auth_prefix_ || sasl_next_) ? limits_.max_auth_line : limits_.max_line;
  if (reader_.limits().max_length != want) {
    line_limits l = reader_.limits();
    l.max_length = want;
    reader_.set_limits(l);
  }
}

parse_result command_parser::parse(std::string_view bytes) {
  choose_line_limit(bytes);
  const parse_result r = reader_.parse(bytes);
  if (r.is_need_more()) return r;
  const bool sasl = sasl_next_;
  sasl_next_ = false;
  if (r.is_error()) return r;  // framing error: the line is consumed (or being skipped)
  return sasl ? parse_sasl(r.consumed) : parse_line(r.consumed);
}

parse_result command_parser::parse_sasl(std::size_t consumed) {
  const line_view& l = reader_.line();
  clear(command_, ir_spare_);
  command_.kind = command_kind::sasl_response;
  if (l.text == "*") {  // RFC 5034 §4: cancel the exchange
    command_.cancel = true;
    return parse_result::complete(consumed);
  }
  const std::size_t bad = base64_error_at(l.text);
  if (bad != std::string_view::npos)
    return parse_result::failed(consumed, pop3_errc::invalid_base64, l.offset + bad);
  command_.argument.assign(l.text);
  return parse_result::complete(consumed);
}

parse_result command_parser::parse_line(std::size_t consumed) {
  const line_view& l = reader_.line();
  const std::string_view text = l.text;
  auto fail = [&](pop3_errc e, std::size_t at) {
    return parse_result::failed(consumed, e, l.offset + at);
  };
  clear(command_, ir_spare_);
  if (text.empty()) return fail(pop3_errc::empty_line, 0);

  const std::size_t sp = find_space(text, 0);
  const std::string_view kw = text.substr(0, sp);
  command_kind kind{};
  if (!lookup_keyword(kw, kind)) return fail(pop3_errc::unknown_command, 0);

  command_.kind = kind;
  const bool has_args = sp != std::string_view::npos;
  const std::size_t args_at = has_args ? sp + 1 : text.size();
  const std::string_view args = has_args ? text.substr(args_at) : std::string_view{};

  switch (kind) {
    case command_kind::stat:
    case command_kind::noop:
    case command_kind::rset:
    case command_kind::quit:
    case command_kind::capa:
    case command_kind::stls:  // RFC 2595 §4: "STLS" has no parameters
      if (has_args) return fail(pop3_errc::unexpected_argument, args_at);
      return parse_result::complete(consumed);
    case command_kind::pass: {
      // RFC 1939 §7: the password is the rest of the line and may contain spaces.
      if (!has_args) return fail(pop3_errc::missing_argument, args_at);
      if (args.empty()) return fail(pop3_errc::empty_argument, args_at);
      failure f;
      if (!check_plain({args, args_at}, limits_.max_argument, f)) return fail(f.code, f.at);
      command_.argument.assign(args);
      return parse_result::complete(consumed);
    }
    case command_kind::auth:
      if (!has_args) return parse_result::complete(consumed);  // bare AUTH lists mechanisms
      break;
    default:
      break;
  }

  std::array<token, max_tokens> toks;  // filled by split_args up to n
  std::size_t n = 0;
  if (has_args) {
    failure f;
    if (!split_args(args, args_at, toks, n, f)) return fail(f.code, f.at);
  }
  // Arity per command: [min, max] tokens.
  std::size_t lo = 0;
  std::size_t hi = 0;
  switch (kind) {
    case command_kind::user:
    case command_kind::retr:
    case command_kind::dele:
      lo = hi = 1;
      break;
    case command_kind::apop:
    case command_kind::top:
      lo = hi = 2;
      break;
    case command_kind::list:
    case command_kind::uidl:
      lo = 0;
      hi = 1;
      break;
    case command_kind::auth:
      lo = 1;
      hi = 2;
      break;
    default:
      break;
  }
  if (n < lo) return fail(pop3_errc::missing_argument, text.size());
  if (n > hi) return fail(pop3_errc::too_many_arguments, toks[hi].at);

  failure f;
  switch (kind) {
    case command_kind::user:
      if (!check_plain(toks[0], limits_.max_argument, f)) return fail(f.code, f.at);
      command_.argument.assign(toks[0].text);
      break;
    case command_kind::apop: {
      if (!check_plain(toks[0], limits_.max_argument, f)) return fail(f.code, f.at);
      // RFC 1939 §7: the digest is 16 octets in lower-case hexadecimal.
      const std::string_view d = toks[1].text;
      for (std::size_t i = 0; i < d.size() && i < 32; ++i) {
        const char c = d[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
          return fail(pop3_errc::invalid_digest, toks[1].at + i);
      }
      if (d.size() != 32)
        return fail(pop3_errc::invalid_digest, toks[1].at + std::min<std::size_t>(d.size(), 32));
      command_.argument.assign(toks[0].text);
      command_.digest.assign(d);
      break;
    }
    case command_kind::list:
    case command_kind::uidl:
    case command_kind::retr:
    case command_kind::dele:
    case command_kind::top: {
      if (n >= 1) {
        if (!check_plain(toks[0], limits_.max_argument, f)) return fail(f.code, f.at);
        std::uint32_t v = 0;
        if (!parse_number(toks[0], true, v, f)) return fail(f.code, f.at);
        command_.msg = v;
      }
      if (kind == command_kind::top) {
        // RFC 1939 §7: n is a non-negative number.
        if (!check_plain(toks[1], limits_.max_argument, f)) return fail(f.code, f.at);
        if (!parse_number(toks[1], false, command_.lines, f)) return fail(f.code, f.at);
      }
      break;
    }
    case command_kind::auth: {
      // RFC 5034 §4 / RFC 4422 §3.1: mechanism names are 1-20 of [A-Z0-9-_].
      const token& m = toks[0];
      for (std::size_t i = 0; i < m.text.size(); ++i)
        if (!is_mech_char(m.text[i]) || i == 20)
          return fail(pop3_errc::invalid_mechanism, m.at + i);
      command_.argument.assign(m.text);
      if (n == 2) {
        // RFC 5034 §4: the initial response is base64, "=" for an empty one; no 40-octet limit.
        const std::string_view ir = toks[1].text;
        if (ir != "=") {
          const std::size_t bad = base64_error_at(ir);
          if (bad != std::string_view::npos)
            return fail(pop3_errc::invalid_base64, toks[1].at + bad);
        }
        ir_spare_.assign(ir);
        command_.initial_response.emplace(std::move(ir_spare_));
      }
      break;
    }
    default:
      break;
  }
  return parse_result::complete(consumed);
}

}  // namespace mailtls::codec::pop3
