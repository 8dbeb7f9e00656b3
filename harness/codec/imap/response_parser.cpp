#include "codec/imap/response_parser.hpp"

#include "codec/imap/lexer.hpp"
#include "codec/imap/response_validate.hpp"

namespace mailtls::codec::imap {

namespace {

bool status_from_word(std::string_view w, response_status& s) {
  if (iequals(w, "OK")) {
    s = response_status::ok;
  } else if (iequals(w, "NO")) {
    s = response_status::no;
  } else if (iequals(w, "BAD")) {
    s = response_status::bad;
  } else if (iequals(w, "PREAUTH")) {
    s = response_status::preauth;
  } else if (iequals(w, "BYE")) {
    s = response_status::bye;
  } else {
    return false;
  }
  return true;
}

bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

std::string_view word_after(std::string_view line, std::size_t from) {
  const std::size_t end = line.find(' ', from);
  return line.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
}

}  // namespace

bool response_may_have_literals(std::string_view line) noexcept {
  if (line.empty() || line[0] == '+') return false;
  const std::size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return true;
  response_status s;
  if (!status_from_word(word_after(line, sp + 1), s)) return true;
  // "* OK/NO/BAD/PREAUTH/BYE" and "tag OK/NO/BAD" carry resp-text.
  return line[0] != '*' && (s == response_status::preauth || s == response_status::bye);
}

response_parser::response_parser(imap_limits limits) : framer_(limits, false) {
  framer_.set_literal_filter(&response_may_have_literals);
}

void response_parser::reset() {
  framer_.reset();
  response_ = {};
  offsets_.clear();
}

parse_result response_parser::parse(std::string_view bytes) {
  const parse_result r = framer_.parse(bytes);
  if (!r.is_complete()) return r;
  return parse_response(r.consumed);
}

parse_result response_parser::parse_response(std::size_t consumed) {
  response_ = {};
  offsets_.clear();
  lexer lx(framer_.message(), framer_.message_offset(), framer_.limits());
  auto failed = [&] {
    if (lx.failed()) return parse_result::failed(consumed, lx.error(), lx.error_offset());
    return parse_result::failed(consumed, error_, error_offset_);
  };
  auto fail = [&](imap_errc e, std::uint64_t at) {
    error_ = e;
    error_offset_ = at;
    return parse_result::failed(consumed, e, at);
  };

  const int c = lx.peek();
  if (c == '+') {
    // RFC 9051 §7.5: continue-req = "+" SP (resp-text / base64) CRLF. "+" CRLF is accepted and
    // flagged (bare_plus).
    response_.kind = response_kind::continuation;
    lx.advance();
    if (lx.at_line_end()) {
      response_.bare_plus = true;
    } else if (lx.peek() != ' ') {
      return fail(imap_errc::expected_space, lx.offset());
    } else {
      lx.advance();
      response_.text.assign(lx.rest_of_line());
    }
    return parse_result::complete(consumed);
  }
  if (c == '*') {
    lx.advance();
    if (lx.at_line_end()) return fail(imap_errc::missing_response_data, lx.offset());
    if (lx.peek() != ' ') return fail(imap_errc::expected_space, lx.offset());
    lx.advance();
    if (lx.at_line_end()) return fail(imap_errc::missing_response_data, lx.offset());
    if (!parse_untagged(lx)) return failed();
    return parse_result::complete(consumed);
  }
  // RFC 9051 §9: response-tagged = tag SP resp-cond-state CRLF.
  const std::string_view tag = lx.take_while(is_tag_char);
  if (tag.empty()) return fail(imap_errc::invalid_response_start, lx.offset());
  if (lx.peek() != ' ') return fail(imap_errc::invalid_tag, lx.offset());
  lx.advance();
  response_.kind = response_kind::tagged;
  response_.tag.assign(tag);
  const std::uint64_t word_at = lx.offset();
  const std::string_view word = lx.take_while(is_atom_char);
  if (!status_from_word(word, response_.status) || response_.status == response_status::preauth ||
      response_.status == response_status::bye)
    return fail(imap_errc::invalid_status, word_at);
  response_.keyword.assign(word);
  if (!parse_resp_text(lx)) return failed();
  return parse_result::complete(consumed);
}

bool response_parser::parse_untagged(lexer& lx) {
  std::uint64_t kw_at = lx.offset();
  if (is_digit(static_cast<unsigned char>(lx.peek()))) {
    // message-data / "n EXISTS": number SP keyword.
    const std::string_view digits = lx.take_while(is_digit);
    std::uint64_t n = 0;
    bool ok = digits.size() <= 10;
    for (char d : digits)
      n = n * 10 + static_cast<std::uint64_t>(d - '0');
    if (!ok || n > 0xFFFFFFFFu || !(lx.peek() == ' ')) {
      error_ = lx.peek() == ' ' || lx.at_line_end() ? imap_errc::invalid_message_number
                                                    : imap_errc::expected_space;
      error_offset_ = lx.peek() == ' ' || lx.at_line_end() ? kw_at : lx.offset();
      return false;
    }
    response_.number = n;
    if (!lx.expect_sp()) return false;
  }
  const std::uint64_t word_at = lx.offset();
  const std::string_view word = lx.take_while(is_atom_char);
  if (word.empty() || !(lx.at_line_end() || lx.peek() == ' ')) {
    error_ = imap_errc::unexpected_character;
    error_offset_ = lx.offset();
    return false;
  }
  response_.keyword.assign(word);
  if (!response_.number && status_from_word(word, response_.status)) {
    // resp-cond-state / resp-cond-bye / resp-cond-auth (RFC 9051 §7.1).
    response_.kind = response_kind::status;
    return parse_resp_text(lx);
  }
  response_.kind = response_kind::data;
  response_.data = data_kind_from_keyword(word);
  const bool message_kind =
      response_.data == data_kind::exists || response_.data == data_kind::recent ||
      response_.data == data_kind::expunge || response_.data == data_kind::fetch;
  if (response_.number && !message_kind) response_.data = data_kind::other;
  if (!response_.number) kw_at = word_at;
  if (!lx.read_args(response_.args, &offsets_)) return false;
  response_error err;
  if (!validate_response_data(response_, offsets_, kw_at, err)) {
    error_ = err.code;
    error_offset_ = err.offset;
    return false;
  }
  return true;
}

bool response_parser::parse_resp_text(lexer& lx) {
  // RFC 9051 §9: resp-text = ["[" resp-text-code "]" SP] [text]. A missing SP before an empty
  // text ("a OK" CRLF) is accepted.
  if (lx.at_line_end()) return true;
  if (lx.peek() != ' ') {
    error_ = imap_errc::expected_space;
    error_offset_ = lx.offset();
    return false;
  }
  lx.advance();
  if (lx.peek() == '[') {
    if (!parse_code(lx)) return false;
    if (lx.at_line_end()) return true;
    if (lx.peek() != ' ') {
      error_ = imap_errc::expected_space;
      error_offset_ = lx.offset();
      return false;
    }
    lx.advance();
  }
  response_.text.assign(lx.rest_of_line());
  return true;
}

bool response_parser::parse_code(lexer& lx) {
  const std::uint64_t open_at = lx.offset();
  lx.advance();  // "["
  const std::string_view name = lx.take_while(is_atom_char);
  auto fail = [&](std::uint64_t at) {
    error_ = imap_errc::invalid_response_code;
    error_offset_ = at;
    return false;
  };
  if (name.empty()) return fail(lx.offset());
  response_code& code = response_.code.emplace();
  code.name.assign(name);
  std::vector<std::uint64_t> offsets;
  if (lx.peek() == ' ') {
    lx.advance();
    const std::size_t from = lx.pos();
    if (is_structured_code(name)) {
      for (;;) {
        if (lx.at_line_end() || lx.peek() == ']' || lx.peek() == ' ') return fail(lx.offset());
        offsets.push_back(lx.offset());
        code.args.emplace_back();
        if (!lx.read_value(code.args.back(), 0, true)) return false;
        if (lx.peek() != ' ') break;
        lx.advance();
      }
    } else {
      // atom [SP 1*<any TEXT-CHAR except "]">]
      lx.take_while([](unsigned char ch) { return ch != ']' && ch != '\r' && ch != '\n'; });
    }
    code.text.assign(framer_.message().substr(from, lx.pos() - from));
    if (code.text.empty()) return fail(lx.offset());
  }
  if (lx.peek() != ']') return fail(lx.offset());
  lx.advance();
  response_error err;
  if (!validate_response_code(code, offsets, open_at, err)) {
    error_ = err.code;
    error_offset_ = err.offset;
    return false;
  }
  return true;
}

}  // namespace mailtls::codec::imap
