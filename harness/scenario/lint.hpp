// Lint of a parsed scenario: what parses but is not a valid test case (missing or malformed
// headers, unknown services, no reply expectation, id not matching the file name, services of
// several protocols, reply matchers of another protocol).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/ast.hpp"

namespace mailtls::scenario {

enum class lint_check : std::uint8_t {
  missing_header,    // a required header (id title services refs keywords severity) is absent
  duplicate_header,  // a header key appears twice (the first one counts)
  unknown_header,    // a header key the language does not define
  bad_id,            // id is not [a-z0-9-]+
  bad_ref,           // a ref is not `RFC <n>`, `RFC <n> §<section>` or `CVE-YYYY-NNNN+`
  unknown_service,   // a service not in known_services
  bad_severity,      // severity is not critical / high / medium / low / info
  bad_profile,       // profile is not default / rfc / strict
  no_reply,          // no `S:` statement and no TLS expectation at all
  id_mismatch,       // id differs from the file name without its directory and .scn
  bad_connect,       // connect is not tls / plain
  bad_repeat,        // repeat is not a number from 1 to 100
  mixed_protocols,   // services of more than one protocol (smtp and imap, ...) in one file
  matcher_protocol,  // an `S:` head that does not fit the services' protocol (+OK in an SMTP file)
  bad_role,          // role is not client / server
  role_statement,    // a client-only statement in a server-role file, or the other way round
};

struct diagnostic {
  lint_check check = lint_check::missing_header;
  std::string file;
  std::size_t line = 0;  // 0 when the diagnostic concerns the whole file
  std::string message;
  // `file:line: message`
  std::string to_string() const;
  bool operator==(const diagnostic&) const = default;
};

// All diagnostics, in header order, then matcher_protocol ones in statement order, then file-level
// ones. `file_name` (e.g.
// "scenarios/smtp/x.scn"), when not empty, is compared with the id.
std::vector<diagnostic> lint(const scenario& s, std::string_view file_name = {});

}  // namespace mailtls::scenario
