// Test helper: a server_session behind CRLF line framing, as a protocol layer would run it, so that
// expect_split_invariant can feed a client's byte stream cut anywhere. parse() frames one line and
// hands it to the session; describe() gives to_string() of the action it returned.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codec/line_reader.hpp"
#include "codec/parse_result.hpp"
#include "codec/sasl/server_session.hpp"

namespace mailtls::codec::sasl::test {

class server_driver {
 public:
  server_driver(std::string mech, std::optional<std::string> ir, server_options opts = {},
                redaction r = redaction::on)
      : session_(mech, ir ? std::optional<std::string_view>(*ir) : std::nullopt, opts),
        reader_(line_limits{.max_length = opts.max_line + 2}),
        redaction_(r) {
    first_ = to_string(session_.start(), redaction_);
  }

  parse_result parse(std::string_view bytes) {
    const parse_result res = reader_.parse(bytes);
    if (res.is_complete())
      last_ = to_string(session_.on_client_line(reader_.line().text), redaction_);
    return res;
  }

  const std::string& first() const { return first_; }
  const std::string& last() const { return last_; }
  server_session& session() { return session_; }

 private:
  server_session session_;
  line_reader reader_;
  redaction redaction_;
  std::string first_;
  std::string last_;
};

}  // namespace mailtls::codec::sasl::test
