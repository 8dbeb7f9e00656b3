// A small, strict XML 1.0 well-formedness checker and tree builder for the report tests (no
// external validator is available). Accepts what the writers produce: an optional `<?xml ...?>`
// declaration or `<!DOCTYPE html>`, one root element, attributes in single or double quotes,
// character data with the five predefined entities and numeric character references. Rejects
// everything else that is not well-formed: unbalanced tags, raw `<` or `&` in text or attributes,
// `]]>` in text, characters XML 1.0 §2.2 forbids, invalid UTF-8, comments/CDATA/PIs in the body.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/escape.hpp"

namespace mailtls::report::test {

struct xml_node {
  std::string name;
  std::map<std::string, std::string> attrs;  // decoded values
  std::vector<std::unique_ptr<xml_node>> children;
  std::string text;  // decoded character data of this element (children's text excluded)
  std::string flat;  // decoded text of this element and its descendants, in document order

  // Depth-first, this node included.
  void collect(std::string_view n, std::vector<const xml_node*>& out) const {
    if (name == n) out.push_back(this);
    for (const auto& c : children)
      c->collect(n, out);
  }
  std::vector<const xml_node*> all(std::string_view n) const {
    std::vector<const xml_node*> out;
    collect(n, out);
    return out;
  }
  std::string attr(const std::string& k) const {
    auto it = attrs.find(k);
    return it == attrs.end() ? std::string("<missing>") : it->second;
  }
  // The decoded text of this element and its descendants, in document order.
  std::string deep_text() const { return flat; }
};

class xml_lite {
 public:
  explicit xml_lite(std::string_view doc) : s_(doc) {}

  // The root element, or null with error() describing the first problem.
  std::unique_ptr<xml_node> parse() {
    if (!check_chars()) return nullptr;
    skip_ws();
    if (starts("<?xml")) {
      const auto end = s_.find("?>", i_);
      if (end == std::string_view::npos) return fail("unterminated declaration");
      i_ = end + 2;
    }
    skip_ws();
    if (starts("<!DOCTYPE html>")) i_ += 15;
    skip_ws();
    auto root = element(0);
    if (!root) return nullptr;
    skip_ws();
    if (i_ != s_.size()) return fail("content after the root element");
    return root;
  }
  const std::string& error() const { return error_; }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;

  std::nullptr_t fail(std::string what) {
    if (error_.empty()) error_ = what + " at offset " + std::to_string(i_);
    return nullptr;
  }
  bool starts(std::string_view p) const { return s_.substr(i_, p.size()) == p; }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
      ++i_;
  }

  bool check_chars() {
    for (std::size_t k = 0; k < s_.size();) {
      const std::size_t n = utf8_sequence(s_, k);
      if (n == 0) {
        i_ = k;
        fail("invalid UTF-8");
        return false;
      }
      const auto b = static_cast<unsigned char>(s_[k]);
      if (n == 1 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
        i_ = k;
        fail("forbidden control character");
        return false;
      }
      if (n == 3 && b == 0xEF && static_cast<unsigned char>(s_[k + 1]) == 0xBF &&
          static_cast<unsigned char>(s_[k + 2]) >= 0xBE) {
        i_ = k;
        fail("U+FFFE/U+FFFF");
        return false;
      }
      k += n;
    }
    return true;
  }

  static bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == ':' || c == '.';
  }
  std::string name() {
    const std::size_t b = i_;
    while (i_ < s_.size() && name_char(s_[i_]))
      ++i_;
    return std::string(s_.substr(b, i_ - b));
  }

  // Decodes an entity or character reference at i_ (which is at '&').
  bool reference(std::string& out) {
    const auto end = s_.find(';', i_);
    if (end == std::string_view::npos || end - i_ > 10) {
      fail("bare &");
      return false;
    }
    const std::string_view ref = s_.substr(i_ + 1, end - i_ - 1);
    if (ref == "amp") {
      out += '&';
    } else if (ref == "lt") {
      out += '<';
    } else if (ref == "gt") {
      out += '>';
    } else if (ref == "quot") {
      out += '"';
    } else if (ref == "apos") {
      out += '\'';
    } else if (ref.size() > 1 && ref[0] == '#') {
      unsigned long v = 0;
      try {
        v = ref[1] == 'x' ? std::stoul(std::string(ref.substr(2)), nullptr, 16)
                          : std::stoul(std::string(ref.substr(1)), nullptr, 10);
      } catch (...) {
        fail("bad character reference");
        return false;
      }
      if (v != 9 && v != 10 && v != 13 && (v < 0x20 || v > 0x7E)) {
        fail("character reference outside the tested range");
        return false;
      }
      out += static_cast<char>(v);
    } else {
      fail("unknown entity");
      return false;
    }
    i_ = end + 1;
    return true;
  }

  std::unique_ptr<xml_node> element(int depth) {
    if (depth > 200) return fail("too deep");
    if (!starts("<")) return fail("expected an element");
    ++i_;
    auto node = std::make_unique<xml_node>();
    node->name = name();
    if (node->name.empty()) return fail("empty element name");
    for (;;) {
      skip_ws();
      if (i_ >= s_.size()) return fail("unterminated start tag");
      if (starts("/>")) {
        i_ += 2;
        return node;
      }
      if (s_[i_] == '>') {
        ++i_;
        break;
      }
      std::string key = name();
      if (key.empty()) return fail("bad attribute name");
      skip_ws();
      if (!starts("=")) return fail("attribute without =");
      ++i_;
      skip_ws();
      if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) return fail("unquoted attribute");
      const char q = s_[i_++];
      std::string value;
      while (i_ < s_.size() && s_[i_] != q) {
        if (s_[i_] == '<') return fail("< in attribute value");
        if (s_[i_] == '&') {
          if (!reference(value)) return nullptr;
        } else {
          value += s_[i_++];
        }
      }
      if (i_ >= s_.size()) return fail("unterminated attribute value");
      ++i_;
      if (!node->attrs.emplace(key, value).second) return fail("duplicate attribute " + key);
    }
    // Content.
    for (;;) {
      if (i_ >= s_.size()) return fail("unclosed <" + node->name + ">");
      if (starts("</")) {
        i_ += 2;
        const std::string end = name();
        if (end != node->name) return fail("</" + end + "> closes <" + node->name + ">");
        skip_ws();
        if (!starts(">")) return fail("bad end tag");
        ++i_;
        return node;
      }
      if (starts("<!") || starts("<?")) return fail("comment, CDATA or PI in content");
      if (s_[i_] == '<') {
        auto child = element(depth + 1);
        if (!child) return nullptr;
        node->flat += child->flat;
        node->children.push_back(std::move(child));
      } else if (s_[i_] == '&') {
        const std::size_t before = node->text.size();
        if (!reference(node->text)) return nullptr;
        node->flat += node->text.substr(before);
      } else {
        if (starts("]]>")) return fail("]]> in character data");
        node->flat += s_[i_];
        node->text += s_[i_++];
      }
    }
  }
};

}  // namespace mailtls::report::test
