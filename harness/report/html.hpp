// report.html: one self-contained page for people (inline CSS; no scripts, fonts, images or other
// external resources). Header (run, targets, counts), the service matrix (protocol x explicit /
// implicit TLS), one section per failing or erroring case with its evidence and full transcript,
// then skipped and passed cases collapsed in <details>.
#pragma once

#include <string>

#include "report/model.hpp"

namespace mailtls::report {

// The page is also well-formed XML (void elements self-closed, no raw `<` or `&` in text), so
// tests and tools can parse it as XML. Every text is HTML-escaped (escape.hpp xml_text);
// transcripts are shown as recorded (already redacted by the interpreter).
std::string to_html(const run& r);

}  // namespace mailtls::report
