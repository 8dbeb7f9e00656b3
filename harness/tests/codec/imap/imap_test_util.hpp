// Shared helpers for the IMAP codec tests: transcripts that show the parsed structure (its
// serialized form, plus kind details), and a round-trip check on every complete message.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "codec/imap/command_parser.hpp"
#include "codec/imap/response_parser.hpp"
#include "support/split_feed.hpp"

namespace mailtls::codec::imap::test {

inline std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\0') {
      out += "\\0";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// parse(serialize(x)) must give x back.
inline void expect_command_round_trip(const command& c, imap_limits lim) {
  std::string wire;
  serialize(c, wire);
  command_parser p(lim);
  const auto r = p.parse(wire);
  ASSERT_TRUE(r.is_complete()) << printable(wire) << " " << r.error.message();
  EXPECT_EQ(r.consumed, wire.size());
  EXPECT_EQ(p.get(), c) << printable(wire);
}

inline void expect_response_round_trip(const response& x, imap_limits lim) {
  std::string wire;
  serialize(x, wire);
  response_parser p(lim);
  const auto r = p.parse(wire);
  ASSERT_TRUE(r.is_complete()) << printable(wire) << " " << r.error.message();
  EXPECT_EQ(r.consumed, wire.size());
  EXPECT_EQ(p.get(), x) << printable(wire);
}

inline std::string describe_command(const command_parser& p) {
  if (p.mode() != client_mode::command) {
    const auto& c = p.continuation();
    std::string s = c.kind == continuation_kind::done          ? "done:"
                    : c.kind == continuation_kind::sasl_cancel ? "cancel:"
                                                               : "sasl:";
    return s + c.data;
  }
  expect_command_round_trip(p.get(), p.limits());
  std::string wire;
  serialize(p.get(), wire);
  wire.resize(wire.size() - 2);
  std::string s =
      std::string(to_string(p.get().kind)) + (p.get().uid ? "/uid" : "") + " " + printable(wire);
  if (p.flags().bare_lf) s += " [bare_lf]";
  return s;
}

inline std::string describe_response(const response_parser& p) {
  const response& r = p.get();
  expect_response_round_trip(r, p.limits());
  std::string wire;
  serialize(r, wire);
  wire.resize(wire.size() - 2);
  std::string s;
  switch (r.kind) {
    case response_kind::continuation:
      s = "cont";
      break;
    case response_kind::tagged:
      s = std::string("tagged:") + to_string(r.status);
      break;
    case response_kind::status:
      s = std::string("status:") + to_string(r.status);
      break;
    case response_kind::data:
      s = std::string("data:") + to_string(r.data);
      break;
  }
  if (r.code) s += " code=" + r.code->name;
  s += " " + printable(wire);
  if (p.flags().bare_lf) s += " [bare_lf]";
  return s;
}

inline auto command_maker(imap_limits lim = imap_limits::commands(),
                          client_mode mode = client_mode::command) {
  return [lim, mode] {
    command_parser p(lim);
    p.set_mode(mode);
    return p;
  };
}

inline auto response_maker(imap_limits lim = imap_limits::responses()) {
  return [lim] { return response_parser(lim); };
}

using strings = std::vector<std::string>;

inline strings commands(std::string_view in, imap_limits lim = imap_limits::commands(),
                        bool continue_after_error = true) {
  return mailtls::test::expect_split_invariant(in, command_maker(lim), describe_command,
                                               {.continue_after_error = continue_after_error});
}

inline strings responses(std::string_view in, imap_limits lim = imap_limits::responses(),
                         bool continue_after_error = true) {
  return mailtls::test::expect_split_invariant(in, response_maker(lim), describe_response,
                                               {.continue_after_error = continue_after_error});
}

}  // namespace mailtls::codec::imap::test
