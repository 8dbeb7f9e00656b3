#include "codec/imap/command_parser.hpp"

#include "codec/imap/command_validate.hpp"
#include "codec/imap/lexer.hpp"

namespace mailtls::codec::imap {

command_parser::command_parser(imap_limits limits) : framer_(limits, true) {}

void command_parser::set_mode(client_mode m) {
  mode_ = m;
  framer_.set_single_line(m != client_mode::command);
}

void command_parser::reset() {
  framer_.reset();
  command_ = {};
  continuation_ = {};
  arg_offsets_.clear();
}

parse_result command_parser::parse(std::string_view bytes) {
  const parse_result r = framer_.parse(bytes);
  if (!r.is_complete()) return r;
  return mode_ == client_mode::command ? parse_command(r.consumed) : parse_continuation(r.consumed);
}

parse_result command_parser::parse_command(std::size_t consumed) {
  command_.tag.clear();
  command_.name.clear();
  command_.args.clear();
  command_.uid = false;
  command_.kind = command_kind::unknown;
  arg_offsets_.clear();
  lexer lx(framer_.message(), framer_.message_offset(), framer_.limits());
  auto lex_error = [&] { return parse_result::failed(consumed, lx.error(), lx.error_offset()); };

  // RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">.
  const std::string_view tag = lx.take_while(is_tag_char);
  if (tag.empty()) return parse_result::failed(consumed, imap_errc::invalid_tag, lx.offset());
  if (lx.peek() != ' ') {
    const auto e = lx.at_line_end() ? imap_errc::invalid_command_name : imap_errc::invalid_tag;
    return parse_result::failed(consumed, e, lx.offset());
  }
  lx.advance();
  command_.tag.assign(tag);

  // Command names are atoms, matched case-insensitively (RFC 9051 §9 note on case).
  const auto word = [&] { return lx.take_while(is_atom_char); };
  std::string_view name = word();
  if (name.empty() || !(lx.at_line_end() || lx.peek() == ' '))
    return parse_result::failed(consumed, imap_errc::invalid_command_name, lx.offset());
  command_.name.assign(name);
  if (iequals(name, "UID")) {
    command_.uid = true;
    if (lx.at_line_end())
      return parse_result::failed(consumed, imap_errc::invalid_uid_command, lx.offset());
    if (!lx.expect_sp()) return lex_error();
    const std::uint64_t at = lx.offset();
    name = word();
    if (name.empty() || !(lx.at_line_end() || lx.peek() == ' '))
      return parse_result::failed(consumed, imap_errc::invalid_uid_command, at);
    command_.name.push_back(' ');
    command_.name.append(name);
    command_.kind = command_kind_from_name(name);
    // RFC 9051 §6.4.9: UID COPY / MOVE / FETCH / SEARCH / STORE / EXPUNGE.
    const auto k = command_.kind;
    if (k != command_kind::copy && k != command_kind::move && k != command_kind::fetch &&
        k != command_kind::search && k != command_kind::store && k != command_kind::expunge)
      return parse_result::failed(consumed, imap_errc::invalid_uid_command, at);
  } else {
    command_.kind = command_kind_from_name(name);
  }

  if (!lx.read_args(command_.args, &arg_offsets_)) return lex_error();
  command_error err;
  if (!validate_command(command_, arg_offsets_, lx.offset(), err))
    return parse_result::failed(consumed, err.code, err.offset);
  return parse_result::complete(consumed);
}

parse_result command_parser::parse_continuation(std::size_t consumed) {
  const std::string_view msg = framer_.message();
  const std::uint64_t base = framer_.message_offset();
  std::string_view line = msg;
  line.remove_suffix(line.size() >= 2 && line[line.size() - 2] == '\r' ? 2 : 1);
  continuation_.data.clear();
  if (mode_ == client_mode::idle) {
    // RFC 2177 §3 / RFC 9051 §6.3.13: the client ends IDLE with "DONE".
    if (!iequals(line, "DONE"))
      return parse_result::failed(consumed, imap_errc::expected_done, base);
    continuation_.kind = continuation_kind::done;
    continuation_.data.assign(line);
    return parse_result::complete(consumed);
  }
  // RFC 9051 §6.2.2: a base64 line, or "*" to cancel the exchange.
  if (line == "*") {
    continuation_.kind = continuation_kind::sasl_cancel;
    return parse_result::complete(consumed);
  }
  const std::size_t bad = find_invalid_base64(line);
  if (bad != std::string_view::npos)
    return parse_result::failed(consumed, imap_errc::invalid_base64, base + bad);
  continuation_.kind = continuation_kind::sasl_response;
  continuation_.data.assign(line);
  return parse_result::complete(consumed);
}

}  // namespace mailtls::codec::imap
