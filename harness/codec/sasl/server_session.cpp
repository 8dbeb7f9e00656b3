#include "codec/sasl/server_session.hpp"

#include "codec/sasl/base64.hpp"
#include "codec/sasl/login.hpp"

namespace mailtls::codec::sasl {

std::string to_string(const server_action& a, redaction r) {
  std::string s;
  if (const auto* c = std::get_if<send_challenge>(&a)) {
    s = "send_challenge ";
    append_quoted(s, c->base64);
  } else if (const auto* au = std::get_if<authenticate>(&a)) {
    s = "authenticate authzid=";
    append_quoted(s, au->authzid);
    s += " authcid=";
    append_quoted(s, au->authcid);
    s += " passwd=";
    if (r == redaction::on) {
      s += redacted;
    } else {
      append_quoted(s, au->passwd);
    }
  } else {
    s = to_string(std::get<fail>(a));
  }
  return s;
}

server_session::server_session(std::string_view mechanism_name,
                               std::optional<std::string_view> initial_response,
                               server_options options)
    : mech_(parse_mechanism(mechanism_name)), options_(options) {
  if (initial_response) initial_response_.emplace(*initial_response);
}

server_session::server_session(mechanism m, std::optional<std::string_view> initial_response,
                               server_options options)
    : mech_(m), options_(options) {
  if (initial_response) initial_response_.emplace(*initial_response);
}

server_session::~server_session() {
  wipe(decoded_);
  wipe(username_);
  if (initial_response_) wipe(*initial_response_);
}

server_action server_session::finish(server_action a) {
  state_ = state::finished;
  wipe(decoded_);
  wipe(username_);
  if (initial_response_) wipe(*initial_response_);
  return a;
}

server_action server_session::finish_fail(sasl_errc e, std::error_code detail, std::size_t offset) {
  return finish(fail{make_error_code(e), detail, offset});
}

server_action server_session::start() {
  if (state_ != state::not_started) {
    state_ = state::finished;
    return fail{make_error_code(sasl_errc::invalid_state), {}, 0};
  }
  if (!mech_) return finish_fail(sasl_errc::unsupported_mechanism);

  if (*mech_ == mechanism::plain) {
    state_ = state::await_plain;
    if (!initial_response_) return send_challenge{};  // RFC 4616 §2: empty challenge
  } else {
    state_ = state::await_username;
    if (!initial_response_) return send_challenge{std::string(login::username_prompt_base64)};
    if (!options_.allow_login_initial_response) return finish_fail(sasl_errc::unexpected_line);
  }
  // RFC 4954 §4 / RFC 4959 / RFC 5034 §4: "=" is an empty initial response.
  const std::string_view ir = *initial_response_;
  if (ir.size() > options_.max_line) {
    return finish_fail(sasl_errc::line_too_long, {}, options_.max_line);
  }
  return on_response(ir == "=" ? std::string_view{} : ir);
}

server_action server_session::on_client_line(std::string_view line) {
  switch (state_) {
    case state::not_started:
      state_ = state::finished;
      return fail{make_error_code(sasl_errc::invalid_state), {}, 0};
    case state::finished:
      return fail{make_error_code(sasl_errc::unexpected_line), {}, 0};
    default:
      break;
  }
  // RFC 4954 §4: a line over 12288 octets (the default bound) is refused.
  if (line.size() > options_.max_line) {
    return finish_fail(sasl_errc::line_too_long, {}, options_.max_line);
  }
  // RFC 4954 §4, RFC 3501 §6.2.2, RFC 5034 §4: "*" cancels the exchange.
  if (line == "*") return finish_fail(sasl_errc::cancelled);
  return on_response(line);
}

server_action server_session::on_response(std::string_view text) {
  decoded_.clear();
  const auto d = base64::decode(text, decoded_, options_.max_line);
  if (!d) return finish_fail(sasl_errc::bad_base64, d.error, d.offset);

  switch (state_) {
    case state::await_plain: {
      const plain_result p = parse_plain(decoded_, options_.limits);  // RFC 4616 §2
      if (!p) return finish_fail(sasl_errc::malformed_message, p.error, p.offset);
      return finish(authenticate{std::string(p.message.authzid), std::string(p.message.authcid),
                                 std::string(p.message.passwd)});
    }
    case state::await_username: {
      const auto f = login::check_field(decoded_, login::field::username, options_.limits);
      if (!f) return finish_fail(sasl_errc::malformed_message, f.error, f.offset);
      username_ = decoded_;
      wipe(decoded_);
      state_ = state::await_password;
      return send_challenge{std::string(login::password_prompt_base64)};
    }
    case state::await_password: {
      const auto f = login::check_field(decoded_, login::field::password, options_.limits);
      if (!f) return finish_fail(sasl_errc::malformed_message, f.error, f.offset);
      return finish(authenticate{{}, username_, decoded_});
    }
    default:
      return finish_fail(sasl_errc::invalid_state);
  }
}

}  // namespace mailtls::codec::sasl
