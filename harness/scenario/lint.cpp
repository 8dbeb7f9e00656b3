#include "scenario/lint.hpp"

#include <algorithm>
#include <array>

#include "scenario/printer.hpp"
#include "scenario/syntax.hpp"

namespace mailtls::scenario {
namespace {

constexpr std::array<std::string_view, 6> required = {"id",   "title",    "services",
                                                      "refs", "keywords", "severity"};
constexpr std::array<std::string_view, 14> known = {
    "id",      "title",   "services", "refs",    "keywords",  "severity", "requires",
    "timeout", "profile", "connect",  "catches", "rationale", "repeat",   "role"};

// The protocol of a known service name: smtp submission submissions -> smtp, pop3 pop3s -> pop3,
// imap imaps -> imap; empty for an unknown name.
std::string_view protocol_of(std::string_view service) {
  if (service == "smtp" || service == "submission" || service == "submissions") return "smtp";
  if (service == "pop3" || service == "pop3s") return "pop3";
  if (service == "imap" || service == "imaps") return "imap";
  return {};
}

// Whether an `S:` head can be a reply of `proto`. `+` is an IMAP continuation request and also a
// POP3 SASL challenge (RFC 5034 §4).
bool fits(reply_matcher::kind k, std::string_view proto) {
  using kind = reply_matcher::kind;
  switch (k) {
    case kind::smtp:
      return proto == "smtp";
    case kind::pop3_ok:
    case kind::pop3_err:
      return proto == "pop3";
    case kind::imap_tagged:
    case kind::imap_untagged:
      return proto == "imap";
    case kind::imap_continuation:
      return proto == "imap" || proto == "pop3";
  }
  return false;
}

template <class Range>
bool contains(const Range& r, std::string_view v) {
  return std::find(std::begin(r), std::end(r), v) != std::end(r);
}

}  // namespace

std::string diagnostic::to_string() const {
  return file + ':' + std::to_string(line) + ": " + message;
}

std::vector<diagnostic> lint(const scenario& s, std::string_view file_name) {
  std::vector<diagnostic> out;
  const std::string file = s.files_.empty() ? std::string(file_name) : s.files_.front();
  auto add = [&](lint_check c, std::size_t line, std::string msg) {
    out.push_back({c, file, line, std::move(msg)});
  };
  std::vector<std::string_view> seen;
  for (const auto& h : s.headers_) {
    if (!contains(known, h.key)) {
      add(lint_check::unknown_header, h.line,
          "unknown header '" + h.key + ":' (expected one of id title services refs keywords " +
              "severity requires timeout profile connect catches rationale repeat role)");
      continue;
    }
    if (contains(seen, h.key)) {
      add(lint_check::duplicate_header, h.line,
          "duplicate header '" + h.key + ":' (the first one counts)");
      continue;
    }
    seen.push_back(h.key);
    if (h.key == "id" && !is_id(h.value)) {
      add(lint_check::bad_id, h.line, "id " + shown(h.value) + " is not [a-z0-9-]+");
    } else if (h.key == "refs") {
      for (const auto& r : s.refs_) {
        if (!is_ref(r)) {
          add(lint_check::bad_ref, h.line,
              "ref " + shown(r) + " is not 'RFC <n>', 'RFC <n> \xC2\xA7<section>' or " +
                  "'CVE-YYYY-NNNN'");
        }
      }
    } else if (h.key == "services") {
      for (const auto& sv : s.services_) {
        if (!contains(known_services, sv)) {
          add(lint_check::unknown_service, h.line,
              "unknown service " + shown(sv) +
                  " (expected smtp submission submissions pop3 pop3s imap imaps)");
        }
      }
      std::vector<std::string_view> protos;
      for (const auto& sv : s.services_) {
        const auto p = protocol_of(sv);
        if (!p.empty() && !contains(protos, p)) protos.push_back(p);
      }
      if (protos.size() > 1) {
        std::string names;
        for (auto p : protos)
          names += (names.empty() ? "" : " and ") + std::string(p);
        add(lint_check::mixed_protocols, h.line,
            "services of more than one protocol (" + names + "): one file tests one protocol");
      }
    } else if (h.key == "severity" && !s.severity_) {
      add(lint_check::bad_severity, h.line,
          "severity " + shown(h.value) + " is not critical, high, medium, low or info");
    } else if (h.key == "profile" && !s.profile_) {
      add(lint_check::bad_profile, h.line,
          "profile " + shown(h.value) + " is not default, rfc or strict");
    } else if (h.key == "connect" && !s.connect_) {
      add(lint_check::bad_connect, h.line, "connect " + shown(h.value) + " is not tls or plain");
    } else if (h.key == "repeat" && !s.repeat_) {
      add(lint_check::bad_repeat, h.line,
          "repeat " + shown(h.value) + " is not a number from 1 to 100");
    } else if (h.key == "role" && !s.role_) {
      add(lint_check::bad_role, h.line, "role " + shown(h.value) + " is not client or server");
    }
  }
  // The `S:` heads must fit the one protocol of the services (with several, mixed_protocols
  // already says what is wrong).
  std::string_view proto;
  for (const auto& sv : s.services_) {
    const auto p = protocol_of(sv);
    if (p.empty()) continue;
    if (!proto.empty() && p != proto) {
      proto = {};
      break;
    }
    proto = p;
  }
  if (!proto.empty()) {
    for (const auto& st : s.statements_) {
      const auto* r = std::get_if<expect_reply>(&st.body_);
      if (r == nullptr || fits(r->matcher_.kind_, proto)) continue;
      std::string text;
      print(st.body_, text);
      out.push_back({lint_check::matcher_protocol,
                     st.file_ < s.files_.size() ? s.files_[st.file_] : file, st.line_,
                     shown(text) + " is not a reply of " + std::string(proto) +
                         ", the protocol of this scenario's services"});
    }
  }
  // Statements of the other role: `expect abort` in a client file, `expect tls version` (a check
  // of what the server negotiated, which the fake server decides itself) in a server file.
  const bool server = s.role() == scenario_role::server;
  for (const auto& st : s.statements_) {
    const auto r = role_of(st.body_);
    if (r == statement_role::both || (r == statement_role::server) == server) continue;
    std::string text;
    print(st.body_, text);
    out.push_back({lint_check::role_statement,
                   st.file_ < s.files_.size() ? s.files_[st.file_] : file, st.line_,
                   shown(text) + (server ? " is a client-role statement, not for a server-role file"
                                         : " is a server-role statement (role: server), not for a "
                                           "client-role file")});
  }
  for (auto key : required) {
    if (!contains(seen, key)) {
      add(lint_check::missing_header, 0, "missing required header '" + std::string(key) + ":'");
    }
  }
  // A TLS-level expectation is a check too: an ALPACA or version probe has no reply to match
  // (`starttls alpn http/1.1` + `expect tls fail`), nor has a cleartext probe of an implicit-TLS
  // port (`expect close allow-alert`).
  const bool has_check =
      std::any_of(s.statements_.begin(), s.statements_.end(), [server](const statement& st) {
        if (server) {
          // The fake server checks what the client sends (or that it stops).
          return std::holds_alternative<expect_command>(st.body_) ||
                 std::holds_alternative<expect_abort>(st.body_) ||
                 std::holds_alternative<expect_close>(st.body_) ||
                 std::holds_alternative<expect_silence>(st.body_) ||
                 std::holds_alternative<expect_tls_fail>(st.body_);
        }
        const auto* close = std::get_if<expect_close>(&st.body_);
        return std::holds_alternative<expect_reply>(st.body_) ||
               std::holds_alternative<expect_tls_fail>(st.body_) ||
               std::holds_alternative<expect_tls_version>(st.body_) ||
               std::holds_alternative<expect_tls_cipher>(st.body_) ||
               std::holds_alternative<expect_tls_cert>(st.body_) ||
               std::holds_alternative<expect_tls_cert_name>(st.body_) ||
               std::holds_alternative<expect_tls_cert_check>(st.body_) ||
               (close != nullptr && close->allow_alert_);
      });
  if (!has_check) {
    add(lint_check::no_reply, 0,
        server ? "no 'C:' statement and no expectation: the scenario checks nothing"
               : "no 'S:' statement and no TLS expectation: the scenario checks nothing");
  }
  if (!file_name.empty() && !s.id_.empty()) {
    auto base = file_name.substr(file_name.find_last_of('/') + 1);
    if (base.ends_with(".scn")) base.remove_suffix(4);
    if (base != s.id_) {
      add(lint_check::id_mismatch, 0,
          "id " + shown(s.id_) + " does not match the file name " + shown(base));
    }
  }
  return out;
}

}  // namespace mailtls::scenario
