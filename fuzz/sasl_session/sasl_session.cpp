// Fuzz target: the SASL session state machines (harness/codec/sasl/{server,client}_session).
// Byte 0 picks the mechanism name, whether the first line is an initial response, the line bound
// and the leniency options; the rest is split on CRLF into client lines (server side) and, the same
// lines, server challenges (client side).
// Invariants: a bounded number of challenges (PLAIN 1, LOGIN 2); once authenticate or fail has been
// returned every later action is a fail; an authenticate carries credentials that pass the same
// field rules and its transcript line redacts the password; client responses stop at the last one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/sasl/client_session.hpp"
#include "codec/sasl/login.hpp"
#include "codec/sasl/plain.hpp"
#include "codec/sasl/server_session.hpp"

namespace sasl = mailtls::codec::sasl;

namespace {

constexpr std::string_view mechanisms[] = {"PLAIN", "LOGIN", "login", "CRAM-MD5"};

void run_server(std::uint8_t cfg, const std::vector<std::string_view>& lines) {
  const std::string_view mech = mechanisms[cfg & 3];
  const bool with_ir = (cfg & 4) != 0 && !lines.empty();
  const sasl::server_options opts{.max_line = (cfg & 8) != 0 ? std::size_t{16} : std::size_t{12288},
                                  .limits = {},
                                  .allow_login_initial_response = (cfg & 16) == 0};
  sasl::server_session s(mech, with_ir ? std::optional<std::string_view>(lines[0]) : std::nullopt,
                         opts);
  sasl::server_action a = s.start();
  std::size_t challenges = 0;
  bool over = false;
  auto check = [&](const sasl::server_action& act) {
    const std::string text = sasl::to_string(act);
    if (text.empty()) std::abort();
    if (over) {
      if (!std::holds_alternative<sasl::fail>(act)) std::abort();
      return;
    }
    if (std::holds_alternative<sasl::send_challenge>(act)) {
      if (++challenges > 2) std::abort();
      if (s.finished()) std::abort();
      return;
    }
    over = true;
    if (!s.finished()) std::abort();
    if (const auto* au = std::get_if<sasl::authenticate>(&act)) {
      if (!text.ends_with(" passwd=<redacted>")) std::abort();
      if (s.mech() == sasl::mechanism::plain) {
        std::string blob;
        if (!sasl::build_plain(au->authzid, au->authcid, au->passwd, blob).ok()) std::abort();
      } else {
        if (!au->authzid.empty()) std::abort();
        if (!sasl::login::check_field(au->authcid, sasl::login::field::username).ok()) std::abort();
        if (!sasl::login::check_field(au->passwd, sasl::login::field::password).ok()) std::abort();
      }
    } else if (std::get<sasl::fail>(act).error.value() == 0) {
      std::abort();
    }
  };
  check(a);
  for (std::size_t i = with_ir ? 1 : 0; i < lines.size(); ++i) {
    a = s.on_client_line(lines[i]);
    check(a);
  }
  if (s.mech() == sasl::mechanism::plain && challenges > 1) std::abort();
}

void run_client(std::uint8_t cfg, const std::vector<std::string_view>& lines) {
  const auto mech = (cfg & 1) != 0 ? sasl::mechanism::login : sasl::mechanism::plain;
  const sasl::client_options opts{
      .login_prompts = static_cast<sasl::login::prompt_policy>((cfg >> 5) % 3),
      .login_initial_response = (cfg & 2) != 0,
      .allow_plain_challenge_text = (cfg & 16) != 0,
      .max_challenge = (cfg & 8) != 0 ? std::size_t{16} : std::size_t{12288},
      .limits = {}};
  sasl::client_session c(mech, {"", "tim", "tanstaaftanstaaf"}, (cfg & 4) != 0, opts);
  std::size_t responses = 0;
  bool over = false;
  auto check = [&](const sasl::client_action& act) {
    const std::string text = sasl::to_string(act);
    if (text.find("tanstaaf") != std::string::npos) std::abort();  // redacted, even base64'd
    if (text.find("dGFuc3RhYWZ0") != std::string::npos) std::abort();
    if (over) {
      if (!std::holds_alternative<sasl::fail>(act)) std::abort();
      return;
    }
    if (std::holds_alternative<sasl::send_response>(act)) {
      if (++responses > 2) std::abort();
    } else if (std::holds_alternative<sasl::fail>(act) || std::holds_alternative<sasl::done>(act)) {
      over = true;
      if (!c.finished()) std::abort();
    }
  };
  check(c.start());
  for (const auto line : lines)
    check(c.on_server_challenge(line));
  check(c.on_outcome((cfg & 128) != 0));
  if (!c.finished()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 4096) return 0;
  const std::uint8_t cfg = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string_view> lines;
  for (std::size_t from = 0; from <= rest.size();) {
    const std::size_t crlf = rest.find("\r\n", from);
    if (crlf == std::string_view::npos) {
      if (from < rest.size()) lines.push_back(rest.substr(from));
      break;
    }
    lines.push_back(rest.substr(from, crlf - from));
    from = crlf + 2;
  }
  if (lines.size() > 64) return 0;  // a session is a handful of lines; keep the target fast
  run_server(cfg, lines);
  run_client(cfg, lines);
  return 0;
}
