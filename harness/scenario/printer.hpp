// Renders a scenario back to scenario-file text: headers as written, then every statement (included
// ones spliced in, so the output has no include). For any scenario produced by parse(),
// parse(print(s)) has the same headers and statement bodies (file_ and line_ differ).
#pragma once

#include <string>

#include "scenario/ast.hpp"

namespace mailtls::scenario {

void print(const statement_body& st, std::string& out);  // one line, without the newline
std::string print(const scenario& s);

}  // namespace mailtls::scenario
