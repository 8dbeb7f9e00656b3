#include "mitm/protocol_rules.hpp"

namespace mailtls::mitm {

std::unique_ptr<protocol_rules> make_rules(runner::protocol p, const rules_limits& lim) {
  switch (p) {
    case runner::protocol::smtp:
      return make_smtp_rules(lim);
    case runner::protocol::pop3:
      return make_pop3_rules(lim);
    case runner::protocol::imap:
      return make_imap_rules(lim);
  }
  return make_smtp_rules(lim);
}

}  // namespace mailtls::mitm
