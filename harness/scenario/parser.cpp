#include "scenario/parser.hpp"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include "scenario/matcher.hpp"
#include "scenario/server_statements.hpp"
#include "scenario/syntax.hpp"

namespace mailtls::scenario {
namespace {

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    std::size_t i = 0;
    while (i < s.size() && !is_blank(s[i]))
      ++i;
    if (i > 0) out.emplace_back(s.substr(0, i));
    s = trim(s.substr(i));
  }
  return out;
}

// The key of a header line `key: value` (lowercase [a-z][a-z0-9_-]*), or empty.
std::string_view header_key(std::string_view stmt) noexcept {
  if (stmt.empty() || stmt.front() < 'a' || stmt.front() > 'z') return {};
  for (std::size_t i = 1; i < stmt.size(); ++i) {
    const char c = stmt[i];
    if (c == ':') return stmt.substr(0, i);
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return {};
  }
  return {};
}

// `alpn LIST`: comma-separated protocol names (RFC 7301 §3.1: 1..255 bytes each), e.g.
// `http/1.1,imap`.
std::optional<syntax_error> parse_alpn(std::string_view list, std::size_t offset,
                                       std::vector<std::string>& out) {
  std::size_t at = 0;
  while (true) {
    const auto comma = list.find(',', at);
    const auto name = list.substr(at, comma == std::string_view::npos ? list.npos : comma - at);
    if (name.empty() || name.size() > 255) {
      return syntax_error{
          scenario_errc::bad_starttls_option, offset + at,
          "expected ALPN protocol names of 1 to 255 bytes separated by ',', got " + shown(list)};
    }
    out.emplace_back(name);
    if (comma == std::string_view::npos) return std::nullopt;
    at = comma + 1;
  }
}

class parser {
 public:
  parser(const parse_options& options, scenario& out) : options_(options), out_(out) {}

  std::optional<scenario_error> parse_file(std::string_view text, std::size_t file,
                                           bool is_include);

 private:
  scenario_error error_at(std::size_t file, std::size_t line, std::size_t column,
                          scenario_errc code, std::string message) const {
    return {make_error_code(code), out_.files_[file], line, column, std::move(message)};
  }
  std::optional<syntax_error> header_value(std::string_view key, std::string_view value);
  std::optional<syntax_error> body(std::string_view stmt, statement_body& out);
  std::optional<syntax_error> parse_starttls(std::string_view rest, starttls& out);
  std::optional<syntax_error> parse_expect(std::string_view rest, statement_body& out);
  std::optional<scenario_error> resolve_include(std::string_view path, std::size_t file,
                                                std::size_t line, std::size_t column);

  const parse_options& options_;
  scenario& out_;
  std::vector<std::string> open_;  // paths of the files being parsed, outermost first
  std::size_t includes_ = 0;
  bool in_body_ = false;
};

