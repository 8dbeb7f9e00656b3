// An IMAP server response (RFC 9051 §7): a continuation request "+ ...", a tagged status
// "tag OK|NO|BAD [code] text", an untagged status "* OK|NO|BAD|PREAUTH|BYE [code] text", or
// untagged data "* [n] KEYWORD args" (CAPABILITY, LIST, FETCH, n EXISTS, ...), the arguments kept
// as the generic value tree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/imap/value.hpp"

namespace mailtls::codec::imap {

enum class response_kind : std::uint8_t {
  continuation,  // "+" SP (resp-text / base64)       RFC 9051 §7.5
  tagged,        // tag SP resp-cond-state              §7.1
  status,        // "*" SP (resp-cond-state / resp-cond-bye / resp-cond-auth)
  data,          // "*" SP mailbox-data / message-data / capability-data / ...
};

enum class response_status : std::uint8_t { ok, no, bad, preauth, bye };

enum class data_kind : std::uint8_t {
  capability,  // §7.2.2
  enabled,     // §7.2.1
  id,          // RFC 2971
  namespace_,  // §7.2.3
  list,        // §7.3.1
  lsub,        // RFC 3501 §7.2.3
  status,      // §7.3.2
  flags,       // §7.3.5
  search,      // RFC 3501 §7.2.5
  esearch,     // §7.3.4
  exists,      // §7.4.1 (n EXISTS)
  recent,      // RFC 3501 §7.3.2 (n RECENT)
  expunge,     // §7.5.1 (n EXPUNGE)
  fetch,       // §7.5.2 (n FETCH (...))
  other,       // anything else, kept generically
};

const char* to_string(response_status s) noexcept;
const char* to_string(data_kind d) noexcept;

// "[" resp-text-code "]" (RFC 9051 §7.1): the code atom and its arguments. `text` is the argument
// text exactly as sent; `args` the same tokenized, for the codes the parser knows (ALERT,
// BADCHARSET, CAPABILITY, PARSE, PERMANENTFLAGS, READ-ONLY, READ-WRITE, TRYCREATE, UIDNEXT,
// UIDVALIDITY, UNSEEN, CLOSED, APPENDUID, COPYUID, HIGHESTMODSEQ, REFERRAL, the RFC 5530 codes...);
// unknown codes keep `text` only (RFC 9051 §9: atom [SP 1*<any TEXT-CHAR except "]">]).
struct response_code {
  std::string name;
  std::string text;
  std::vector<value> args;
  bool operator==(const response_code&) const = default;

  bool is(std::string_view n) const { return iequals(name, n); }
  // The single number argument of UIDNEXT / UIDVALIDITY / UNSEEN / HIGHESTMODSEQ.
  std::optional<std::uint64_t> number() const;
};

struct response {
  response_kind kind = response_kind::data;
  std::string tag;      // tagged
  std::string keyword;  // status word or data keyword as sent ("OK", "FETCH", "exists")
  response_status status = response_status::ok;
  std::optional<response_code> code;
  std::string text;        // resp-text after the code; continuation: everything after "+ "
  bool bare_plus = false;  // continuation sent as "+" CRLF without SP (lenient)
  data_kind data = data_kind::other;
  std::optional<std::uint64_t> number;  // "* n EXISTS" and friends
  std::vector<value> args;              // the data after the keyword

  bool operator==(const response&) const = default;

  static response make_continuation(std::string_view text);
  static response make_tagged(std::string_view tag, response_status s, std::string_view text,
                              std::optional<response_code> code = {});
  static response make_status(response_status s, std::string_view text,
                              std::optional<response_code> code = {});
  static response make_data(std::string_view keyword, std::vector<value> args);
  static response make_message_data(std::uint64_t n, std::string_view keyword,
                                    std::vector<value> args = {});
};

const char* status_keyword(response_status s) noexcept;  // "OK", "NO", ...
data_kind data_kind_from_keyword(std::string_view k) noexcept;

// The value of a FETCH attribute (e.g. "UID", "FLAGS", "BODY" with `section` "" for BODY[]), or
// nullptr. Names compare case-insensitively; with `section` given, only attributes whose
// serialized section equals it match.
const value* fetch_attribute(const response& r, std::string_view name,
                             std::optional<std::string_view> section = std::nullopt);

void serialize(const response_code& c, std::string& out);
// Appends the wire form, CRLF included.
void serialize(const response& r, std::string& out);

}  // namespace mailtls::codec::imap
