// The standard ${variables} of a run (docs/scenario-format.md, "Running") and the redaction of
// secret values in transcripts and verdicts.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace mailtls::runner {

using variable_map = std::map<std::string, std::string>;

// host, port, servername, client_name ("mailtls.test") always; with `user`: user,
// sasl_login_user (base64 of user); with `password`: password, sasl_login_password (base64 of
// password); with both: sasl_plain (base64 of "\0user\0password", RFC 4616 §2 with an empty
// authorization identity). Credentials not given are left undefined, so that a scenario using
// them is skipped ("needs credentials").
variable_map standard_variables(std::string_view host, std::uint16_t port,
                                std::string_view servername,
                                const std::optional<std::string>& user = std::nullopt,
                                const std::optional<std::string>& password = std::nullopt);

// {password, sasl_plain, sasl_login_password}: never shown in a transcript.
const std::set<std::string>& secret_variable_names();
// {user, password, sasl_plain, sasl_login_user, sasl_login_password}: undefined -> skip.
const std::set<std::string>& credential_variable_names();

// `text` with every occurrence of the (non-empty) value of a secret variable replaced by
// `<redacted:NAME>`; longer values are replaced first.
std::string redact(std::string_view text, const variable_map& vars,
                   const std::set<std::string>& secrets);

}  // namespace mailtls::runner
