// connection: from start() to a connected socket (or the "cannot connect" verdict).
#include "client/connection.hpp"

#include <utility>

namespace mailtls::client::detail {

connection::connection(run_context& run, const job& j, std::size_t index)
    : run_(run), job_(j), index_(index), socket_(run.io), timer_(run.io), hard_timer_(run.io) {}

std::uint64_t connection::now_ms() const {
  const auto elapsed = std::chrono::steady_clock::now() - started_;
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
}

std::string connection::target_label() const {
  const std::string host =
      job_.host.find(':') != std::string::npos ? "[" + job_.host + "]" : job_.host;
  return host + ":" + std::to_string(job_.port);
}

void connection::start() {
  started_ = std::chrono::steady_clock::now();
  hard_timer_.expires_after(std::chrono::milliseconds(run_.options.hard_timeout_ms));
  hard_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->on_hard_timeout();
  });
  resolve();
}

// --- Connecting ---------------------------------------------------------------------------------

void connection::resolve() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(job_.host, ec);
  if (!ec) {
    // An IP literal: no DNS.
    endpoints_.emplace_back(address, job_.port);
    connect_next();
    return;
  }
  resolving_ = true;
  resolver_.emplace(run_.io);
  arm_timer(run_.options.connect_timeout_ms);
  resolver_->async_resolve(job_.host, std::to_string(job_.port), tcp::resolver::numeric_service,
                           [self = shared_from_this()](const boost::system::error_code& rec,
                                                       tcp::resolver::results_type results) {
                             self->on_resolved(rec, std::move(results));
                           });
}

void connection::on_resolved(const boost::system::error_code& ec,
                             tcp::resolver::results_type results) {
  resolving_ = false;
  if (phase_ != phase::connecting) return;  // timed out (already reported) or stopped
  disarm_timer();
  if (ec) {
    connect_failed(ec.message());
    return;
  }
  for (const auto& entry : results)
    endpoints_.push_back(entry.endpoint());
  if (endpoints_.empty()) {
    connect_failed("the name has no address");
    return;
  }
  connect_next();
}

void connection::connect_next() {
  if (endpoint_index_ >= endpoints_.size()) {
    connect_failed(last_connect_error_);
    return;
  }
  const tcp::endpoint endpoint = endpoints_[endpoint_index_++];
  boost::system::error_code ignored;
  if (socket_.is_open()) socket_.close(ignored);
  attempt_timed_out_ = false;
  arm_timer(run_.options.connect_timeout_ms);
  socket_.async_connect(endpoint, [self = shared_from_this()](const boost::system::error_code& ec) {
    self->on_connected(ec);
  });
}

void connection::on_connected(const boost::system::error_code& ec) {
  if (phase_ != phase::connecting) return;
  disarm_timer();
  if (ec) {
    last_connect_error_ = attempt_timed_out_
                              ? "timed out after " + ms_text(run_.options.connect_timeout_ms)
                              : ec.message();
    connect_next();  // RFC 6724-ordered addresses: try the next one
    return;
  }
  boost::system::error_code option_ec;
  // Each send is one write: no Nagle coalescing of a command with the next one.
  socket_.set_option(tcp::no_delay(true), option_ec);
  // Reads happen after a readiness wait; non-blocking so a spurious wake-up cannot block the run.
  socket_.non_blocking(true, option_ec);
  if (option_ec) {
    connect_failed(option_ec.message());
    return;
  }
  begin_session();
}

void connection::connect_failed(const std::string& message) {
  runner::scenario_result r;
  r.v.result = runner::outcome::error;
  r.v.reason = "cannot connect to " + target_label() + ": " + message;
  r.transcript.push_back({now_ms(), runner::transcript_entry::direction::note, r.v.reason});
  finish(std::move(r));
}

}  // namespace mailtls::client::detail
