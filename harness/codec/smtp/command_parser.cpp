#include "codec/smtp/command_parser.hpp"

#include <charconv>
#include <cstring>

#include "codec/smtp/syntax.hpp"

namespace mailtls::codec::smtp {

namespace {

using syntax::npos;

constexpr smtp_errc ok{};  // no error (smtp_errc values start at 1)

constexpr std::uint32_t pack4(const char* p) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(p[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(p[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(p[2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(p[3])) << 24;
}

// RFC 5321 §2.4: verbs are case-insensitive.
bool match_verb(std::string_view word, verb& v) {
  if (word.size() == 8) {
    if (!syntax::iequals(word, "STARTTLS")) return false;
    v = verb::starttls;
    return true;
  }
  if (word.size() != 4) return false;
  char up[4];
  for (int i = 0; i < 4; ++i)
    up[i] = syntax::to_upper(word[i]);
  switch (pack4(up)) {
    case pack4("MAIL"):
      v = verb::mail;
      return true;
    case pack4("RCPT"):
      v = verb::rcpt;
      return true;
    case pack4("DATA"):
      v = verb::data;
      return true;
    case pack4("EHLO"):
      v = verb::ehlo;
      return true;
    case pack4("HELO"):
      v = verb::helo;
      return true;
    case pack4("BDAT"):
      v = verb::bdat;
      return true;
    case pack4("RSET"):
      v = verb::rset;
      return true;
    case pack4("NOOP"):
      v = verb::noop;
      return true;
    case pack4("QUIT"):
      v = verb::quit;
      return true;
    case pack4("VRFY"):
      v = verb::vrfy;
      return true;
    case pack4("EXPN"):
      v = verb::expn;
      return true;
    case pack4("HELP"):
      v = verb::help;
      return true;
    case pack4("AUTH"):
      v = verb::auth;
      return true;
    default:
      return false;
  }
}

void to_upper_inplace(std::string& s) {
  for (char& c : s)
    c = syntax::to_upper(c);
}

bool parse_number(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  for (char c : s) {
    if (!syntax::is_digit(c)) return false;
  }
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

}  // namespace

command_parser::command_parser(limits lim) : limits_(lim), reader_(lim.command_line_limits()) {}

void command_parser::reset() {
  reader_.reset();
  cmd_ = {};
}

parse_result command_parser::parse(std::string_view bytes) {
  const parse_result r = reader_.parse(bytes);
  if (!r.is_complete()) return r;
  const line_view& l = reader_.line();
  std::size_t at = 0;
  const smtp_errc ec = parse_line(l.text, at);
  if (ec != ok) return parse_result::failed(r.consumed, ec, l.offset + at);
  return r;
}

smtp_errc command_parser::parse_line(std::string_view text, std::size_t& at) {
  // RFC 5321 §4.1.1: receivers SHOULD tolerate trailing white space before the CRLF.
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  at = 0;
  if (text.empty()) return smtp_errc::empty_line;
  // Every verb has 4 or 8 letters: look for the SP right there instead of searching the line.
  std::size_t sp = npos;
  std::size_t word = 0;
  if (text.size() >= 4 && (text.size() == 4 || text[4] == ' ')) {
    word = 4;
  } else if (text.size() >= 8 && (text.size() == 8 || text[8] == ' ')) {
    word = 8;
  } else {
    return smtp_errc::unknown_command;
  }
  if (text.size() > word) sp = word;
  verb v{};
  if (!match_verb(text.substr(0, word), v)) return smtp_errc::unknown_command;

  cmd_.v = v;
  cmd_.domain.clear();
  cmd_.address.source_route.clear();
  cmd_.address.local_part.clear();
  cmd_.address.domain.clear();
  cmd_.address.has_utf8 = false;
  cmd_.params.size.reset();
  cmd_.params.body = body_type::none;
  cmd_.params.smtputf8 = false;
  cmd_.params.requiretls = false;
  for (auto& o : cmd_.params.other)
    spare_.push_back(std::move(o));
  cmd_.params.other.clear();
  cmd_.chunk_size = 0;
  cmd_.last = false;
  cmd_.argument.clear();
  cmd_.mechanism.clear();
  cmd_.initial_response.reset();

  const bool has_arg = sp != npos;
  const std::size_t arg_at = has_arg ? sp + 1 : text.size();
  const std::string_view arg = text.substr(arg_at);
  if (!has_arg) at = text.size();

  switch (v) {
    case verb::data:
    case verb::rset:
    case verb::quit:
    case verb::starttls:
      // RFC 5321 §4.1.1.4/5/10; RFC 3207 §4: "STARTTLS" with a parameter gets 501.
      if (has_arg) {
        at = arg_at;
        return smtp_errc::unexpected_argument;
      }
      return ok;
    case verb::ehlo:
    case verb::helo:
      if (!has_arg) return smtp_errc::missing_argument;
      return parse_hello(arg, arg_at, at);
    case verb::mail:
    case verb::rcpt: {
      if (!has_arg) return smtp_errc::missing_argument;
      const bool forward = v == verb::rcpt;
      const std::string_view head = forward ? "TO:" : "FROM:";
      // RFC 5321 §4.1.1.2: "MAIL FROM:" Reverse-path; §4.1.1.3: "RCPT TO:" Forward-path.
      if (arg.size() < head.size() || !syntax::iequals(arg.substr(0, head.size()), head)) {
        at = arg_at;
        return forward ? smtp_errc::missing_to : smtp_errc::missing_from;
      }
      std::size_t i = arg_at + head.size();
      if (const auto ec = parse_path(text, i, forward); ec != ok) {
        at = i;
        return ec;
      }
      if (const auto ec = parse_params(text, i); ec != ok) {
        at = i;
        return ec;
      }
      return ok;
    }
    case verb::bdat:
      if (!has_arg) return smtp_errc::missing_argument;
      return parse_bdat(arg, arg_at, at);
    case verb::vrfy:
    case verb::expn:
      // RFC 5321 §4.1.1.6/7: "VRFY" SP String, "EXPN" SP String.
      if (!has_arg || arg.empty()) {
        at = text.size();
        return smtp_errc::missing_argument;
      }
      cmd_.argument.assign(arg);
      return ok;
    case verb::noop:
    case verb::help:
      // RFC 5321 §4.1.1.8/9: optional String.
      cmd_.argument.assign(arg);
      return ok;
    case verb::auth:
      if (!has_arg) return smtp_errc::missing_argument;
      return parse_auth(arg, arg_at, at);
  }
  return smtp_errc::unknown_command;
}

smtp_errc command_parser::parse_hello(std::string_view arg, std::size_t arg_at, std::size_t& at) {
  // RFC 5321 §4.1.1.1: "EHLO" SP ( Domain / address-literal ); HELO takes the same here (many
  // clients send a literal with HELO).
  const std::size_t end = arg.find(' ');
  if (end != npos) {
    at = arg_at + end;
    return smtp_errc::unexpected_argument;
  }
  if (arg.empty()) {
    at = arg_at;
    return smtp_errc::missing_argument;
  }
  bool utf8 = false;
  if (arg.front() == '[') {
    if (syntax::check_address_literal(arg) != npos) {
      at = arg_at;
      return smtp_errc::bad_address_literal;
    }
  } else if (const std::size_t bad = syntax::check_domain(arg, utf8); bad != npos) {
    at = arg_at + bad;
    return smtp_errc::bad_domain;
  }
  if (arg.size() > limits_.max_domain) {  // RFC 5321 §4.5.3.1.2
    at = arg_at + limits_.max_domain;
    return smtp_errc::domain_too_long;
  }
  cmd_.domain.assign(arg);
  return ok;
}

smtp_errc command_parser::parse_path(std::string_view text, std::size_t& i, bool forward) {
  // Path = "<" [ A-d-l ":" ] Mailbox ">"; Reverse-path = Path / "<>" (RFC 5321 §4.1.2).
  path& p = cmd_.address;
  const std::size_t start = i;
  if (i >= text.size() || text[i] != '<') return smtp_errc::bad_path;
  ++i;
  if (i < text.size() && text[i] == '>') {
    if (forward) {  // RFC 5321 §4.1.1.3: RCPT needs a forward-path
      i = start;
      return smtp_errc::null_path_not_allowed;
    }
    ++i;
    return ok;
  }
  bool utf8 = false;
  if (i < text.size() && text[i] == '@') {
    // A-d-l = At-domain *( "," At-domain ): accepted and kept, never used (RFC 5321 §4.1.2, C.1).
    while (true) {
      ++i;  // the "@"
      std::size_t bad = 0;
      const std::size_t end = syntax::scan_domain(text, i, utf8, bad);
      if (end == npos) {
        i = bad;
        return smtp_errc::bad_domain;
      }
      if (end - i > limits_.max_domain) {
        i += limits_.max_domain;
        return smtp_errc::domain_too_long;
      }
      p.source_route.emplace_back(text.substr(i, end - i));
      i = end;
      if (i < text.size() && text[i] == ',') {
        ++i;
        if (i >= text.size() || text[i] != '@') return smtp_errc::bad_path;
        continue;
      }
      if (i < text.size() && text[i] == ':') {
        ++i;
        break;
      }
      return smtp_errc::bad_path;
    }
  }
  std::size_t bad = 0;
  const std::size_t local_end = syntax::scan_local_part(text, i, utf8, bad);
  if (local_end == npos) {
    i = bad;
    return smtp_errc::bad_local_part;
  }
  if (local_end - i > limits_.max_local_part) {  // RFC 5321 §4.5.3.1.1
    i += limits_.max_local_part;
    return smtp_errc::local_part_too_long;
  }
  p.local_part.assign(text.substr(i, local_end - i));
  i = local_end;
  if (i < text.size() && text[i] == '>' && forward && p.source_route.empty() &&
      syntax::iequals(p.local_part, "POSTMASTER")) {
    // RFC 5321 §4.1.1.3: "<Postmaster>" without a domain.
    ++i;
    p.has_utf8 = utf8;
    return ok;
  }
  if (i >= text.size() || text[i] != '@') return smtp_errc::bad_path;
  ++i;
  const std::size_t dom = i;
  std::size_t dom_end = 0;
  if (i < text.size() && text[i] == '[') {
    const std::size_t close = text.find(']', i);
    if (close == npos || syntax::check_address_literal(text.substr(i, close + 1 - i)) != npos) {
      return smtp_errc::bad_address_literal;
    }
    dom_end = close + 1;
  } else {
    std::size_t b = 0;
    dom_end = syntax::scan_domain(text, i, utf8, b);
    if (dom_end == npos) {
      i = b;
      return smtp_errc::bad_domain;
    }
  }
  if (dom_end - dom > limits_.max_domain) {  // RFC 5321 §4.5.3.1.2
    i = dom + limits_.max_domain;
    return smtp_errc::domain_too_long;
  }
  i = dom_end;
  if (i >= text.size() || text[i] != '>') {
    // A stray octet inside the domain is a domain error; a missing ">" a path error.
    return (i < text.size() && text[i] != ' ') ? smtp_errc::bad_domain : smtp_errc::bad_path;
  }
  ++i;
  if (i - start > limits_.max_path) {  // RFC 5321 §4.5.3.1.3
    i = start + limits_.max_path;
    return smtp_errc::path_too_long;
  }
  p.domain.assign(text.substr(dom, dom_end - dom));
  p.has_utf8 = utf8;
  return ok;
}

smtp_errc command_parser::parse_params(std::string_view text, std::size_t& i) {
  // Mail-parameters = esmtp-param *(SP esmtp-param); esmtp-param = esmtp-keyword ["=" esmtp-value]
  // (RFC 5321 §4.1.2).
  esmtp_params& ps = cmd_.params;
  std::size_t count = 0;
  enum : unsigned { seen_size = 1, seen_body = 2, seen_utf8 = 4, seen_requiretls = 8 };
  unsigned seen = 0;
  while (i < text.size()) {
    if (text[i] != ' ') return smtp_errc::bad_parameter;
    ++i;
    const std::size_t start = i;
    // One pass: esmtp-keyword, then "=" esmtp-value, then SP or the end.
    const std::size_t n = text.size();
    std::size_t end = start;
    while (end < n && syntax::is_keyword_char(text[end]))
      ++end;
    if (end == start || text[start] == '-') {
      i = start;
      return smtp_errc::bad_parameter;
    }
    const std::string_view key = text.substr(start, end - start);
    std::size_t eq = npos;
    std::string_view value;
    if (end < n && text[end] == '=') {
      eq = end - start;
      const std::size_t vstart = ++end;
      while (end < n && syntax::is_value_char(text[end]))
        ++end;
      if (end == vstart) {
        i = vstart;
        return smtp_errc::bad_parameter;
      }
      value = text.substr(vstart, end - vstart);
    }
    if (end < n && text[end] != ' ') {
      i = end;
      return smtp_errc::bad_parameter;
    }
    if (++count > limits_.max_parameters) {
      i = start;
      return smtp_errc::too_many_parameters;
    }
    unsigned bit = 0;
    if (syntax::iequals(key, "SIZE")) {
      bit = seen_size;
    } else if (syntax::iequals(key, "BODY")) {
      bit = seen_body;
    } else if (syntax::iequals(key, "SMTPUTF8")) {
      bit = seen_utf8;
    } else if (syntax::iequals(key, "REQUIRETLS")) {
      bit = seen_requiretls;
    }
    if (bit != 0) {
      if ((seen & bit) != 0) {
        i = start;
        return smtp_errc::duplicate_parameter;
      }
      seen |= bit;
      if (bit == seen_size || bit == seen_body) {
        if (eq == npos) {
          i = end;
          return smtp_errc::missing_parameter_value;
        }
      } else if (eq != npos) {
        i = start + eq;  // RFC 6531 §3.4, RFC 8689 §3: no value
        return smtp_errc::unexpected_parameter_value;
      }
      if (bit == seen_size) {
        // RFC 1870 §3: size-value = 1*20DIGIT.
        std::uint64_t size_value = 0;
        if (!parse_number(value, size_value)) {
          i = start + eq + 1;
          return smtp_errc::bad_size;
        }
        ps.size = size_value;
      } else if (bit == seen_body) {
        // RFC 6152 §2: BODY=7BIT / 8BITMIME; RFC 3030 §3: BINARYMIME.
        if (syntax::iequals(value, "7BIT")) {
          ps.body = body_type::seven_bit;
        } else if (syntax::iequals(value, "8BITMIME")) {
          ps.body = body_type::eight_bit_mime;
        } else if (syntax::iequals(value, "BINARYMIME")) {
          ps.body = body_type::binary_mime;
        } else {
          i = start + eq + 1;
          return smtp_errc::bad_body;
        }
      } else if (bit == seen_utf8) {
        ps.smtputf8 = true;
      } else {
        ps.requiretls = true;
      }
    } else {
      for (const auto& o : ps.other) {
        if (syntax::iequals(key, o.keyword)) {
          i = start;
          return smtp_errc::duplicate_parameter;
        }
      }
      if (spare_.empty()) {
        ps.other.emplace_back();
      } else {
        ps.other.push_back(std::move(spare_.back()));
        spare_.pop_back();
      }
      esmtp_param& o = ps.other.back();
      o.keyword.assign(key);
      to_upper_inplace(o.keyword);
      if (eq != npos) {
        if (o.value) {
          o.value->assign(value);
        } else {
          o.value.emplace(value);
        }
      } else {
        o.value.reset();
      }
    }
    i = end;
  }
  return ok;
}

smtp_errc command_parser::parse_bdat(std::string_view arg, std::size_t arg_at, std::size_t& at) {
  // RFC 3030 §2: "BDAT" SP chunk-size [ SP end-marker ]; chunk-size = 1*DIGIT; end-marker = "LAST".
  const std::size_t sp = arg.find(' ');
  const std::string_view num = arg.substr(0, sp);
  if (!parse_number(num, cmd_.chunk_size)) {
    at = arg_at;
    return smtp_errc::bad_size;
  }
  if (sp != npos) {
    if (!syntax::iequals(arg.substr(sp + 1), "LAST")) {
      at = arg_at + sp + 1;
      return smtp_errc::unexpected_argument;
    }
    cmd_.last = true;
  }
  return ok;
}

smtp_errc command_parser::parse_auth(std::string_view arg, std::size_t arg_at, std::size_t& at) {
  // RFC 4954 §4: "AUTH" SP sasl-mech [SP initial-response]; sasl-mech is 1-20 of upper-case
  // letters, digits, "-" and "_" (RFC 4422 §3.1; lower case accepted and upper-cased here).
  const std::size_t sp = arg.find(' ');
  const std::string_view mech = arg.substr(0, sp);
  if (mech.empty()) {
    at = arg_at;
    return smtp_errc::missing_argument;
  }
  for (std::size_t k = 0; k < mech.size(); ++k) {
    const char c = mech[k];
    if (k >= 20 || !(syntax::is_alnum(c) || c == '-' || c == '_')) {
      at = arg_at + k;
      return smtp_errc::bad_mechanism;
    }
  }
  cmd_.mechanism.assign(mech);
  to_upper_inplace(cmd_.mechanism);
  if (sp == npos) return ok;
  const std::size_t ir_at = sp + 1;
  const std::string_view ir = arg.substr(ir_at);
  if (const std::size_t extra = ir.find(' '); extra != npos) {
    at = arg_at + ir_at + extra;
    return smtp_errc::unexpected_argument;
  }
  if (ir == "=") {  // RFC 4954 §4: "=" is an empty initial response
    cmd_.initial_response.emplace();
    return ok;
  }
  if (const std::size_t bad = syntax::check_base64(ir); bad != npos) {
    at = arg_at + ir_at + bad;
    return smtp_errc::bad_initial_response;
  }
  cmd_.initial_response.emplace(ir);
  return ok;
}

}  // namespace mailtls::codec::smtp