std::optional<scenario_error> parser::parse_file(std::string_view text, std::size_t file,
                                                 bool is_include) {
  const auto& lim = options_.limits;
  if (text.size() > lim.max_file_size) {
    return error_at(file, 1, 1, scenario_errc::file_too_large,
                    "expected at most " + std::to_string(lim.max_file_size) + " bytes, got " +
                        std::to_string(text.size()));
  }
  open_.push_back(out_.files_[file]);
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > lim.max_line_length) {
      return error_at(file, line_no, lim.max_line_length + 1, scenario_errc::line_too_long,
                      "expected at most " + std::to_string(lim.max_line_length) +
                          " bytes in a line, got " + std::to_string(line.size()));
    }
    static constexpr char hex[] = "0123456789ABCDEF";
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto u = static_cast<unsigned char>(line[i]);
      if ((u < 0x20 && u != '\t') || u == 0x7F) {
        return error_at(
            file, line_no, i + 1, scenario_errc::invalid_character,
            "expected printable text, got byte 0x" + std::string{hex[u >> 4], hex[u & 15]});
      }
    }
    std::string_view content = line.substr(0, comment_start(line));
    const std::size_t lead = std::min(content.find_first_not_of(" \t"), content.size());
    const std::string_view stmt = trim(content);
    if (stmt.empty()) continue;

    if (const auto key = header_key(stmt); !key.empty()) {
      if (is_include) {
        return error_at(
            file, line_no, lead + 1, scenario_errc::header_in_include,
            "expected a statement in an included file, got the header '" + std::string(key) + ":'");
      }
      if (in_body_) {
        return error_at(file, line_no, lead + 1, scenario_errc::header_after_body,
                        "expected a statement after the first statement, got the header '" +
                            std::string(key) + ":'");
      }
      const auto value = trim(stmt.substr(key.size() + 1));
      if (value.empty()) {
        return error_at(file, line_no, lead + stmt.size() + 1, scenario_errc::empty_header_value,
                        "expected a value after '" + std::string(key) + ":', got nothing");
      }
      const bool first = std::none_of(out_.headers_.begin(), out_.headers_.end(),
                                      [&](const header& h) { return h.key == key; });
      out_.headers_.push_back({std::string(key), std::string(value), line_no});
      if (first) {
        if (auto e = header_value(key, value)) {
          const auto col = lead + static_cast<std::size_t>(value.data() - stmt.data());
          return error_at(file, line_no, col + e->offset + 1, e->code, std::move(e->message));
        }
      }
      continue;
    }

    in_body_ = true;
    if (stmt.starts_with("include") && (stmt.size() == 7 || is_blank(stmt[7]))) {
      if (auto e = resolve_include(trim(stmt.substr(7)), file, line_no, lead + 1)) return e;
      continue;
    }
    statement st;
    if (auto e = body(stmt, st.body_)) {
      return error_at(file, line_no, lead + e->offset + 1, e->code, std::move(e->message));
    }
    st.file_ = file;
    st.line_ = line_no;
    out_.statements_.push_back(std::move(st));
    if (out_.statements_.size() > lim.max_statements) {
      return error_at(
          file, line_no, lead + 1, scenario_errc::too_many_statements,
          "expected at most " + std::to_string(lim.max_statements) + " statements, got more");
    }
  }
  open_.pop_back();
  return std::nullopt;
}

std::optional<scenario_error> parser::resolve_include(std::string_view path, std::size_t file,
                                                      std::size_t line, std::size_t column) {
  if (path.empty()) {
    return error_at(file, line, column, scenario_errc::include_not_found,
                    "expected a path after 'include', got nothing");
  }
  if (!options_.loader) {
    return error_at(
        file, line, column, scenario_errc::include_without_loader,
        "expected no include (no loader given), got 'include " + std::string(path) + "'");
  }
  if (std::find(open_.begin(), open_.end(), path) != open_.end()) {
    std::string chain;
    for (const auto& p : open_)
      chain += p + " -> ";
    chain += path;
    return error_at(file, line, column, scenario_errc::include_cycle,
                    "expected no include cycle, got " + chain);
  }
  if (open_.size() > options_.limits.max_include_depth) {
    return error_at(file, line, column, scenario_errc::include_depth_exceeded,
                    "expected includes nested at most " +
                        std::to_string(options_.limits.max_include_depth) + " deep, got 'include " +
                        std::string(path) + "' deeper");
  }
  if (++includes_ > options_.limits.max_includes) {
    return error_at(
        file, line, column, scenario_errc::too_many_includes,
        "expected at most " + std::to_string(options_.limits.max_includes) + " includes, got more");
  }
  auto text = options_.loader(path);
  if (!text) {
    return error_at(file, line, column, scenario_errc::include_not_found,
                    "expected an included file, got nothing for '" + std::string(path) + "'");
  }
  out_.files_.emplace_back(path);
  return parse_file(*text, out_.files_.size() - 1, true);
}

