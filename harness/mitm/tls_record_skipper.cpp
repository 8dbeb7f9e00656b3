#include "mitm/tls_record_skipper.hpp"

namespace mailtls::mitm {

std::size_t tls_record_skipper::skip(std::string_view bytes) noexcept {
  std::size_t i = 0;
  while (i < bytes.size() && !done_) {
    if (remaining_ > 0) {
      const std::uint64_t left = bytes.size() - i;
      const std::size_t n = static_cast<std::size_t>(left < remaining_ ? left : remaining_);
      remaining_ -= n;
      i += n;
      continue;
    }
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (header_len_ == 0 && (b < 20 || b > 23)) {  // not a ContentType (RFC 8446 §5.1)
      done_ = true;
      break;
    }
    header_[header_len_++] = b;
    ++i;
    if (header_len_ == 5) {
      remaining_ = static_cast<std::uint64_t>(header_[3]) << 8 | header_[4];
      header_len_ = 0;
    }
  }
  skipped_ += i;
  return i;
}

}  // namespace mailtls::mitm
