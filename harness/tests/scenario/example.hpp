// The example scenario of docs/scenario-format.md, shared by the scenario tests.
#pragma once

#include <string_view>

namespace mailtls::scenario::test {

inline constexpr std::string_view example_scn =
    "id:       submission-auth-before-starttls\n"
    "title:    Submission refuses AUTH before STARTTLS\n"
    "services: submission\n"
    "refs:     RFC 3207 \xC2\xA7"
    "4; RFC 4954 \xC2\xA7"
    "4\n"
    "keywords: starttls auth cleartext\n"
    "severity: critical\n"
    "requires: STARTTLS            # optional: capabilities; missing -> skip, not fail\n"
    "\n"
    "S: 220 *\n"
    "C: EHLO mailtls.test\n"
    "S: 250 [+STARTTLS -AUTH=PLAIN]\n"
    "C: AUTH PLAIN ${sasl_plain}\n"
    "S: {530,538} *                  # conformant\n"
    "starttls verify\n"
    "C: EHLO mailtls.test\n"
    "S: 250 [+AUTH -STARTTLS]\n"
    "C: QUIT\n"
    "S: 221 *\n"
    "expect close\n";

}  // namespace mailtls::scenario::test
