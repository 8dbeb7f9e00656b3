#include "scenario/server_statements.hpp"

namespace mailtls::scenario {
namespace {

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

// `starttls [cert KIND] [min V] [max V]` (server role), each option at most once.
std::optional<syntax_error> parse_serve_tls(std::string_view rest, serve_tls& out) {
  const std::string_view whole = rest;
  while (!rest.empty()) {
    std::size_t w = 0;
    while (w < rest.size() && !is_blank(rest[w]))
      ++w;
    const auto opt = rest.substr(0, w);
    const auto opt_at = static_cast<std::size_t>(opt.data() - whole.data());
    rest = trim(rest.substr(w));
    if (opt != "cert" && opt != "min" && opt != "max") {
      return syntax_error{scenario_errc::bad_starttls_option, opt_at,
                          "expected cert, min or max (role: server), got " + shown(opt)};
    }
    std::size_t v = 0;
    while (v < rest.size() && !is_blank(rest[v]))
      ++v;
    const auto value = rest.substr(0, v);
    const auto value_at = static_cast<std::size_t>(value.data() - whole.data());
    if (value.empty()) {
      return syntax_error{scenario_errc::bad_starttls_option, opt_at,
                          "expected a value after '" + std::string(opt) + "', got nothing"};
    }
    rest = trim(rest.substr(v));
    const auto duplicate =
        syntax_error{scenario_errc::duplicate_starttls_option, opt_at,
                     "expected each starttls option once, got " + shown(opt) + " again"};
    if (opt == "cert") {
      if (out.cert_written_) return duplicate;
      const auto kind = cert_kind_from_name(value);
      if (!kind) {
        return syntax_error{scenario_errc::bad_starttls_option, value_at,
                            "expected good, self-signed, unknown-ca, wrong-name, expired or "
                            "wildcard-mismatch after 'cert', got " +
                                shown(value)};
      }
      out.cert_ = *kind;
      out.cert_written_ = true;
      continue;
    }
    auto& slot = opt == "min" ? out.min_ : out.max_;
    if (slot) return duplicate;
    slot = tls_version_from_name(value);
    if (!slot) {
      return syntax_error{scenario_errc::bad_tls_version, value_at,
                          "expected TLS1.0, TLS1.1, TLS1.2 or TLS1.3, got " + shown(value)};
    }
    if (out.min_ && out.max_ && *out.min_ > *out.max_) {
      return syntax_error{scenario_errc::tls_version_range, value_at,
                          "expected min <= max, got min " + std::string(to_name(*out.min_)) +
                              " and max " + std::string(to_name(*out.max_))};
    }
  }
  return std::nullopt;
}

}  // namespace

// Server role: `S:` / `S+:` are lines the fake server sends, `C:` a pattern the client's next
// line must match, `starttls` the server side of a handshake.
std::optional<syntax_error> parse_server_statement(std::string_view stmt, statement_body& out,
                                                   bool& done) {
  done = true;
  if (stmt.starts_with("S:") || stmt.starts_with("S+:")) {
    const bool crlf = stmt[1] == ':';
    const auto text = trim(stmt.substr(crlf ? 2 : 3));
    server_send s;
    s.crlf_ = crlf;
    if (auto e =
            parse_template(text, static_cast<std::size_t>(text.data() - stmt.data()), s.text_)) {
      return e;
    }
    out = std::move(s);
    return std::nullopt;
  }
  if (stmt.starts_with("C+:")) {
    return syntax_error{scenario_errc::unknown_statement, 0,
                        "expected C: (a whole line from the client) in a server-role file, got "
                        "'C+:'"};
  }
  if (stmt.starts_with("C:")) {
    std::string_view text = trim(stmt.substr(2));
    const auto at = [&](std::string_view part) {
      return static_cast<std::size_t>(part.data() - stmt.data());
    };
    expect_command c;
    // Capture: a trailing `-> name` (an arrow after a blank), as in `S:` matchers.
    if (const auto arrow = text.rfind("->");
        arrow != std::string_view::npos && arrow > 0 && is_blank(text[arrow - 1])) {
      const auto name = trim(text.substr(arrow + 2));
      if (!is_name(name)) {
        return syntax_error{
            scenario_errc::bad_variable_name, at(text.substr(arrow)),
            "expected a capture name [a-z_][a-z0-9_]* after '->', got " + shown(name)};
      }
      c.capture_ = std::string(name);
      text = trim(text.substr(0, arrow));
    }
    if (!text.empty() && text != "*") {
      c.pattern_.kind_ = text_pattern::kind::glob;
      c.pattern_.value_ = std::string(text);
    }
    out = std::move(c);
    return std::nullopt;
  }
  if (stmt == "starttls" || stmt.starts_with("starttls ") || stmt.starts_with("starttls\t")) {
    const auto rest = trim(stmt.substr(8));
    serve_tls s;
    if (auto e = parse_serve_tls(rest, s)) {
      e->offset += static_cast<std::size_t>(rest.data() - stmt.data());
      return e;
    }
    out = s;
    return std::nullopt;
  }
  done = false;
  return std::nullopt;
}

}  // namespace mailtls::scenario
