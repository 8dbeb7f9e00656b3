#include "runner/variables.hpp"

#include <algorithm>
#include <vector>

#include "codec/sasl/base64.hpp"

namespace mailtls::runner {

variable_map standard_variables(std::string_view host, std::uint16_t port,
                                std::string_view servername, const std::optional<std::string>& user,
                                const std::optional<std::string>& password) {
  namespace b64 = codec::sasl::base64;
  variable_map v;
  v["host"] = std::string(host);
  v["port"] = std::to_string(port);
  v["servername"] = std::string(servername);
  v["client_name"] = "mailtls.test";
  if (user) {
    v["user"] = *user;
    v["sasl_login_user"] = b64::encode(*user);
  }
  if (password) {
    v["password"] = *password;
    v["sasl_login_password"] = b64::encode(*password);
  }
  if (user && password) {
    // RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd.
    std::string plain;
    plain.push_back('\0');
    plain += *user;
    plain.push_back('\0');
    plain += *password;
    v["sasl_plain"] = b64::encode(plain);
  }
  return v;
}

const std::set<std::string>& secret_variable_names() {
  static const std::set<std::string> names = {"password", "sasl_plain", "sasl_login_password"};
  return names;
}

const std::set<std::string>& credential_variable_names() {
  static const std::set<std::string> names = {"user", "password", "sasl_plain", "sasl_login_user",
                                              "sasl_login_password"};
  return names;
}

std::string redact(std::string_view text, const variable_map& vars,
                   const std::set<std::string>& secrets) {
  std::vector<std::pair<std::string_view, std::string_view>> hidden;  // value, name
  for (const auto& name : secrets) {
    const auto it = vars.find(name);
    if (it != vars.end() && !it->second.empty()) hidden.emplace_back(it->second, name);
  }
  if (hidden.empty()) return std::string(text);
  std::sort(hidden.begin(), hidden.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    for (const auto& [value, name] : hidden) {
      if (text.substr(i, value.size()) == value) {
        out += "<redacted:";
        out += name;
        out += '>';
        i += value.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(text[i++]);
  }
  return out;
}

}  // namespace mailtls::runner
