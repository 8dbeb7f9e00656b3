#include "report/model.hpp"

namespace mailtls::report {

void add(counts& c, runner::outcome o) {
  switch (o) {
    case runner::outcome::pass:
      ++c.pass;
      break;
    case runner::outcome::fail:
      ++c.fail;
      break;
    case runner::outcome::error:
      ++c.error;
      break;
    case runner::outcome::skip:
      ++c.skip;
      break;
  }
}

counts count(const run& r) {
  counts c;
  for (const auto& k : r.cases)
    add(c, k.result.v.result);
  return c;
}

counts count(const run& r, std::size_t target_index) {
  counts c;
  for (const auto& k : r.cases) {
    if (k.target_index == target_index) add(c, k.result.v.result);
  }
  return c;
}

int exit_status(const run& r) {
  const counts c = count(r);
  if (c.fail > 0) return 1;
  if (c.error > 0) return 3;
  return 0;
}

}  // namespace mailtls::report
