#include "runner/result.hpp"

namespace mailtls::runner {

std::string_view to_name(outcome o) noexcept {
  switch (o) {
    case outcome::pass:
      return "pass";
    case outcome::fail:
      return "fail";
    case outcome::error:
      return "error";
    case outcome::skip:
      return "skip";
  }
  return "error";
}

std::string_view to_name(limit_kind k) noexcept {
  switch (k) {
    case limit_kind::none:
      return "none";
    case limit_kind::step_timeout:
      return "step-timeout";
    case limit_kind::scenario_timeout:
      return "scenario-timeout";
    case limit_kind::reply_size:
      return "reply-size";
    case limit_kind::line_length:
      return "line-length";
    case limit_kind::transcript_size:
      return "transcript-size";
  }
  return "none";
}

std::string_view to_name(transcript_entry::direction d) noexcept {
  switch (d) {
    case transcript_entry::direction::client:
      return "C";
    case transcript_entry::direction::server:
      return "S";
    case transcript_entry::direction::tls:
      return "TLS";
    case transcript_entry::direction::note:
      return "--";
  }
  return "--";
}

}  // namespace mailtls::runner
