#include "mitm/errc.hpp"

namespace mailtls::codec {

const char* errc_traits<mitm::mitm_errc>::message(mitm::mitm_errc e) noexcept {
  switch (e) {
    case mitm::mitm_errc::unknown_attack:
      return "unknown attack (none, strip-starttls, reject-starttls, inject-response, tamper, "
             "downgrade)";
    case mitm::mitm_errc::attack_needs_starttls:
      return "this attack rewrites the cleartext phase: an implicit-TLS upstream has none (only "
             "none and downgrade apply)";
    case mitm::mitm_errc::buffer_limit:
      return "proxy buffer limit reached";
  }
  return "unknown mitm error";
}

}  // namespace mailtls::codec

namespace mailtls::mitm {

std::error_code make_error_code(mitm_errc e) noexcept {
  return codec::make_codec_error(e);
}

}  // namespace mailtls::mitm
