#include "report/write.hpp"

#include <cerrno>
#include <cstdio>
#include <exception>
#include <memory>
#include <new>

#include "report/html.hpp"
#include "report/json.hpp"
#include "report/junit.hpp"

namespace mailtls::report {
namespace {

namespace fs = std::filesystem;

struct file_closer {
  void operator()(std::FILE* f) const noexcept {
    if (f != nullptr) std::fclose(f);
  }
};

std::error_code fail(std::error_code ec, std::string_view what, const fs::path& p,
                     std::string& error) {
  error = std::string(what) + " " + p.string() + ": " + ec.message();
  return ec;
}

std::error_code last_errno() {
  return {errno != 0 ? errno : EIO, std::generic_category()};
}

}  // namespace

std::error_code write_file_atomically(const fs::path& path, std::string_view content,
                                      std::string& error) {
  fs::path tmp = path;
  tmp += ".tmp";
  std::error_code ec;
  {
    errno = 0;
    std::unique_ptr<std::FILE, file_closer> f(std::fopen(tmp.c_str(), "wb"));
    if (!f) return fail(last_errno(), "cannot create", tmp, error);
    errno = 0;
    if (!content.empty() &&
        std::fwrite(content.data(), 1, content.size(), f.get()) != content.size()) {
      ec = last_errno();
    }
    errno = 0;
    if (!ec && std::fflush(f.get()) != 0) ec = last_errno();
    errno = 0;
    if (std::fclose(f.release()) != 0 && !ec) ec = last_errno();
  }
  if (!ec) {
    fs::rename(tmp, path, ec);
    if (!ec) return {};
  }
  std::error_code ignored;
  fs::remove(tmp, ignored);
  return fail(ec, "cannot write", path, error);
}

std::error_code write_reports(const run& r, const fs::path& dir, std::string& error) {
  try {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return fail(ec, "cannot create directory", dir, error);
    if (!fs::is_directory(dir, ec)) {
      return fail(ec ? ec : std::make_error_code(std::errc::not_a_directory),
                  "cannot create directory", dir, error);
    }
    ec = write_file_atomically(dir / json_file_name, to_json(r), error);
    if (ec) return ec;
    ec = write_file_atomically(dir / junit_file_name, to_junit(r), error);
    if (ec) return ec;
    return write_file_atomically(dir / html_file_name, to_html(r), error);
  } catch (const std::bad_alloc&) {
    error = "out of memory writing the reports to " + dir.string();
    return std::make_error_code(std::errc::not_enough_memory);
  } catch (const std::exception& e) {
    error = "cannot write the reports to " + dir.string() + ": " + e.what();
    return std::make_error_code(std::errc::io_error);
  }
}

}  // namespace mailtls::report
