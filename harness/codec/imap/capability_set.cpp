#include "codec/imap/capability_set.hpp"

#include <algorithm>

namespace mailtls::codec::imap {

std::optional<capability_set> capability_set::from_response(const response& r) {
  if (r.kind == response_kind::data && r.data == data_kind::capability && !r.number)
    return from_values(r.args);
  if ((r.kind == response_kind::status || r.kind == response_kind::tagged) && r.code &&
      r.code->is("CAPABILITY"))
    return from_values(r.code->args);
  return std::nullopt;
}

capability_set capability_set::from_values(const std::vector<value>& vs) {
  capability_set s;
  for (const auto& v : vs)
    if (v.is_plain_atom()) s.add(v.text);
  return s;
}

bool capability_set::has(std::string_view cap) const {
  return std::any_of(caps_.begin(), caps_.end(),
                     [&](const std::string& c) { return iequals(c, cap); });
}

std::vector<std::string> capability_set::auth_mechanisms() const {
  std::vector<std::string> out;
  for (const auto& c : caps_)
    if (c.size() > 5 && iequals(std::string_view(c).substr(0, 5), "AUTH="))
      out.push_back(c.substr(5));
  return out;
}

bool capability_set::has_auth(std::string_view mech) const {
  const auto m = auth_mechanisms();
  return std::any_of(m.begin(), m.end(), [&](const std::string& x) { return iequals(x, mech); });
}

capability_set& capability_set::add(std::string_view cap) {
  if (!cap.empty() && !has(cap)) caps_.emplace_back(cap);
  return *this;
}

capability_set& capability_set::add_auth(std::string_view mech) {
  return add("AUTH=" + std::string(mech));
}

capability_set& capability_set::remove(std::string_view cap) {
  caps_.erase(std::remove_if(caps_.begin(), caps_.end(),
                             [&](const std::string& c) { return iequals(c, cap); }),
              caps_.end());
  return *this;
}

response capability_set::to_response() const {
  std::vector<value> args;
  args.reserve(caps_.size());
  for (const auto& c : caps_)
    args.push_back(value::make_atom(c));
  return response::make_data("CAPABILITY", std::move(args));
}

response_code capability_set::to_code() const {
  response_code code;
  code.name = "CAPABILITY";
  for (const auto& c : caps_) {
    if (!code.text.empty()) code.text.push_back(' ');
    code.text.append(c);
    code.args.push_back(value::make_atom(c));
  }
  return code;
}

}  // namespace mailtls::codec::imap
