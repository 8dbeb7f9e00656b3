// An IMAP client command (RFC 9051 §6): tag SP command [SP arguments] CRLF, arguments kept as the
// generic value tree; and the client's continuation lines (AUTHENTICATE responses, IDLE's DONE).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/imap/value.hpp"

namespace mailtls::codec::imap {

enum class command_kind : std::uint8_t {
  capability,  // RFC 9051 §6.1.1
  noop,
  logout,
  starttls,  // §6.2.1
  authenticate,
  login,
  enable,  // §6.3.1
  select,
  examine,
  create,
  delete_,
  rename,
  subscribe,
  unsubscribe,
  list,
  lsub,  // RFC 3501 §6.3.9
  namespace_,
  status,
  append,
  idle,   // RFC 2177, RFC 9051 §6.3.13
  check,  // RFC 3501 §6.4.1
  close,
  unselect,
  expunge,
  search,
  fetch,
  store,
  copy,
  move,
  id,       // RFC 2971
  unknown,  // any other atom: parsed generically; a server answers BAD
};

const char* to_string(command_kind k) noexcept;
// Case-insensitive lookup of a command name; unknown for anything else (UID is not a kind).
command_kind command_kind_from_name(std::string_view name) noexcept;

struct command {
  std::string tag;
  // The command word(s) as sent, e.g. "select" or "UID FETCH" (one SP between UID and its
  // sub-command).
  std::string name;
  command_kind kind = command_kind::unknown;
  bool uid = false;  // UID COPY/MOVE/FETCH/SEARCH/STORE/EXPUNGE (RFC 9051 §6.4.9)
  std::vector<value> args;

  bool operator==(const command&) const = default;

  static command make(std::string_view tag, std::string_view name, std::vector<value> args = {});
};

// Appends "tag SP name [SP args] CRLF"; literals keep their synchronizing or "+" form.
void serialize(const command& c, std::string& out);

// A line the client sends in answer to a continuation request.
enum class continuation_kind : std::uint8_t {
  sasl_response,  // base64 (RFC 9051 §6.2.2), possibly empty
  sasl_cancel,    // "*": the client cancels the exchange
  done,           // "DONE" ending IDLE (RFC 2177 §3)
};

struct client_continuation {
  continuation_kind kind = continuation_kind::sasl_response;
  std::string data;  // the base64 text, or the DONE word as sent
  bool operator==(const client_continuation&) const = default;
};

void serialize(const client_continuation& c, std::string& out);

// Checks base64 (RFC 4648 §4) as used by SASL in IMAP: groups of 4 from the alphabet, "=" padding
// only at the end. Returns the index of the first bad byte, or npos when valid. A bad length is
// reported at text.size().
std::size_t find_invalid_base64(std::string_view text) noexcept;

}  // namespace mailtls::codec::imap
