// The service matrix shared by the console summary and the HTML page: rows are the protocols
// (SMTP, POP3, IMAP), columns the TLS mode — explicit (STARTTLS: RFC 3207, RFC 2595) and implicit
// (RFC 8314 §3: 465, 995, 993) — and each cell lists its services with their verdict counts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/model.hpp"

namespace mailtls::report {

struct matrix_entry {
  runner::service svc = runner::service::smtp;
  // "submission:587": the service name and the port of its targets when they all use one port,
  // else the standard port.
  std::string label;
  std::size_t targets = 0;  // targets of this service in the run (0: not checked)
  counts c;                 // over all cases of all those targets
};

// The one outcome a cell shows: fail beats error beats pass beats skip; "none" when no case ran.
std::string_view entry_state(const matrix_entry& e) noexcept;

struct matrix_row {
  runner::protocol proto = runner::protocol::smtp;
  std::vector<matrix_entry> explicit_tls;  // STARTTLS services, in all_services() order
  std::vector<matrix_entry> implicit_tls;
};

// Three rows (smtp, pop3, imap), every service present even when the run did not check it.
std::vector<matrix_row> service_matrix(const run& r);

}  // namespace mailtls::report
