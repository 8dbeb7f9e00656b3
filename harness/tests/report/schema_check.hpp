// A minimal JSON Schema (draft 2020-12) checker for the keywords results/schema/report.schema.json
// uses: $ref (to "#/$defs/..."), type, enum, const, minimum, maximum, required, properties,
// additionalProperties: false, items. Anything else in the schema is ignored; no external validator
// is available on the build hosts (Debian without Python).
#pragma once

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace mailtls::report::test {

namespace js = boost::json;

class schema_check {
 public:
  explicit schema_check(const js::object& root) : root_(root) {}

  // Every violation as "<json path>: <what>"; empty when the instance conforms.
  std::vector<std::string> check(const js::value& instance) {
    errors_.clear();
    walk(instance, root_, "$", 0);
    return errors_;
  }

 private:
  const js::object& root_;
  std::vector<std::string> errors_;

  static bool has_type(const js::value& v, std::string_view t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "boolean") return v.is_bool();
    if (t == "null") return v.is_null();
    if (t == "integer") return v.is_int64() || v.is_uint64();
    if (t == "number") return v.is_number();
    return false;
  }

  static double number(const js::value& v) {
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    return v.is_double() ? v.get_double() : 0.0;
  }

  // Integers compare by value whatever their storage (int64 vs uint64).
  static bool same(const js::value& a, const js::value& b) {
    if (a.is_number() && b.is_number()) return number(a) == number(b);
    return a == b;
  }

  void walk(const js::value& v, const js::object& s, const std::string& path, int depth) {
    if (depth > 64) {
      errors_.push_back(path + ": schema too deep");
      return;
    }
    if (const auto* ref = s.if_contains("$ref")) {
      const std::string r(ref->as_string());
      const std::string prefix = "#/$defs/";
      const js::value* target = nullptr;
      if (r.rfind(prefix, 0) == 0) {
        if (const auto* defs = root_.if_contains("$defs")) {
          target = defs->as_object().if_contains(r.substr(prefix.size()));
        }
      }
      if (target == nullptr) {
        errors_.push_back(path + ": unresolvable $ref " + r);
        return;
      }
      walk(v, target->as_object(), path, depth + 1);
    }
    if (const auto* t = s.if_contains("type")) {
      bool ok = false;
      if (t->is_string()) {
        ok = has_type(v, t->as_string());
      } else {
        for (const auto& one : t->as_array())
          ok = ok || has_type(v, one.as_string());
      }
      if (!ok) {
        errors_.push_back(path + ": not of type " + js::serialize(*t));
        return;
      }
    }
    if (const auto* e = s.if_contains("enum")) {
      bool ok = false;
      for (const auto& one : e->as_array())
        ok = ok || same(v, one);
      if (!ok) errors_.push_back(path + ": " + js::serialize(v) + " not in enum");
    }
    if (const auto* c = s.if_contains("const"); c && !same(v, *c)) {
      errors_.push_back(path + ": not the const " + js::serialize(*c));
    }
    if (const auto* m = s.if_contains("minimum"); m && v.is_number() && number(v) < number(*m)) {
      errors_.push_back(path + ": below minimum");
    }
    if (const auto* m = s.if_contains("maximum"); m && v.is_number() && number(v) > number(*m)) {
      errors_.push_back(path + ": above maximum");
    }
    if (const js::object* o = v.if_object()) {
      if (const auto* req = s.if_contains("required")) {
        for (const auto& k : req->as_array()) {
          if (!o->contains(k.as_string())) {
            errors_.push_back(path + ": missing required " + std::string(k.as_string()));
          }
        }
      }
      const js::object* props = nullptr;
      if (const auto* p = s.if_contains("properties")) props = &p->as_object();
      const auto* extra = s.if_contains("additionalProperties");
      const bool closed = extra && extra->is_bool() && !extra->as_bool();
      for (const auto& kv : *o) {
        const js::value* ps = props ? props->if_contains(kv.key()) : nullptr;
        const std::string child = path + "." + std::string(kv.key());
        if (ps) {
          walk(kv.value(), ps->as_object(), child, depth + 1);
        } else if (closed) {
          errors_.push_back(child + ": not allowed (additionalProperties: false)");
        }
      }
    }
    if (const js::array* a = v.if_array()) {
      if (const auto* items = s.if_contains("items")) {
        for (std::size_t i = 0; i < a->size(); ++i) {
          walk((*a)[i], items->as_object(), path + "[" + std::to_string(i) + "]", depth + 1);
        }
      }
    }
  }
};

}  // namespace mailtls::report::test
