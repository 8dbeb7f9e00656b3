#include "codec/pop3/errc.hpp"

namespace mailtls::codec {

const char* errc_traits<pop3::pop3_errc>::message(pop3::pop3_errc e) noexcept {
  using pop3::pop3_errc;
  switch (e) {
    case pop3_errc::empty_line:
      return "empty command line";
    case pop3_errc::unknown_command:
      return "unknown command";
    case pop3_errc::missing_argument:
      return "missing argument";
    case pop3_errc::unexpected_argument:
      return "command takes no argument";
    case pop3_errc::too_many_arguments:
      return "too many arguments";
    case pop3_errc::empty_argument:
      return "empty argument (double or trailing space)";
    case pop3_errc::argument_too_long:
      return "argument too long";
    case pop3_errc::invalid_character:
      return "control character in argument";
    case pop3_errc::invalid_number:
      return "invalid number";
    case pop3_errc::signed_number:
      return "signed number";
    case pop3_errc::leading_zero:
      return "number with a leading zero";
    case pop3_errc::zero_message_number:
      return "message number 0";
    case pop3_errc::number_out_of_range:
      return "number out of range";
    case pop3_errc::invalid_digest:
      return "APOP digest is not 32 lower-case hex digits";
    case pop3_errc::invalid_mechanism:
      return "invalid SASL mechanism name";
    case pop3_errc::invalid_base64:
      return "invalid base64";
    case pop3_errc::bad_status:
      return "response does not start with +OK or -ERR";
    case pop3_errc::lowercase_status:
      return "status indicator not upper case";
    case pop3_errc::status_without_space:
      return "status indicator not followed by a space";
    case pop3_errc::unexpected_continuation:
      return "unexpected SASL continuation";
    case pop3_errc::body_too_large:
      return "multi-line body too large";
    case pop3_errc::too_many_lines:
      return "multi-line body has too many lines";
  }
  return "unknown pop3 error";
}

namespace pop3 {
std::error_code make_error_code(pop3_errc e) noexcept {
  return make_codec_error(e);
}
}  // namespace pop3

}  // namespace mailtls::codec
