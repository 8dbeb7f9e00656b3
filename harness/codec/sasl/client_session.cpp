#include "codec/sasl/client_session.hpp"

#include <utility>

#include "codec/sasl/base64.hpp"

namespace mailtls::codec::sasl {

std::string to_string(const client_action& a, redaction r) {
  std::string s;
  if (const auto* resp = std::get_if<send_response>(&a)) {
    s = resp->initial ? "initial_response " : "send_response ";
    if (resp->secret && r == redaction::on) {
      s += redacted;
    } else {
      append_quoted(s, resp->base64);
    }
  } else if (std::holds_alternative<await_challenge>(a)) {
    s = "await_challenge";
  } else if (std::holds_alternative<done>(a)) {
    s = "done";
  } else {
    s = to_string(std::get<fail>(a));
  }
  return s;
}

client_session::client_session(mechanism m, client_credentials credentials,
                               bool initial_response_allowed, client_options options)
    : mech_(m),
      creds_(std::move(credentials)),
      initial_allowed_(initial_response_allowed),
      options_(options) {}

client_session::~client_session() {
  wipe(creds_.passwd);
}

client_action client_session::finish(client_action a) {
  state_ = state::finished;
  wipe(creds_.passwd);
  return a;
}

client_action client_session::finish_fail(sasl_errc e, std::error_code detail, std::size_t offset) {
  return finish(fail{make_error_code(e), detail, offset});
}

client_action client_session::plain_response(bool initial) {
  std::string blob;
  const plain_result b =
      build_plain(creds_.authzid, creds_.authcid, creds_.passwd, blob, options_.limits);
  if (!b) return finish_fail(sasl_errc::malformed_message, b.error, b.offset);
  send_response r{base64::encode(blob), initial, true};
  wipe(blob);
  state_ = state::all_sent;
  return r;
}

client_action client_session::login_response(login::field which, bool initial) {
  const std::string& value = which == login::field::username ? creds_.authcid : creds_.passwd;
  const auto f = login::check_field(value, which, options_.limits);
  if (!f) return finish_fail(sasl_errc::malformed_message, f.error, f.offset);
  const bool secret = which == login::field::password;
  state_ = secret ? state::all_sent : state::await_password;
  return send_response{base64::encode(value), initial, secret};
}

client_action client_session::start() {
  if (state_ != state::not_started) {
    state_ = state::finished;
    return fail{make_error_code(sasl_errc::invalid_state), {}, 0};
  }
  if (mech_ == mechanism::plain) {
    state_ = state::await_plain;
    if (initial_allowed_) return plain_response(true);
    return await_challenge{};
  }
  state_ = state::await_username;
  if (initial_allowed_ && options_.login_initial_response) {
    return login_response(login::field::username, true);
  }
  return await_challenge{};
}

client_action client_session::on_server_challenge(std::string_view base64_text) {
  switch (state_) {
    case state::not_started:
    case state::finished:
      state_ = state::finished;
      return fail{make_error_code(sasl_errc::invalid_state), {}, 0};
    case state::all_sent:
      return finish_fail(sasl_errc::unexpected_challenge);
    default:
      break;
  }
  if (base64_text.size() > options_.max_challenge) {
    return finish_fail(sasl_errc::line_too_long, {}, options_.max_challenge);
  }
  std::string text;
  const auto d = base64::decode(base64_text, text, options_.max_challenge);
  if (!d) return finish_fail(sasl_errc::bad_base64, d.error, d.offset);

  if (state_ == state::await_plain) {
    // RFC 4616 §2: PLAIN is one client message; the server's challenge carries nothing.
    if (!text.empty() && !options_.allow_plain_challenge_text) {
      return finish_fail(sasl_errc::unexpected_challenge);
    }
    return plain_response(false);
  }

  const login::prompt p = login::classify_prompt(text, options_.login_prompts);
  const login::field expected =
      state_ == state::await_username ? login::field::username : login::field::password;
  if (options_.login_prompts != login::prompt_policy::ignore) {
    if (p == login::prompt::unknown) return finish_fail(sasl_errc::unknown_prompt);
    const login::field got =
        p == login::prompt::username ? login::field::username : login::field::password;
    if (got != expected) return finish_fail(sasl_errc::unexpected_prompt);
  }
  return login_response(expected, false);
}

client_action client_session::on_outcome(bool accepted) {
  switch (state_) {
    case state::not_started:
    case state::finished:
      state_ = state::finished;
      return fail{make_error_code(sasl_errc::invalid_state), {}, 0};
    case state::all_sent:
      return finish(accepted ? client_action{done{}}
                             : client_action{fail{make_error_code(sasl_errc::rejected), {}, 0}});
    default:
      if (!accepted) return finish_fail(sasl_errc::rejected);
      return finish_fail(sasl_errc::premature_success);
  }
}

}  // namespace mailtls::codec::sasl
