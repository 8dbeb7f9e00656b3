// The outbound spool: messages for remote recipients. The reference server never connects out;
// it only keeps them, durably, in <state>/spool/outbound/<unique> (written in <state>/spool/tmp/,
// fsynced, renamed, directory fsynced, like a Maildir delivery).
//
// File format: envelope lines "key value\n", an empty line, then the message bytes verbatim:
//
//   mailtls-spool 1
//   helo client.example
//   from alice@example.org        (empty value for the null reverse-path <>)
//   to carol@example.net          (one line per remote recipient, at least one)
//   auth alice@example.org        (empty when not authenticated)
//   peer 192.0.2.7
//   tls 1
//
//   <message, CRLF line endings as received>
#pragma once

#include <string>
#include <string_view>
#include <system_error>

#include "session/backend.hpp"

namespace mailtls::server::store {

// The spool file for `env` and `message`. store_errc::bad_envelope when a field contains CR, LF
// or NUL, or there is no recipient.
std::error_code serialize_spool_file(const envelope& env, std::string_view message,
                                     std::string& out);
// The inverse; store_errc::bad_spool_file for anything else.
std::error_code parse_spool_file(std::string_view text, envelope& env, std::string& message);

// Writes the spool file durably into <spool_dir>/outbound/ (through <spool_dir>/tmp/, both of
// which must exist); `name` gets the file name.
std::error_code spool_message(const std::string& spool_dir, const envelope& env,
                              std::string_view message, std::string_view host, std::string& name);

}  // namespace mailtls::server::store
