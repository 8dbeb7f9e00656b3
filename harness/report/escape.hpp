// Text hygiene shared by the writers. Transcripts and verdicts come from the network (already
// redacted by the interpreter) and may hold any byte: every writer makes them valid UTF-8 and
// escapes them for its format. Nothing here un-redacts or drops visible evidence: a byte that
// cannot appear is shown as `\xNN`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mailtls::report {

// Length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629 §4), or 0 when the byte
// there does not start one (stray continuation, overlong form, surrogate, beyond U+10FFFF, cut).
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept;

// `s` with every byte that is not part of a well-formed UTF-8 sequence written as `\xNN`
// (RFC 8259 §8.1: JSON text is UTF-8).
std::string valid_utf8(std::string_view s);

// XML 1.0 character data (also valid HTML text): valid_utf8, then & < > " ' as references, and
// the characters XML 1.0 §2.2 forbids (C0 controls other than TAB, LF, CR; U+FFFE, U+FFFF) and DEL
// as `\xNN` / `\uFFFE`. Never produces `]]>`.
std::string xml_text(std::string_view s);

// Text safe to print on a terminal: valid_utf8, then C0 controls (TAB included), DEL and the C1
// controls U+0080..U+009F (which some terminals obey, e.g. U+009B CSI) as `\xNN` / `\u009B`, so a
// hostile reply cannot move the cursor or change colours.
std::string terminal_text(std::string_view s);

// Like xml_text, and TAB, LF, CR as character references so attribute-value normalisation
// (XML 1.0 §3.3.3) keeps them.
std::string xml_attr(std::string_view s);

}  // namespace mailtls::report
