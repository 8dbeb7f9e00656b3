#include "codec/pop3/response_parser.hpp"

#include <algorithm>

#include "codec/pop3/errc.hpp"
#include "codec/pop3/syntax.hpp"

namespace mailtls::codec::pop3 {

namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

void clear(response& r) {  // keeps the capacity of body and text
  r.status = response_status::ok;
  r.code.clear();
  r.text.clear();
  r.multi_line = false;
  r.body.clear();
  r.flags = {};
}

}  // namespace

response_parser::response_parser(response_limits limits) : limits_(limits) {
  reader_.set_limits({.max_length = limits_.max_status_line,
                      .allow_bare_lf = limits_.allow_bare_lf,
                      .allow_bare_cr = limits_.allow_bare_cr,
                      .allow_nul = limits_.allow_nul});
}

void response_parser::reset() {
  reader_.reset();
  clear(response_);
  expected_ = response_kind::single_line;
  state_ = state::status;
  body_lines_ = 0;
}

void response_parser::set_line_limit(std::size_t n) {
  if (reader_.limits().max_length == n) return;
  line_limits l = reader_.limits();
  l.max_length = n;
  reader_.set_limits(l);
}

void response_parser::note_line_flags(const line_view& l) {
  if (l.ending == line_ending::lf) response_.flags.bare_lf = true;
  if (l.bare_cr) response_.flags.bare_cr = true;
  if (l.nul) response_.flags.nul = true;
}

parse_result response_parser::parse(std::string_view bytes) {
  std::size_t total = 0;
  for (;;) {
    if (state_ == state::status) {
      // RFC 2449 §4: 512 octets; RFC 5034 §4: SASL challenges may be longer.
      set_line_limit(expected_ == response_kind::sasl ? limits_.max_sasl_line
                                                      : limits_.max_status_line);
    }
    const parse_result r = reader_.parse(bytes.substr(total));
    total += r.consumed;
    if (r.is_need_more()) return parse_result::need_more(total);

    if (state_ == state::status) {
      if (r.is_error()) {
        expected_ = response_kind::single_line;
        return parse_result::failed(total, r.error, r.offset);
      }
      const parse_result s = parse_status_line(total);
      if (state_ == state::status) return s;
      continue;  // +OK of a multi-line response: read the body in the same call
    }

    const line_view& l = reader_.line();
    if (r.is_error()) {
      if (r.error == line_errc::bare_lf && l.text == ".") {
        // A terminator without CR: report it and end the body (the response is lost).
        state_ = state::status;
        expected_ = response_kind::single_line;
      } else {
        ++response_.flags.dropped_lines;
      }
      return parse_result::failed(total, r.error, r.offset);
    }
    parse_result err;
    if (body_line(l, err, total)) {
      state_ = state::status;
      expected_ = response_kind::single_line;
      return parse_result::complete(total);
    }
    if (err.is_error()) return err;
  }
}

parse_result response_parser::parse_status_line(std::size_t consumed) {
  const line_view& l = reader_.line();
  const std::string_view text = l.text;
  const response_kind expected = expected_;
  expected_ = response_kind::single_line;
  clear(response_);
  note_line_flags(l);
  auto fail = [&](pop3_errc e, std::size_t at) {
    return parse_result::failed(consumed, e, l.offset + at);
  };

  // RFC 1939 §3: "+OK" / "-ERR", upper case, then SP and text or CRLF.
  std::size_t n = 0;
  if (starts_with_ci(text, "+OK")) {
    response_.status = response_status::ok;
    n = 3;
  } else if (starts_with_ci(text, "-ERR")) {
    response_.status = response_status::err;
    n = 4;
  } else if (!text.empty() && text[0] == '+' && (text.size() == 1 || text[1] == ' ')) {
    // RFC 5034 §4: continue-req = "+" SP [base64] CRLF; a bare "+" is taken as empty.
    if (expected != response_kind::sasl) return fail(pop3_errc::unexpected_continuation, 0);
    const std::string_view data = text.size() > 2 ? text.substr(2) : std::string_view{};
    const std::size_t bad = base64_error_at(data);
    if (bad != std::string_view::npos) return fail(pop3_errc::invalid_base64, 2 + bad);
    response_.status = response_status::continuation;
    response_.text.assign(data);
    return parse_result::complete(consumed);
  } else {
    return fail(pop3_errc::bad_status, 0);
  }
  if (text.compare(0, n, n == 3 ? "+OK" : "-ERR") != 0) {
    if (!limits_.allow_lowercase_status) return fail(pop3_errc::lowercase_status, 0);
    response_.flags.lowercase_status = true;
  }
  std::string_view rest = text.substr(n);
  if (!rest.empty()) {
    if (rest[0] != ' ') return fail(pop3_errc::status_without_space, n);
    rest.remove_prefix(1);
  }
  // RFC 2449 §8 / RFC 3206: an optional response code at the start of the text.
  const std::size_t used = parse_response_code(rest, response_.code);
  if (used == 0 && !rest.empty() && rest[0] == '[') response_.flags.malformed_code = true;
  response_.text.assign(rest.substr(used));

  // RFC 1939 §3: only a positive answer to a multi-line command has a body; -ERR is one line.
  if (response_.is_ok() && expected == response_kind::multi_line) {
    response_.multi_line = true;
    state_ = state::body;
    body_lines_ = 0;
    set_line_limit(limits_.max_body_line);
    return parse_result::need_more(consumed);  // not returned to the caller: parse() goes on
  }
  return parse_result::complete(consumed);
}

bool response_parser::body_line(const line_view& l, parse_result& error_out, std::size_t consumed) {
  std::string_view text = l.text;
  if (text.size() == 1 && text[0] == '.') {  // RFC 1939 §3: the terminating line
    note_line_flags(l);
    return true;
  }
  if (state_ == state::skip_body) return false;
  note_line_flags(l);
  // RFC 1939 §3: a line starting with "." has it removed (dot-unstuffing).
  const std::size_t stuffed = (!text.empty() && text[0] == '.') ? 1 : 0;
  text.remove_prefix(stuffed);
  if (body_lines_ >= limits_.max_body_lines) {
    state_ = state::skip_body;
    response_.flags.truncated = true;
    error_out = parse_result::failed(consumed, pop3_errc::too_many_lines, l.offset);
    return false;
  }
  std::string& body = response_.body;
  if (body.size() + text.size() + 2 > limits_.max_body_size) {
    const std::size_t room = limits_.max_body_size - std::min(body.size(), limits_.max_body_size);
    state_ = state::skip_body;
    response_.flags.truncated = true;
    error_out =
        parse_result::failed(consumed, pop3_errc::body_too_large, l.offset + stuffed + room);
    return false;
  }
  ++body_lines_;
  body.append(text);
  body += "\r\n";
  return false;
}

}  // namespace mailtls::codec::pop3
