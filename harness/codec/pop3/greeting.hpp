// The APOP timestamp of a POP3 greeting (RFC 1939 §7): "+OK POP3 server ready
// <1896.697170952@dbc.mtview.ca.us>". The client computes MD5(timestamp + secret) over the
// timestamp including its angle brackets.
#pragma once

#include <optional>
#include <string_view>

namespace mailtls::codec::pop3 {

struct apop_timestamp {
  std::string_view value;  // "<...>", brackets included; points into the text given
  // RFC 1939 §7 requires msg-id syntax (RFC 822): local "@" domain, no spaces or controls.
  // False for a bracketed string that is not one (weak: e.g. no '@').
  bool msg_id = false;
};

// Finds the first "<...>" (no '<', '>' or control inside) in the greeting's text (the part after
// "+OK "). nullopt if there is none: the server does not offer APOP.
std::optional<apop_timestamp> find_apop_timestamp(std::string_view greeting_text) noexcept;

}  // namespace mailtls::codec::pop3
