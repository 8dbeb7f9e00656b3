// The POSIX file steps behind every acknowledgement the store gives (250 after DATA, OK after
// APPEND, a rewritten accounts file or uidlist): write, fsync the file, rename, fsync the
// directory. Errors are std::system_category codes from errno; nothing throws.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace mailtls::server::store {

// Creates `path` (which must not exist: O_EXCL) with `mode`, writes `content`, sets the
// modification time when `mtime` is given (unix seconds), fsyncs and closes it. On error the
// partial file is removed.
std::error_code write_new_file(const std::string& path, std::string_view content, mode_t mode,
                               std::optional<std::int64_t> mtime = std::nullopt);

// fsync() on a directory, so that entries created, renamed or removed in it survive a crash.
std::error_code fsync_directory(const std::string& dir);

// Replaces `path` atomically: a temporary file in the same directory is written, fchmod'ed to
// `mode`, fsynced and renamed over `path`, then the directory is fsynced. Readers see either
// the old or the new content, never a mix.
std::error_code replace_file(const std::string& path, std::string_view content, mode_t mode);

// Reads a whole file; store_errc::file_too_large when it is larger than `max_size`.
std::error_code read_whole_file(const std::string& path, std::string& out, std::size_t max_size);

// mkdir -p with `mode` for created directories; each directory created is made durable by an
// fsync of its parent. An existing directory is fine.
std::error_code make_directories(const std::string& path, mode_t mode);

// The directory part of a path ("." when there is no '/').
std::string parent_directory(const std::string& path);

}  // namespace mailtls::server::store
