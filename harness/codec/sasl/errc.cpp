#include "codec/sasl/errc.hpp"

namespace mailtls::codec {

const char* errc_traits<sasl::sasl_errc>::message(sasl::sasl_errc e) noexcept {
  using sasl::sasl_errc;
  switch (e) {
    case sasl_errc::invalid_base64_char:
      return "character outside the base64 alphabet";
    case sasl_errc::bad_base64_length:
      return "base64 length is not a multiple of 4";
    case sasl_errc::misplaced_padding:
      return "base64 padding followed by data";
    case sasl_errc::excess_padding:
      return "too much base64 padding";
    case sasl_errc::nonzero_pad_bits:
      return "non-zero base64 pad bits (non-canonical encoding)";
    case sasl_errc::decoded_too_large:
      return "decoded data exceeds the size limit";
    case sasl_errc::missing_separator:
      return "PLAIN message lacks a NUL separator";
    case sasl_errc::extra_nul:
      return "NUL inside the PLAIN password";
    case sasl_errc::empty_authcid:
      return "empty authentication identity";
    case sasl_errc::empty_password:
      return "empty password";
    case sasl_errc::field_too_long:
      return "credential field too long";
    case sasl_errc::invalid_utf8:
      return "credential field is not valid UTF-8";
    case sasl_errc::embedded_nul:
      return "NUL inside a LOGIN field";
    case sasl_errc::unsupported_mechanism:
      return "unsupported SASL mechanism";
    case sasl_errc::cancelled:
      return "authentication cancelled by the client";
    case sasl_errc::bad_base64:
      return "invalid base64 in SASL exchange";
    case sasl_errc::malformed_message:
      return "malformed SASL message";
    case sasl_errc::unexpected_line:
      return "unexpected line in SASL exchange";
    case sasl_errc::line_too_long:
      return "SASL line too long";
    case sasl_errc::unexpected_challenge:
      return "unexpected SASL challenge";
    case sasl_errc::unknown_prompt:
      return "unknown LOGIN prompt";
    case sasl_errc::unexpected_prompt:
      return "LOGIN prompt out of order";
    case sasl_errc::invalid_state:
      return "SASL session driven out of order";
    case sasl_errc::rejected:
      return "authentication rejected by the server";
    case sasl_errc::premature_success:
      return "server reported success before the exchange ended";
  }
  return "unknown SASL error";
}

}  // namespace mailtls::codec

namespace mailtls::codec::sasl {

const char* to_name(sasl_errc e) noexcept {
  switch (e) {
#define MAILTLS_SASL_NAME(x) \
  case sasl_errc::x:         \
    return #x;
    MAILTLS_SASL_NAME(invalid_base64_char)
    MAILTLS_SASL_NAME(bad_base64_length)
    MAILTLS_SASL_NAME(misplaced_padding)
    MAILTLS_SASL_NAME(excess_padding)
    MAILTLS_SASL_NAME(nonzero_pad_bits)
    MAILTLS_SASL_NAME(decoded_too_large)
    MAILTLS_SASL_NAME(missing_separator)
    MAILTLS_SASL_NAME(extra_nul)
    MAILTLS_SASL_NAME(empty_authcid)
    MAILTLS_SASL_NAME(empty_password)
    MAILTLS_SASL_NAME(field_too_long)
    MAILTLS_SASL_NAME(invalid_utf8)
    MAILTLS_SASL_NAME(embedded_nul)
    MAILTLS_SASL_NAME(unsupported_mechanism)
    MAILTLS_SASL_NAME(cancelled)
    MAILTLS_SASL_NAME(bad_base64)
    MAILTLS_SASL_NAME(malformed_message)
    MAILTLS_SASL_NAME(unexpected_line)
    MAILTLS_SASL_NAME(line_too_long)
    MAILTLS_SASL_NAME(unexpected_challenge)
    MAILTLS_SASL_NAME(unknown_prompt)
    MAILTLS_SASL_NAME(unexpected_prompt)
    MAILTLS_SASL_NAME(invalid_state)
    MAILTLS_SASL_NAME(rejected)
    MAILTLS_SASL_NAME(premature_success)
#undef MAILTLS_SASL_NAME
  }
  return "unknown";
}

std::string error_name(const std::error_code& ec) {
  if (!ec) return {};
  if (ec.category() == category_of<sasl_errc>()) return to_name(static_cast<sasl_errc>(ec.value()));
  return ec.message();
}

std::error_code make_error_code(sasl_errc e) noexcept {
  return make_codec_error(e);
}

}  // namespace mailtls::codec::sasl
