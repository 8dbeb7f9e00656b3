// The terminal printer of `mailtls check`: a progress bar, one line per finished case and the
// closing summary (the service matrix as a table, totals, result). Output is deterministic: no
// clocks, only the durations recorded in the run. The caller prints the report paths.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "report/model.hpp"

namespace mailtls::report {

struct console_options {
  bool color = false;     // ANSI SGR colours (verdict words, matrix cells)
  bool progress = false;  // redraw a progress line with '\r' (only on a terminal)
};

// For output on `fd`: colour when fd is a terminal, NO_COLOR is unset or empty
// (https://no-color.org) and TERM is not "dumb"; progress when fd is a terminal and TERM is not
// "dumb".
console_options detect_console(int fd);

// `[=========>              ] 42/120  smtp-ehlo, imap-login` padded with spaces (or cut) to
// exactly `width` columns, so that "\r" + line redraws over the previous one. `running` names the
// cases in flight (shown as many as fit). No newline, no escape sequences.
std::string progress_line(std::size_t done, std::size_t total,
                          std::span<const std::string> running = {}, std::size_t width = 79);

// One finished case, newline-terminated:
//   FAIL  submission   smtp-auth-plain-before-tls  12 ms
//         expected a reply 530 or 538, got 235 (scenarios/smtp/auth.scn:14)
// The second line only for fail and error; a skip shows its reason in parentheses. The target's
// url follows the service when the run has several targets of that service.
std::string case_line(const run& r, const case_result& c, const console_options& opt);

// The closing summary, newline-terminated lines:
//   protocol  explicit TLS (STARTTLS)                      implicit TLS
//   SMTP      smtp:25 9/9  submission:587 11/12 (1 fail)   submissions:465 8/8
//   POP3      pop3:110 7/7                                 pop3s:995 -
//   IMAP      imap:143 6/8 (2 skip)                        imaps:993 6/6
// (cell: service:port passed/total, then the fail/error/skip counts that are not zero; "-" when
// the run did not check the service), then every fail and error again as case_line, the totals and
// the result with its exit status.
std::string summary(const run& r, const console_options& opt);

}  // namespace mailtls::report
