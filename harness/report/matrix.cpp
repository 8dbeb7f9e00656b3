#include "report/matrix.hpp"

#include <optional>

namespace mailtls::report {
namespace {

matrix_entry make_entry(const run& r, const runner::service_info& si) {
  matrix_entry e;
  e.svc = si.id;
  std::optional<std::uint16_t> port;
  bool one_port = true;
  for (std::size_t t = 0; t < r.targets.size(); ++t) {
    if (r.targets[t].svc != si.id) continue;
    ++e.targets;
    if (port && *port != r.targets[t].port) one_port = false;
    port = r.targets[t].port;
    const counts c = count(r, t);
    e.c.pass += c.pass;
    e.c.fail += c.fail;
    e.c.error += c.error;
    e.c.skip += c.skip;
  }
  const std::uint16_t shown = (port && one_port && *port != 0) ? *port : si.standard_port;
  e.label = std::string(si.name) + ":" + std::to_string(shown);
  return e;
}

}  // namespace

std::string_view entry_state(const matrix_entry& e) noexcept {
  if (e.c.fail > 0) return "fail";
  if (e.c.error > 0) return "error";
  if (e.c.pass > 0) return "pass";
  if (e.c.skip > 0) return "skip";
  return "none";
}

std::vector<matrix_row> service_matrix(const run& r) {
  std::vector<matrix_row> rows;
  for (const auto p : {runner::protocol::smtp, runner::protocol::pop3, runner::protocol::imap}) {
    matrix_row row;
    row.proto = p;
    for (const auto& si : runner::all_services()) {
      if (si.proto != p) continue;
      (si.implicit_tls ? row.implicit_tls : row.explicit_tls).push_back(make_entry(r, si));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace mailtls::report
