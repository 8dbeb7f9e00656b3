// mailtls-server's command line (CLI11): parses flags and the config file, then either runs the
// server until SIGINT/SIGTERM, runs `add-user`, or lists the bug modes.
//
// Exit codes: 0 ok (also --help, --inject-bug list), 2 usage or configuration error, 1 runtime
// failure (a port that cannot be bound, a state directory that cannot be written).
#pragma once

#include <ostream>

namespace mailtls::server::app {

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// Every bug mode with its description, one per line: "  smtp-starttls-injection  SMTP: ...".
void print_bug_list(std::ostream& out);

}  // namespace mailtls::server::app
