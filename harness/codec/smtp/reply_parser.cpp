#include "codec/smtp/reply_parser.hpp"

namespace mailtls::codec::smtp {

reply_parser::reply_parser(limits lim) : limits_(lim), reader_(lim.reply_line_limits()) {}

void reply_parser::reset() {
  reader_.reset();
  start_reply();
}

void reply_parser::start_reply() {
  reply_.code = 0;
  for (auto& l : reply_.lines)
    spare_.push_back(std::move(l));
  reply_.lines.clear();
  reply_.bare_lf = false;
  reply_.bare_cr = false;
  reply_.nul = false;
  done_ = false;
}

parse_result reply_parser::parse(std::string_view bytes) {
  if (done_) start_reply();
  std::size_t used = 0;
  while (true) {
    const parse_result r = reader_.parse(bytes.substr(used));
    used += r.consumed;
    if (r.is_need_more()) return parse_result::need_more(used);
    if (r.is_error()) {
      start_reply();
      return parse_result::failed(used, r.error, r.offset);
    }
    const line_view& l = reader_.line();
    const std::string_view t = l.text;
    auto fail = [&](smtp_errc e, std::size_t at) {
      start_reply();
      return parse_result::failed(used, e, l.offset + at);
    };
    // RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39.
    if (t.empty() || t[0] < '2' || t[0] > '5') return fail(smtp_errc::bad_reply_code, 0);
    if (t.size() < 2 || t[1] < '0' || t[1] > '5') return fail(smtp_errc::bad_reply_code, 1);
    if (t.size() < 3 || t[2] < '0' || t[2] > '9') return fail(smtp_errc::bad_reply_code, 2);
    const int code = (t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0');
    bool last = true;
    if (t.size() > 3) {
      if (t[3] == '-') {
        last = false;
      } else if (t[3] != ' ') {
        return fail(smtp_errc::bad_reply_separator, 3);
      }
    }
    // RFC 5321 §4.2.1: every line of a multi-line reply carries the same code.
    if (!reply_.lines.empty() && code != reply_.code) {
      return fail(smtp_errc::reply_code_mismatch, 0);
    }
    if (reply_.lines.size() >= limits_.max_reply_lines) {
      return fail(smtp_errc::too_many_reply_lines, 0);
    }
    reply_.code = code;
    const std::string_view text = t.size() > 4 ? t.substr(4) : std::string_view();
    if (spare_.empty()) {
      reply_.lines.emplace_back(text);
    } else {
      reply_.lines.push_back(std::move(spare_.back()));
      spare_.pop_back();
      reply_.lines.back().assign(text);
    }
    if (l.ending == line_ending::lf) reply_.bare_lf = true;
    if (l.bare_cr) reply_.bare_cr = true;
    if (l.nul) reply_.nul = true;
    if (last) {
      done_ = true;
      return parse_result::complete(used);
    }
    if (used == bytes.size()) return parse_result::need_more(used);
  }
}

}  // namespace mailtls::codec::smtp