std::optional<syntax_error> parser::header_value(std::string_view key, std::string_view value) {
  if (key == "id") {
    out_.id_ = std::string(value);
  } else if (key == "title") {
    out_.title_ = std::string(value);
  } else if (key == "services") {
    out_.services_ = split_words(value);
  } else if (key == "keywords") {
    out_.keywords_ = split_words(value);
  } else if (key == "requires") {
    out_.requires_ = split_words(value);
  } else if (key == "refs") {
    while (!value.empty()) {
      const auto semi = value.find(';');
      const auto ref = trim(value.substr(0, semi));
      if (!ref.empty()) out_.refs_.emplace_back(ref);
      value.remove_prefix(semi == std::string_view::npos ? value.size() : semi + 1);
    }
  } else if (key == "severity") {
    out_.severity_ = severity_from_name(value);
  } else if (key == "profile") {
    out_.profile_ = profile_from_name(value);
  } else if (key == "connect") {
    out_.connect_ = connect_mode_from_name(value);
  } else if (key == "catches") {
    out_.catches_ = split_words(value);
  } else if (key == "role") {
    out_.role_ = role_from_name(value);
  } else if (key == "rationale") {
    out_.rationale_ = std::string(value);
  } else if (key == "repeat") {
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc{} && end == value.data() + value.size() && n >= 1 && n <= 100) {
      out_.repeat_ = n;
    }
  } else if (key == "timeout") {
    std::uint32_t ms = 0;
    if (auto e = parse_duration(value, 0, options_.limits.max_duration_ms, ms)) return e;
    out_.timeout_ms_ = ms;
  }
  return std::nullopt;
}

std::optional<syntax_error> parser::body(std::string_view stmt, statement_body& out) {
  if (out_.role() == scenario_role::server) {
    bool done = false;
    if (auto e = parse_server_statement(stmt, out, done)) return e;
    if (done) return std::nullopt;
  }
  if (stmt.starts_with("C:") || stmt.starts_with("C+:")) {
    const bool crlf = stmt[1] == ':';
    const std::size_t skip = crlf ? 2 : 3;
    const auto text = trim(stmt.substr(skip));
    send_line s;
    s.crlf_ = crlf;
    if (auto e =
            parse_template(text, static_cast<std::size_t>(text.data() - stmt.data()), s.text_)) {
      return e;
    }
    out = std::move(s);
    return std::nullopt;
  }
  if (stmt.starts_with("S:")) {
    const auto text = trim(stmt.substr(2));
    expect_reply r;
    if (auto e =
            parse_matcher(text, static_cast<std::size_t>(text.data() - stmt.data()), r.matcher_)) {
      return e;
    }
    out = std::move(r);
    return std::nullopt;
  }
  std::size_t w = 0;
  while (w < stmt.size() && !is_blank(stmt[w]))
    ++w;
  const auto word = stmt.substr(0, w);
  const auto rest = trim(stmt.substr(w));
  const auto rest_at = [&](std::string_view part) {
    return static_cast<std::size_t>(part.data() - stmt.data());
  };
  if (word == "send") {
    if (rest.empty() || rest.front() != '"') {
      return syntax_error{scenario_errc::expected_string, rest_at(rest),
                          "expected a double-quoted string after 'send', got " + shown(rest)};
    }
    send_raw s;
    std::size_t pos = 0;
    if (auto e = parse_quoted(rest, pos, s.bytes_)) {
      e->offset += rest_at(rest);
      return e;
    }
    if (pos != rest.size()) {
      return syntax_error{
          scenario_errc::trailing_text, rest_at(rest) + pos,
          "expected the end of the line after the string, got " + shown(trim(rest.substr(pos)))};
    }
    out = std::move(s);
    return std::nullopt;
  }
  if (word == "starttls") {
    starttls s;
    if (auto e = parse_starttls(rest, s)) {
      e->offset += rest_at(rest);
      return e;
    }
    out = std::move(s);
    return std::nullopt;
  }
  if (word == "expect") {
    if (auto e = parse_expect(rest, out)) {
      e->offset += rest_at(rest);
      return e;
    }
    return std::nullopt;
  }
  if (word == "timeout") {
    // `timeout D`: the wait bound from here on.
    if (rest.empty()) {
      return syntax_error{scenario_errc::bad_duration, stmt.size(),
                          "expected a duration after 'timeout', got nothing"};
    }
    std::size_t d = 0;
    while (d < rest.size() && !is_blank(rest[d]))
      ++d;
    if (d < rest.size()) {
      const auto extra = trim(rest.substr(d));
      return syntax_error{scenario_errc::trailing_text, rest_at(extra),
                          "expected the end of the line, got " + shown(extra)};
    }
    set_timeout t;
    if (auto e = parse_duration(rest, rest_at(rest), options_.limits.max_duration_ms, t.ms_)) {
      return e;
    }
    out = t;
    return std::nullopt;
  }
  if (word == "set") {
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos) {
      return syntax_error{scenario_errc::bad_set, rest_at(rest),
                          "expected 'name = value' after 'set', got " + shown(rest)};
    }
    const auto name = trim(rest.substr(0, eq));
    if (!is_name(name)) {
      return syntax_error{scenario_errc::bad_variable_name, rest_at(rest),
                          "expected a variable name [a-z_][a-z0-9_]*, got " + shown(name)};
    }
    set_variable s;
    s.name_ = std::string(name);
    const auto value = trim(rest.substr(eq + 1));
    if (!value.empty() && value.front() == '"') {
      std::size_t pos = 0;
      if (auto e = parse_quoted(value, pos, s.value_)) {
        e->offset += rest_at(value);
        return e;
      }
      if (pos != value.size()) {
        return syntax_error{
            scenario_errc::trailing_text, rest_at(value) + pos,
            "expected the end of the line after the string, got " + shown(trim(value.substr(pos)))};
      }
    } else {
      s.value_ = std::string(value);
    }
    out = std::move(s);
    return std::nullopt;
  }
  return syntax_error{
      scenario_errc::unknown_statement, 0,
      (out_.role() == scenario_role::server
           ? "expected S:, S+:, C:, send, starttls, expect, include, set or timeout "
             "(role: server), got "
           : "expected C:, C+:, S:, send, starttls, expect, include, set or timeout, "
             "got ") +
          shown(word)};
}

