// Parser of the server-role statements (`role: server`, docs/scenario-format.md, "Server role"):
// there the prefixes flip, so that a file reads like a transcript seen from the fake server.
#pragma once

#include <optional>
#include <string_view>

#include "scenario/ast.hpp"
#include "scenario/syntax.hpp"

namespace mailtls::scenario {

// `S: text` / `S+: text` (server_send), `C: pattern [-> name]` (expect_command) and
// `starttls [cert KIND] [min V] [max V]` (serve_tls). `stmt` is the whole statement (trimmed,
// comment removed). `done` is false when `stmt` is none of them (a statement shared with the
// client role: send, expect, set, timeout); errors carry the offset in `stmt`.
std::optional<syntax_error> parse_server_statement(std::string_view stmt, statement_body& out,
                                                   bool& done);

}  // namespace mailtls::scenario
