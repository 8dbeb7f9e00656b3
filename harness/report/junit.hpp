// junit.xml: the run as JUnit XML for CI (the de-facto "Ant JUnit" dialect that Jenkins, GitLab
// and GitHub test reporters read). Mapping (results/README.md):
//   <testsuites>                one per run (name "mailtls", totals, time = run duration)
//     <testsuite>               one per target (name = url), in run::targets order
//       <testcase>              one per case: classname = service, name = scenario id
//         fail  -> <failure message=reason type=severity> expected/got/location + transcript
//         error -> <error message=reason type=limit or "error">  same body
//         skip  -> <skipped message=reason/>
//         fail/error also carry <system-out> with the transcript.
#pragma once

#include <string>

#include "report/model.hpp"

namespace mailtls::report {

// Well-formed XML 1.0 in UTF-8 whatever the transcripts hold (escape.hpp: no CDATA, forbidden
// characters shown as `\xNN`). Times are seconds with three decimals.
std::string to_junit(const run& r);

}  // namespace mailtls::report
