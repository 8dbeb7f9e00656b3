#include "codec/smtp/command.hpp"

#include <charconv>

namespace mailtls::codec::smtp {

std::string_view to_string(verb v) noexcept {
  switch (v) {
    case verb::ehlo:
      return "EHLO";
    case verb::helo:
      return "HELO";
    case verb::mail:
      return "MAIL";
    case verb::rcpt:
      return "RCPT";
    case verb::data:
      return "DATA";
    case verb::bdat:
      return "BDAT";
    case verb::rset:
      return "RSET";
    case verb::vrfy:
      return "VRFY";
    case verb::expn:
      return "EXPN";
    case verb::help:
      return "HELP";
    case verb::noop:
      return "NOOP";
    case verb::quit:
      return "QUIT";
    case verb::starttls:
      return "STARTTLS";
    case verb::auth:
      return "AUTH";
  }
  return "?";
}

std::string_view to_string(body_type b) noexcept {
  switch (b) {
    case body_type::none:
      return "";
    case body_type::seven_bit:
      return "7BIT";
    case body_type::eight_bit_mime:
      return "8BITMIME";
    case body_type::binary_mime:
      return "BINARYMIME";
  }
  return "";
}

namespace {

void append_number(std::uint64_t n, std::string& out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

void serialize_params(const esmtp_params& p, std::string& out) {
  if (p.size) {
    out += " SIZE=";
    append_number(*p.size, out);
  }
  if (p.body != body_type::none) {
    out += " BODY=";
    out += to_string(p.body);
  }
  if (p.smtputf8) out += " SMTPUTF8";
  if (p.requiretls) out += " REQUIRETLS";
  for (const auto& o : p.other) {
    out += ' ';
    out += o.keyword;
    if (o.value) {
      out += '=';
      out += *o.value;
    }
  }
}

}  // namespace

void serialize(const path& p, std::string& out) {
  out += '<';
  for (std::size_t i = 0; i < p.source_route.size(); ++i) {
    out += i == 0 ? "@" : ",@";
    out += p.source_route[i];
  }
  if (!p.source_route.empty()) out += ':';
  out += p.local_part;
  if (!p.domain.empty()) {
    out += '@';
    out += p.domain;
  }
  out += '>';
}

void serialize(const command& c, std::string& out) {
  out += to_string(c.v);
  switch (c.v) {
    case verb::ehlo:
    case verb::helo:
      out += ' ';
      out += c.domain;
      break;
    case verb::mail:
      out += " FROM:";
      serialize(c.address, out);
      serialize_params(c.params, out);
      break;
    case verb::rcpt:
      out += " TO:";
      serialize(c.address, out);
      serialize_params(c.params, out);
      break;
    case verb::bdat:
      out += ' ';
      append_number(c.chunk_size, out);
      if (c.last) out += " LAST";
      break;
    case verb::vrfy:
    case verb::expn:
    case verb::noop:
    case verb::help:
      if (!c.argument.empty()) {
        out += ' ';
        out += c.argument;
      }
      break;
    case verb::auth:
      out += ' ';
      out += c.mechanism;
      if (c.initial_response) {
        out += ' ';
        out += c.initial_response->empty() ? std::string_view("=") : *c.initial_response;
      }
      break;
    case verb::data:
    case verb::rset:
    case verb::quit:
    case verb::starttls:
      break;
  }
  out += "\r\n";
}

}  // namespace mailtls::codec::smtp
