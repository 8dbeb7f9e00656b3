// Matching one parsed reply against an `S:` matcher (docs/scenario-format.md, "Running"): reply
// codes and statuses, text patterns (glob or ECMAScript regex), capability assertions and the
// text a `-> name` capture stores. Replies are the codecs' parsed forms, never raw text.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "codec/imap/capability_set.hpp"
#include "codec/imap/response.hpp"
#include "codec/pop3/capabilities.hpp"
#include "codec/pop3/response.hpp"
#include "codec/smtp/ehlo.hpp"
#include "codec/smtp/reply.hpp"
#include "scenario/ast.hpp"

namespace mailtls::runner {

// A capability list as a server advertised it: EHLO keywords with their parameters (RFC 5321
// §4.1.1.1), POP3 CAPA lines (RFC 2449 §5), IMAP CAPABILITY atoms (RFC 9051 §7.2.2), an atom
// `NAME=VALUE` being name NAME with parameter VALUE.
class capability_list {
 public:
  struct entry {
    std::string name;
    std::vector<std::string> params;
  };

  static capability_list from_ehlo(const codec::smtp::ehlo_capabilities& c);
  static capability_list from_capa(const codec::pop3::capabilities& c);
  static capability_list from_imap(const codec::imap::capability_set& c);

  // `NAME`: the name is listed; `NAME=PARAM`: the name is listed with that parameter. ASCII
  // case-insensitive.
  bool offers(std::string_view assertion) const;
  void merge(const capability_list& other);
  // NAME and NAME=PARAM of every entry, upper-cased, into `out` (for `requires:`).
  void add_names(std::set<std::string>& out) const;
  const std::vector<entry>& entries() const { return entries_; }

 private:
  std::vector<entry> entries_;
};

struct evaluation {
  enum class kind : std::uint8_t {
    pass,
    fail,   // the reply does not match
    error,  // the matcher cannot apply (bad regex, a matcher of another protocol)
  };
  kind result = kind::pass;
  std::string reason;
  std::string capture;  // the text a `-> name` stores
  // Set when the reply matched only a tolerated alternative (`~503`): "tolerated reply 503
  // (conformant: 530 or 538)". The verdict keeps it as a note; the outcome stays pass.
  std::string note;
};

// `caps` is the reply's capability list, or nullptr when it carries none.
evaluation evaluate_smtp(const scenario::reply_matcher& m, const codec::smtp::reply& r,
                         const capability_list* caps);
// `status_text` is the status line after "+OK " / "-ERR " as sent (response code included).
evaluation evaluate_pop3(const scenario::reply_matcher& m, const codec::pop3::response& r,
                         std::string_view status_text, const capability_list* caps);
// `first_line` is the response's first line as sent. For a tagged completion, `tag` is the tag
// it must carry (the interpreter resolves `tag`).
evaluation evaluate_imap(const scenario::reply_matcher& m, const codec::imap::response& r,
                         std::string_view first_line, std::string_view tag,
                         const capability_list* caps);

// The text of a pattern as written: 'glob', /regex/ or *.
std::string describe(const scenario::text_pattern& p);
// "250", "530 or 538", "530, 535 or 538".
std::string describe_alternatives(const std::vector<std::string>& v);

}  // namespace mailtls::runner
