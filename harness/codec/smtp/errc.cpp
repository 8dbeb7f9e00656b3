#include "codec/smtp/errc.hpp"

namespace mailtls::codec {

const char* errc_traits<smtp::smtp_errc>::message(smtp::smtp_errc e) noexcept {
  using smtp::smtp_errc;
  switch (e) {
    case smtp_errc::empty_line:
      return "empty command line";
    case smtp_errc::unknown_command:
      return "unknown command";
    case smtp_errc::missing_argument:
      return "missing argument";
    case smtp_errc::unexpected_argument:
      return "unexpected argument";
    case smtp_errc::bad_domain:
      return "bad domain";
    case smtp_errc::bad_address_literal:
      return "bad address literal";
    case smtp_errc::missing_from:
      return "MAIL without FROM:";
    case smtp_errc::missing_to:
      return "RCPT without TO:";
    case smtp_errc::bad_path:
      return "bad path";
    case smtp_errc::bad_local_part:
      return "bad local part";
    case smtp_errc::null_path_not_allowed:
      return "null path not allowed";
    case smtp_errc::local_part_too_long:
      return "local part too long";
    case smtp_errc::domain_too_long:
      return "domain too long";
    case smtp_errc::path_too_long:
      return "path too long";
    case smtp_errc::bad_parameter:
      return "bad parameter";
    case smtp_errc::duplicate_parameter:
      return "duplicate parameter";
    case smtp_errc::too_many_parameters:
      return "too many parameters";
    case smtp_errc::missing_parameter_value:
      return "missing parameter value";
    case smtp_errc::unexpected_parameter_value:
      return "unexpected parameter value";
    case smtp_errc::bad_size:
      return "bad size";
    case smtp_errc::bad_body:
      return "bad BODY value";
    case smtp_errc::bad_mechanism:
      return "bad SASL mechanism";
    case smtp_errc::bad_initial_response:
      return "bad initial response";
    case smtp_errc::bad_reply_code:
      return "bad reply code";
    case smtp_errc::bad_reply_separator:
      return "bad reply separator";
    case smtp_errc::reply_code_mismatch:
      return "reply code mismatch";
    case smtp_errc::too_many_reply_lines:
      return "too many reply lines";
    case smtp_errc::not_ehlo_reply:
      return "not an EHLO reply";
  }
  return "unknown smtp error";
}

namespace smtp {
std::error_code make_error_code(smtp_errc e) noexcept {
  return make_codec_error(e);
}
}  // namespace smtp

}  // namespace mailtls::codec
