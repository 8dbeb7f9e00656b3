#include "client/driver.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "client/connection.hpp"

namespace mailtls::client {

void run_all(const std::vector<job>& jobs, const run_options& options, const on_result& done) {
  if (jobs.empty()) return;
  // One thread: the run's handlers never run concurrently, so no strands and no locks.
  detail::asio::io_context io(1);
  detail::run_context run{
      io, options, {}, std::vector<char>(std::max<std::size_t>(options.max_read_chunk, 1)), {}};
  const std::size_t limit = std::max<std::size_t>(options.jobs, 1);
  std::size_t next = 0;
  std::size_t active = 0;

  auto launch = [&] {
    while (active < limit && next < jobs.size()) {
      const std::size_t index = next++;
      ++active;
      // The connection keeps itself alive through its pending handlers.
      std::make_shared<detail::connection>(run, jobs[index], index)->start();
    }
  };
  run.finished = [&](std::size_t index, runner::scenario_result result) {
    --active;
    if (done) done(index, std::move(result));
    launch();
  };
  launch();
  io.run();
}

}  // namespace mailtls::client
