#include "tls/credentials.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace mailtls::tls {
namespace {

namespace fs = std::filesystem;

std::error_code write_file(const std::string& path, const std::string& data, mode_t mode) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return {errno, std::generic_category()};
  std::error_code ec;
  if (::fchmod(fd, mode) != 0) ec = {errno, std::generic_category()};  // O_CREAT obeys umask
  std::size_t done = 0;
  while (!ec && done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ec = {errno, std::generic_category()};
    } else {
      done += static_cast<std::size_t>(n);
    }
  }
  if (!ec && ::fsync(fd) != 0) ec = {errno, std::generic_category()};
  if (::close(fd) != 0 && !ec) ec = {errno, std::generic_category()};
  if (!ec && ::rename(tmp.c_str(), path.c_str()) != 0) ec = {errno, std::generic_category()};
  if (ec) ::unlink(tmp.c_str());
  return ec;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

}  // namespace

std::error_code write_credentials(const credentials& creds, const std::string& certificate_path,
                                  const std::string& private_key_path) {
  if (auto ec = write_file(private_key_path, creds.private_key_pem, 0600)) return ec;
  return write_file(certificate_path, creds.certificate_pem, 0644);
}

result<credentials> read_credentials(const std::string& certificate_path,
                                     const std::string& private_key_path) {
  credentials c;
  if (!read_file(certificate_path, c.certificate_pem)) {
    return result<credentials>::fail(errc::file_io_failed, "cannot read " + certificate_path);
  }
  if (!read_file(private_key_path, c.private_key_pem)) {
    return result<credentials>::fail(errc::file_io_failed, "cannot read " + private_key_path);
  }
  return result<credentials>::ok(std::move(c));
}

result<server_credential_paths> ensure_server_credentials(const std::string& state_dir,
                                                          const std::string& host_name,
                                                          key_type key) {
  using res = result<server_credential_paths>;
  std::error_code ec;
  if (!fs::is_directory(state_dir, ec)) {
    fs::create_directories(state_dir, ec);
    if (ec) return res::fail(errc::file_io_failed, state_dir + ": " + ec.message());
    fs::permissions(state_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return res::fail(errc::file_io_failed, state_dir + ": " + ec.message());
  }
  const fs::path dir(state_dir);
  server_credential_paths p;
  p.ca_certificate = (dir / "ca.pem").string();
  p.ca_key = (dir / "ca.key").string();
  p.server_certificate = (dir / "server.pem").string();
  p.server_key = (dir / "server.key").string();

  credentials ca;
  if (exists(p.ca_certificate) || exists(p.ca_key)) {
    auto loaded = read_credentials(p.ca_certificate, p.ca_key);
    if (!loaded) return res{std::nullopt, loaded.error, loaded.detail};
    ca = std::move(*loaded);
  } else {
    ca_options ca_opts;
    ca_opts.key = key;
    auto made = generate_private_ca(ca_opts);
    if (!made) return res{std::nullopt, made.error, made.detail};
    if (auto wec = write_credentials(*made, p.ca_certificate, p.ca_key)) {
      return res::fail(errc::file_io_failed, p.ca_certificate + ": " + wec.message());
    }
    ca = std::move(*made);
    p.created_ca = true;
  }

  if (!p.created_ca && exists(p.server_certificate) && exists(p.server_key)) {
    std::string chain;
    if (read_file(p.server_certificate, chain) &&
        verify_certificate(chain, ca.certificate_pem, host_name) == 0) {
      return res::ok(std::move(p));
    }
  }
  auto leaf = issue_leaf(ca, leaf_for_host(host_name, key));
  if (!leaf) return res{std::nullopt, leaf.error, leaf.detail};
  if (auto wec = write_credentials(*leaf, p.server_certificate, p.server_key)) {
    return res::fail(errc::file_io_failed, p.server_certificate + ": " + wec.message());
  }
  p.issued_leaf = true;
  return res::ok(std::move(p));
}

}  // namespace mailtls::tls
