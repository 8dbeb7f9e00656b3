// Recognises the TLS records a client sends when it starts its handshake (RFC 8446 §5.1:
// type 20-23, version, 16-bit length), so that the downgrade attack can drop them and read what
// the client sends after them as cleartext.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mailtls::mitm {

class tls_record_skipper {
 public:
  // How many bytes at the start of `bytes` belong to TLS records (whole or continuing). Once a
  // byte at a record boundary is not a record type, skipping is over for good and 0 is returned.
  std::size_t skip(std::string_view bytes) noexcept;
  bool done() const noexcept { return done_; }
  std::uint64_t skipped() const noexcept { return skipped_; }

 private:
  unsigned char header_[5] = {};
  std::size_t header_len_ = 0;
  std::uint64_t remaining_ = 0;
  std::uint64_t skipped_ = 0;
  bool done_ = false;
};

}  // namespace mailtls::mitm
