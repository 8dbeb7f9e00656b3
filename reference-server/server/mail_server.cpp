#include "server/mail_server.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "server/ports_file.hpp"
#include "session/imap/imap_session.hpp"
#include "session/pop3/session.hpp"
#include "session/smtp/session.hpp"
#include "store/maildir_backend.hpp"
#include "tls/context.hpp"
#include "tls/credentials.hpp"

namespace mailtls::server::app {
namespace {

// Calls apply(rule, on) for each --policy override of this service, in the order given.
template <class Apply>
void for_each_rule(const server_options& opts, service svc, Apply&& apply) {
  for (const auto& p : opts.policy) {
    if (p.svc == svc) apply(std::string_view(p.rule), p.on);
  }
}

const char* alpn_id(protocol p) {
  switch (p) {
    case protocol::smtp:
      return "smtp";
    case protocol::pop3:
      return "pop3";
    case protocol::imap:
      return "imap";
  }
  return "";
}

// What a protocol says to a connection over the limit before closing.
void refuse_reply(protocol p, const std::string& host, session::actions& out) {
  switch (p) {
    case protocol::smtp:  // RFC 5321 §3.8, §4.2.5
      out.emplace_back(session::send{"421 4.7.0 " + host + " Too many connections\r\n"});
      break;
    case protocol::pop3:  // RFC 3206 §4 SYS/TEMP
      out.emplace_back(session::send{"-ERR [SYS/TEMP] Too many connections\r\n"});
      break;
    case protocol::imap:  // RFC 9051 §7.1.5 BYE
      out.emplace_back(session::send{"* BYE Too many connections\r\n"});
      break;
  }
}

std::string bug_names(const std::vector<bug>& bugs) {
  std::string s;
  for (auto b : bugs) {
    if (!s.empty()) s += ", ";
    s += to_string(b);
  }
  return s;
}

}  // namespace

mail_server::mail_server(const server_options& opts, net::logger& log) : opts_(opts), log_(log) {}

mail_server::~mail_server() {
  if (runtime_ && !stopped_) {
    runtime_->shutdown(std::chrono::milliseconds(opts_.shutdown_timeout_ms));
    runtime_->stop();
  }
  runtime_.reset();  // every session is gone before the backend
}

std::unique_ptr<mail_server> mail_server::create(const server_options& opts, net::logger& log,
                                                 int& exit_code, std::string& error) {
  std::unique_ptr<mail_server> srv(new mail_server(opts, log));
  const auto config_error = [&](std::string why) {
    exit_code = 2;
    error = std::move(why);
    return nullptr;
  };
  const auto runtime_error = [&](std::string why) {
    exit_code = 1;
    error = std::move(why);
    return nullptr;
  };
  if (opts.cert_file.empty() != opts.key_file.empty()) {
    return config_error("--cert and --key go together");
  }

  // State directory and accounts file.
  std::error_code fec;
  std::filesystem::create_directories(opts.state_dir, fec);
  if (fec)
    return runtime_error(opts.state_dir + ": cannot create state directory: " + fec.message());
  ::chmod(opts.state_dir.c_str(), 0700);
  const auto accounts = opts.effective_accounts_file();
  if (opts.accounts_file.empty() && !std::filesystem::exists(accounts, fec)) {
    // The default accounts file starts empty (add users with `mailtls-server add-user`).
    const int fd = ::open(accounts.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return runtime_error(accounts + ": cannot create accounts file");
    ::close(fd);
  }
  store::maildir_backend_config bc;
  bc.state_dir = opts.state_dir;
  bc.accounts_file = accounts;
  bc.extra_domains = opts.domains;
  bc.host_name = opts.hostname;
  std::error_code bec;
  std::string message;
  srv->backend_ = store::maildir_backend::open(std::move(bc), bec, message);
  if (!srv->backend_) return config_error(message.empty() ? bec.message() : message);

  // TLS credentials.
  tls::server_config base;
  if (!opts.cert_file.empty()) {
    base.certificate_chain_file = opts.cert_file;
    base.private_key_file = opts.key_file;
  } else {
    auto paths = tls::ensure_server_credentials(opts.state_dir + "/tls", opts.hostname);
    if (!paths) {
      return runtime_error(opts.state_dir + "/tls: " + paths.error.message() + ": " + paths.detail);
    }
    base.certificate_chain_file = paths->server_certificate;
    base.private_key_file = paths->server_key;
    srv->ca_certificate_ = paths->ca_certificate;
  }
  const auto injected = opts.injected();
  if (injected.has(bug::tls10_accepted)) base = tls::weakened_server_config(std::move(base));
  std::map<protocol, tls::context> contexts;
  for (auto p : {protocol::smtp, protocol::pop3, protocol::imap}) {
    auto cfg = base;
    cfg.alpn = {alpn_id(p)};  // RFC 7301 §3.2: refuse other protocols (ALPACA)
    auto ctx = tls::context::make_server(cfg);
    if (!ctx) return config_error("TLS: " + ctx.error.message() + ": " + ctx.detail);
    contexts.emplace(p, std::move(*ctx));
  }

  // Listeners.
  srv->runtime_ = std::make_unique<net::runtime>(log, net::runtime_options{opts.threads});
  auto& backend = *srv->backend_;
  for (const auto& s : all_services()) {
    if (!opts.enabled(s.id)) continue;
    net::listener_config lc;
    lc.name = std::string(s.name);
    lc.host = opts.listen.at(s.id).host;
    lc.port = opts.listen.at(s.id).port;
    lc.mode = !s.implicit_tls                         ? net::transport::plain
              : injected.has(bug::implicit_cleartext) ? net::transport::implicit_cleartext
                                                      : net::transport::implicit_tls;
    lc.tls = contexts.at(s.proto);
    lc.max_connections = opts.max_connections;
    lc.max_connections_per_address = opts.max_connections_per_ip;
    const auto host = opts.hostname;
    lc.factory.refuse = [p = s.proto, host](session::actions& out) { refuse_reply(p, host, out); };
    switch (s.id) {
      case service::smtp:
      case service::submission:
      case service::submissions: {
        const auto kind = s.id == service::smtp         ? smtp::listener::smtp
                          : s.id == service::submission ? smtp::listener::submission
                                                        : smtp::listener::submissions;
        auto cfg = smtp::config::for_listener(kind, opts.hostname);
        cfg.max_message_size = opts.max_message_size;
        for_each_rule(opts, s.id, [&cfg](std::string_view rule, bool on) {
          if (rule == "offer_starttls") cfg.offer_starttls = on;
          if (rule == "require_tls") cfg.require_tls_before_mail_and_auth = on;
          if (rule == "offer_auth") cfg.offer_auth = on;
          if (rule == "require_auth_for_mail") cfg.require_auth_for_mail = on;
          if (rule == "accept_local_delivery") cfg.accept_local_delivery = on;
          if (rule == "relay_for_authenticated") cfg.relay_for_authenticated = on;
          if (rule == "offer_chunking") cfg.offer_chunking = on;
        });
        cfg.bugs = injected;
        if (opts.idle_timeout_ms != 0) cfg.idle_timeout_ms = opts.idle_timeout_ms;
        lc.limits.default_idle_timeout_ms = cfg.idle_timeout_ms;
        lc.factory.make = [&backend, cfg] { return std::make_unique<smtp::session>(backend, cfg); };
        break;
      }
      case service::pop3:
      case service::pop3s: {
        pop3::config cfg;
        cfg.listener =
            s.id == service::pop3 ? pop3::listener_kind::pop3 : pop3::listener_kind::pop3s;
        cfg.host_name = opts.hostname;
        cfg.bugs = injected;
        for_each_rule(opts, s.id, [&cfg](std::string_view rule, bool on) {
          if (rule == "require_tls_for_auth") cfg.require_tls_for_auth = on;
          if (rule == "offer_user") cfg.offer_user = on;
          if (rule == "offer_sasl") cfg.offer_sasl = on;
        });
        if (opts.idle_timeout_ms != 0) cfg.limits.idle_timeout_ms = opts.idle_timeout_ms;
        lc.limits.default_idle_timeout_ms = cfg.limits.idle_timeout_ms;
        lc.factory.make = [&backend, cfg] {
          return std::make_unique<pop3::pop3_session>(backend, cfg);
        };
        break;
      }
      case service::imap:
      case service::imaps: {
        auto cfg = imap::imap_config::for_listener(
            s.id == service::imap ? imap::listener_kind::imap : imap::listener_kind::imaps,
            opts.hostname);
        cfg.limits.max_message_size = opts.max_message_size;
        cfg.bugs = injected;
        for_each_rule(opts, s.id, [&cfg](std::string_view rule, bool on) {
          if (rule == "require_tls_for_login") cfg.require_tls_for_login = on;
        });
        if (opts.idle_timeout_ms != 0) cfg.limits.idle_timeout_ms = opts.idle_timeout_ms;
        lc.limits.default_idle_timeout_ms = cfg.limits.idle_timeout_ms;
        lc.factory.make = [&backend, cfg] {
          return std::make_unique<imap::imap_session>(backend, cfg);
        };
        break;
      }
    }
    auto bound = srv->runtime_->add_listener(std::move(lc));
    if (!bound) return runtime_error("cannot listen: " + bound.error);
    srv->ports_[std::string(s.name)] = bound.port;
  }
  if (srv->ports_.empty()) return config_error("no service enabled");
  return srv;
}

void mail_server::handle_signals() {
  runtime_->on_signals({SIGINT, SIGTERM}, [this](int signal) {
    log_.write(
        net::log_level::info, "server", {},
        std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") + ": shutting down");
    request_stop();
  });
  runtime_->on_signals({SIGHUP}, [this](int) {
    std::string message;
    if (auto ec = backend_->reload_accounts(message)) {
      log_.write(net::log_level::error, "server", {},
                 "SIGHUP: accounts not reloaded: " + (message.empty() ? ec.message() : message));
    } else {
      log_.write(net::log_level::info, "server", {}, "SIGHUP: accounts reloaded");
    }
  });
}

bool mail_server::start(std::string& error) {
  if (!opts_.bugs.empty()) {
    log_.write(net::log_level::warn, "server", {},
               "BUG INJECTION ACTIVE (" + bug_names(opts_.bugs) +
                   "): this server is deliberately broken; never use it for real mail");
  }
  runtime_->start();
  std::string summary;
  for (const auto& [name, port] : ports_) {
    summary += (summary.empty() ? "" : " ") + name + "=" + std::to_string(port);
  }
  if (!opts_.ports_file.empty() && !write_ports_file(opts_.ports_file, ports_, error)) {
    return false;
  }
  log_.write(net::log_level::info, "server", {},
             "ready: " + summary + " (" + std::to_string(runtime_->thread_count()) + " threads)");
  return true;
}

void mail_server::request_stop() {
  std::lock_guard lock(mutex_);
  stop_requested_ = true;
  stop_cv_.notify_all();
}

std::size_t mail_server::wait() {
  {
    std::unique_lock lock(mutex_);
    stop_cv_.wait(lock, [this] { return stop_requested_; });
  }
  const auto forced = runtime_->shutdown(std::chrono::milliseconds(opts_.shutdown_timeout_ms));
  runtime_->stop();
  stopped_ = true;
  log_.write(net::log_level::info, "server", {},
             forced == 0 ? std::string("stopped")
                         : "stopped (" + std::to_string(forced) + " connection(s) closed hard)");
  return forced;
}

}  // namespace mailtls::server::app
