#include "codec/pop3/command.hpp"

#include <charconv>

namespace mailtls::codec::pop3 {

std::string_view keyword(command_kind k) noexcept {
  switch (k) {
    case command_kind::user:
      return "USER";
    case command_kind::pass:
      return "PASS";
    case command_kind::apop:
      return "APOP";
    case command_kind::stat:
      return "STAT";
    case command_kind::list:
      return "LIST";
    case command_kind::retr:
      return "RETR";
    case command_kind::dele:
      return "DELE";
    case command_kind::noop:
      return "NOOP";
    case command_kind::rset:
      return "RSET";
    case command_kind::quit:
      return "QUIT";
    case command_kind::top:
      return "TOP";
    case command_kind::uidl:
      return "UIDL";
    case command_kind::capa:
      return "CAPA";
    case command_kind::stls:
      return "STLS";
    case command_kind::auth:
      return "AUTH";
    case command_kind::sasl_response:
      return "";
  }
  return "";
}

bool command::expects_multi_line() const {
  switch (kind) {
    case command_kind::capa:  // RFC 2449 §5
    case command_kind::retr:  // RFC 1939 §5
    case command_kind::top:   // RFC 1939 §7
      return true;
    case command_kind::list:  // RFC 1939 §5: scan listing for every message when no argument
    case command_kind::uidl:  // RFC 1939 §7
      return !msg.has_value();
    case command_kind::auth:  // bare AUTH: mechanism list (common extension, cf. RFC 1734)
      return argument.empty();
    default:
      return false;
  }
}

namespace {
void append_number(std::string& out, std::uint32_t v) {
  char buf[16];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}
}  // namespace

void serialize(const command& c, std::string& out) {
  if (c.kind == command_kind::sasl_response) {
    // RFC 5034 §4: base64 response, or "*" to cancel.
    out += c.cancel ? std::string_view("*") : std::string_view(c.argument);
    out += "\r\n";
    return;
  }
  out += keyword(c.kind);
  switch (c.kind) {
    case command_kind::user:
    case command_kind::pass:
      out += ' ';
      out += c.argument;
      break;
    case command_kind::apop:
      out += ' ';
      out += c.argument;
      out += ' ';
      out += c.digest;
      break;
    case command_kind::list:
    case command_kind::uidl:
    case command_kind::retr:
    case command_kind::dele:
    case command_kind::top:
      if (c.msg) {
        out += ' ';
        append_number(out, *c.msg);
      }
      if (c.kind == command_kind::top) {
        out += ' ';
        append_number(out, c.lines);
      }
      break;
    case command_kind::auth:
      if (!c.argument.empty()) {
        out += ' ';
        out += c.argument;
        if (c.initial_response) {
          out += ' ';
          out += *c.initial_response;
        }
      }
      break;
    default:
      break;
  }
  out += "\r\n";
}

}  // namespace mailtls::codec::pop3