std::optional<syntax_error> parser::parse_starttls(std::string_view rest, starttls& out) {
  const std::string_view whole = rest;
  bool mode_seen = false;
  while (!rest.empty()) {
    std::size_t w = 0;
    while (w < rest.size() && !is_blank(rest[w]))
      ++w;
    const auto opt = rest.substr(0, w);
    const auto opt_at = static_cast<std::size_t>(opt.data() - whole.data());
    rest = trim(rest.substr(w));
    auto duplicate = [&] {
      return syntax_error{scenario_errc::duplicate_starttls_option, opt_at,
                          "expected each starttls option once, got " + shown(opt) + " again"};
    };
    if (opt == "verify" || opt == "insecure") {
      if (mode_seen) return duplicate();
      mode_seen = true;
      out.verify_ = opt == "verify";
      continue;
    }
    if (opt == "optional") {
      if (out.optional_) return duplicate();
      out.optional_ = true;
      continue;
    }
    if (opt != "sni" && opt != "min" && opt != "max" && opt != "ciphers" && opt != "alpn") {
      return syntax_error{
          scenario_errc::bad_starttls_option, opt_at,
          "expected verify, insecure, sni, min, max, ciphers, alpn or optional, got " + shown(opt)};
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
    if (opt == "alpn") {
      if (!out.alpn_.empty()) return duplicate();
      if (auto e = parse_alpn(value, value_at, out.alpn_)) return e;
      continue;
    }
    if (opt == "sni" || opt == "ciphers") {
      auto& slot = opt == "sni" ? out.sni_ : out.ciphers_;
      if (slot) return duplicate();
      slot = std::string(value);
      continue;
    }
    auto& slot = opt == "min" ? out.min_ : out.max_;
    if (slot) return duplicate();
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

std::optional<syntax_error> parser::parse_expect(std::string_view rest, statement_body& out) {
  // Words of `rest` with their offsets.
  std::vector<std::pair<std::string_view, std::size_t>> w;
  for (std::size_t i = 0; i < rest.size();) {
    while (i < rest.size() && is_blank(rest[i]))
      ++i;
    const std::size_t start = i;
    while (i < rest.size() && !is_blank(rest[i]))
      ++i;
    if (i > start) w.emplace_back(rest.substr(start, i - start), start);
  }
  auto word = [&](std::size_t n) { return n < w.size() ? w[n].first : std::string_view{}; };
  auto trailing = [&](std::size_t n) -> std::optional<syntax_error> {
    if (w.size() <= n) return std::nullopt;
    return syntax_error{scenario_errc::trailing_text, w[n].second,
                        "expected the end of the line, got " + shown(rest.substr(w[n].second))};
  };
  if (word(0) == "close") {
    expect_close c;
    std::size_t n = 1;
    if (word(n) == "allow-alert") {
      c.allow_alert_ = true;
      ++n;
    }
    if (word(n) == "skip") {
      std::uint32_t lines = 0;
      const auto v = word(n + 1);
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), lines);
      if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || lines == 0 ||
          lines > 10'000) {
        return syntax_error{
            scenario_errc::bad_expect, n + 1 < w.size() ? w[n + 1].second : rest.size(),
            "expected a number of lines from 1 to 10000 after 'skip', got " + shown(v)};
      }
      c.skip_lines_ = lines;
      n += 2;
    }
    if (auto e = trailing(n)) return e;
    out = c;
    return std::nullopt;
  }
  if (word(0) == "abort") {
    if (auto e = trailing(1)) return e;
    out = expect_abort{};
    return std::nullopt;
  }
  if (word(0) == "silence") {
    if (w.size() < 2) {
      return syntax_error{scenario_errc::bad_duration, rest.size(),
                          "expected a duration after 'expect silence', got nothing"};
    }
    if (auto e = trailing(2)) return e;
    expect_silence s;
    if (auto e = parse_duration(w[1].first, w[1].second, options_.limits.max_duration_ms, s.ms_)) {
      return e;
    }
    out = s;
    return std::nullopt;
  }
  if (word(0) == "tls" && word(1) == "fail") {
    if (auto e = trailing(2)) return e;
    out = expect_tls_fail{};
    return std::nullopt;
  }
  if (word(0) == "tls" && word(1) == "cipher") {
    if (w.size() < 3) {
      return syntax_error{scenario_errc::bad_expect, rest.size(),
                          "expected a cipher name or glob after 'expect tls cipher', got nothing"};
    }
    if (auto e = trailing(3)) return e;
    out = expect_tls_cipher{std::string(w[2].first)};
    return std::nullopt;
  }
  if (word(0) == "tls" && word(1) == "cert") {
    if (word(2) == "name") {
      if (w.size() < 4) {
        return syntax_error{scenario_errc::bad_expect, rest.size(),
                            "expected a host name after 'expect tls cert name', got nothing"};
      }
      if (auto e = trailing(4)) return e;
      expect_tls_cert_name n;
      if (auto e = parse_template(w[3].first, w[3].second, n.name_)) return e;
      out = std::move(n);
      return std::nullopt;
    }
    if (word(2) == "not-expired" || word(2) == "strong-key") {
      if (auto e = trailing(3)) return e;
      out =
          expect_tls_cert_check{word(2) == "not-expired" ? expect_tls_cert_check::kind::not_expired
                                                         : expect_tls_cert_check::kind::strong_key};
      return std::nullopt;
    }
    if (word(2) != "verified" && word(2) != "unverified") {
      return syntax_error{scenario_errc::bad_expect, w.size() < 3 ? rest.size() : w[2].second,
                          "expected verified, unverified, name <host>, not-expired or strong-key "
                          "after 'expect tls cert', got " +
                              shown(word(2))};
    }
    if (auto e = trailing(3)) return e;
    out = expect_tls_cert{word(2) == "verified"};
    return std::nullopt;
  }
  if (word(0) == "tls" && word(1) == "version") {
    if (w.size() < 3) {
      return syntax_error{scenario_errc::bad_tls_version, rest.size(),
                          "expected a TLS version after 'expect tls version', got nothing"};
    }
    if (auto e = trailing(3)) return e;
    const auto ver = tls_version_from_name(w[2].first);
    if (!ver) {
      return syntax_error{scenario_errc::bad_tls_version, w[2].second,
                          "expected TLS1.0, TLS1.1, TLS1.2 or TLS1.3, got " + shown(w[2].first)};
    }
    out = expect_tls_version{*ver};
    return std::nullopt;
  }
  return syntax_error{
      scenario_errc::bad_expect, 0,
      "expected close, abort, silence <duration>, tls version <version>, tls cipher <glob>, "
      "tls cert <property> or tls fail after 'expect', got " +
          shown(rest)};
}

}  // namespace

parse_outcome parse(std::string_view text, std::string_view file_name,
                    const parse_options& options) {
  parse_outcome result;
  result.value.files_.emplace_back(file_name);
  parser p(options, result.value);
  result.error = p.parse_file(text, 0, false);
  return result;
}

}  // namespace mailtls::scenario
