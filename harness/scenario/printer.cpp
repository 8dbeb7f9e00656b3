#include "scenario/printer.hpp"

#include <type_traits>

#include "scenario/syntax.hpp"

namespace mailtls::scenario {
namespace {

void print_set(const std::vector<std::string>& v, std::string& out) {
  if (v.size() == 1) {
    out += v.front();
    return;
  }
  out.push_back('{');
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += v[i];
  }
  out.push_back('}');
}

void print_matcher(const reply_matcher& m, std::string& out) {
  using kind = reply_matcher::kind;
  switch (m.kind_) {
    case kind::smtp:
      print_set(m.codes_, out);
      break;
    case kind::pop3_ok:
      out += "+OK";
      break;
    case kind::pop3_err:
      out += "-ERR";
      break;
    case kind::imap_tagged:
      out += m.tag_;
      out.push_back(' ');
      print_set(m.statuses_, out);
      break;
    case kind::imap_untagged:
      out += "* ";
      out += m.keyword_;
      break;
    case kind::imap_continuation:
      out += "+";
      break;
  }
  out.push_back(' ');
  switch (m.text_.kind_) {
    case text_pattern::kind::any:
      out.push_back('*');
      break;
    case text_pattern::kind::glob:
      out += m.text_.value_;
      break;
    case text_pattern::kind::regex:
      out += '/' + m.text_.value_ + '/';
      break;
  }
  if (!m.capabilities_.empty()) {
    out += " [";
    for (std::size_t i = 0; i < m.capabilities_.size(); ++i) {
      if (i > 0) out.push_back(' ');
      out.push_back(m.capabilities_[i].present_ ? '+' : '-');
      out += m.capabilities_[i].name_;
    }
    out.push_back(']');
  }
  if (!m.capture_.empty()) {
    out += " -> ";
    out += m.capture_;
  }
}

// A template as written: literals and `${name}` markers.
std::string template_text(const text_template& t) {
  std::string text;
  for (const auto& p : t) {
    if (p.kind_ == text_part::kind::variable) {
      text += "${" + p.value_ + "}";
    } else {
      text += p.value_;
    }
  }
  return text;
}

// What follows `C:` or `S:`: a `#` right after the colon is text, after a blank it would start a
// comment, so it is written without the blank.
std::string after_colon(const std::string& text) {
  return text.starts_with('#') ? text : " " + text;
}

}  // namespace

void print(const statement_body& body, std::string& out) {
  std::visit(
      [&](const auto& st) {
        using T = std::decay_t<decltype(st)>;
        if constexpr (std::is_same_v<T, send_line>) {
          out += st.crlf_ ? "C:" : "C+:";
          out += after_colon(template_text(st.text_));
        } else if constexpr (std::is_same_v<T, send_raw>) {
          out += "send " + quote(st.bytes_);
        } else if constexpr (std::is_same_v<T, expect_reply>) {
          std::string m;
          print_matcher(st.matcher_, m);
          out += "S:";
          out += after_colon(m);
        } else if constexpr (std::is_same_v<T, starttls>) {
          out += "starttls";
          if (st.verify_) out += *st.verify_ ? " verify" : " insecure";
          if (st.sni_) out += " sni " + *st.sni_;
          if (st.min_) out += " min " + std::string(to_name(*st.min_));
          if (st.max_) out += " max " + std::string(to_name(*st.max_));
          if (st.ciphers_) out += " ciphers " + *st.ciphers_;
          if (!st.alpn_.empty()) {
            out += " alpn ";
            for (std::size_t i = 0; i < st.alpn_.size(); ++i) {
              if (i > 0) out.push_back(',');
              out += st.alpn_[i];
            }
          }
          if (st.optional_) out += " optional";
        } else if constexpr (std::is_same_v<T, expect_close>) {
          out += st.allow_alert_ ? "expect close allow-alert" : "expect close";
          if (st.skip_lines_ > 0) out += " skip " + std::to_string(st.skip_lines_);
        } else if constexpr (std::is_same_v<T, expect_silence>) {
          out += "expect silence " + std::to_string(st.ms_) + "ms";
        } else if constexpr (std::is_same_v<T, expect_tls_version>) {
          out += "expect tls version " + std::string(to_name(st.version_));
        } else if constexpr (std::is_same_v<T, expect_tls_fail>) {
          out += "expect tls fail";
        } else if constexpr (std::is_same_v<T, expect_tls_cipher>) {
          out += "expect tls cipher " + st.pattern_;
        } else if constexpr (std::is_same_v<T, expect_tls_cert>) {
          out += st.verified_ ? "expect tls cert verified" : "expect tls cert unverified";
        } else if constexpr (std::is_same_v<T, expect_tls_cert_name>) {
          out += "expect tls cert name " + template_text(st.name_);
        } else if constexpr (std::is_same_v<T, expect_tls_cert_check>) {
          out += st.kind_ == expect_tls_cert_check::kind::not_expired
                     ? "expect tls cert not-expired"
                     : "expect tls cert strong-key";
        } else if constexpr (std::is_same_v<T, set_timeout>) {
          out += "timeout " + std::to_string(st.ms_) + "ms";
        } else if constexpr (std::is_same_v<T, server_send>) {
          out += st.crlf_ ? "S:" : "S+:";
          out += after_colon(template_text(st.text_));
        } else if constexpr (std::is_same_v<T, expect_command>) {
          std::string p = st.pattern_.kind_ == text_pattern::kind::any ? "*" : st.pattern_.value_;
          if (!st.capture_.empty()) p += " -> " + st.capture_;
          out += "C:";
          out += after_colon(p);
        } else if constexpr (std::is_same_v<T, serve_tls>) {
          out += "starttls";
          if (st.cert_written_) out += " cert " + std::string(to_name(st.cert_));
          if (st.min_) out += " min " + std::string(to_name(*st.min_));
          if (st.max_) out += " max " + std::string(to_name(*st.max_));
        } else if constexpr (std::is_same_v<T, expect_abort>) {
          out += "expect abort";
        } else {
          static_assert(std::is_same_v<T, set_variable>);
          out += "set " + st.name_ + " = " + quote(st.value_);
        }
      },
      body);
}

std::string print(const scenario& s) {
  std::string out;
  for (const auto& h : s.headers_) {
    // A `#` right after the colon is text; after a blank it would start a comment.
    out += h.key + (h.value.starts_with('#') ? ":" : ": ") + h.value + "\n";
  }
  if (!s.headers_.empty()) out.push_back('\n');
  for (const auto& st : s.statements_) {
    print(st.body_, out);
    out.push_back('\n');
  }
  return out;
}

}  // namespace mailtls::scenario
