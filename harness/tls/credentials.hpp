// PEM credential files and the server's persistent private CA.
#pragma once

#include <string>
#include <system_error>

#include "tls/certs.hpp"
#include "tls/errc.hpp"

namespace mailtls::tls {

// Writes the certificate (mode 0644) and the private key (mode 0600, created with that mode, never
// world-readable even briefly) atomically: each goes to a temporary file that is then renamed.
std::error_code write_credentials(const credentials& creds, const std::string& certificate_path,
                                  const std::string& private_key_path);
result<credentials> read_credentials(const std::string& certificate_path,
                                     const std::string& private_key_path);

struct server_credential_paths {
  std::string ca_certificate;      // state_dir/ca.pem (give this to clients as trust anchor)
  std::string ca_key;              // state_dir/ca.key
  std::string server_certificate;  // state_dir/server.pem
  std::string server_key;          // state_dir/server.key
  bool created_ca = false;         // this call generated a new CA
  bool issued_leaf = false;        // this call issued a new server certificate
};

// On first use creates state_dir (mode 0700) with a private CA and a server certificate for
// host_name (plus 127.0.0.1 and ::1); later calls reuse them. The server certificate is reissued
// from the existing CA when it no longer verifies (expired, or issued for another host name), so a
// client that trusted ca.pem once keeps working. A CA that exists but cannot be read is an error,
// never silently replaced.
result<server_credential_paths> ensure_server_credentials(const std::string& state_dir,
                                                          const std::string& host_name,
                                                          key_type key = key_type::ec_p256);

}  // namespace mailtls::tls
