#include "services/files/secret_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace placement::files {
namespace {

std::string named(std::string_view what, const std::filesystem::path& path) {
  return std::string(what) + " " + path.string();
}

Error file_error(Errc code, std::string_view what, const std::filesystem::path& path, const std::string& why) {
  return Error{code, named(what, path) + ": " + why};
}

std::string errno_text() { return std::strerror(errno); }

// 16 random bytes in hex: a name nobody can plant a link at in advance.
Result<std::string> random_suffix() {
  unsigned char bytes[16];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
    return fail(Errc::internal, "no random bytes for a temporary file name: " + errno_text());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

Status sync_folder(const std::filesystem::path& folder, std::string_view what, const std::filesystem::path& path) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return outcome::failure(file_error(Errc::unavailable, what, path, "cannot open its folder: " + errno_text()));
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return outcome::failure(file_error(Errc::unavailable, what, path, "cannot sync its folder"));
  return ok();
}

Status check_open_file(int fd, const std::filesystem::path& path, std::string_view what) {
  struct stat info {};
  if (::fstat(fd, &info) != 0)
    return outcome::failure(file_error(Errc::unavailable, what, path, "cannot be examined: " + errno_text()));
  if (!S_ISREG(info.st_mode))
    return outcome::failure(file_error(Errc::failed_precondition, what, path, "is not a regular file"));
  if (info.st_uid != ::geteuid())
    return outcome::failure(file_error(Errc::failed_precondition, what, path,
                                       "belongs to another user; it must be the server's own (chown it)"));
  if ((info.st_mode & 077) != 0)
    return outcome::failure(
        file_error(Errc::failed_precondition, what, path, "is readable or writable by group or others; chmod 600 it"));
  return ok();
}

int open_existing(const std::filesystem::path& path) {
  return ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
}

}  // namespace

Status create_secret_file(const std::filesystem::path& path, std::string_view bytes, std::string_view what) {
  const std::filesystem::path folder = path.parent_path();
  PLACEMENT_TRY(suffix, random_suffix());
  const std::filesystem::path temporary = folder / ("." + path.filename().string() + "." + suffix + ".tmp");
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return outcome::failure(file_error(Errc::unavailable, what, path, "cannot be created: " + errno_text()));
  bool written = ::fchmod(fd, 0600) == 0;  // whatever the umask
  for (std::size_t done = 0; written && done < bytes.size();) {
    const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) written = false;
    else done += static_cast<std::size_t>(wrote);
  }
  written = written && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(temporary.c_str());
    return outcome::failure(file_error(Errc::unavailable, what, path, "cannot be written"));
  }
  if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    if (error == EEXIST)
      return outcome::failure(file_error(Errc::already_exists, what, path, "exists already (made by someone else?)"));
    return outcome::failure(
        file_error(Errc::unavailable, what, path, std::string("cannot be put in place: ") + std::strerror(error)));
  }
  return sync_folder(folder, what, path);
}

Status check_secret_file(const std::filesystem::path& path, std::string_view what) {
  const int fd = open_existing(path);
  if (fd < 0) {
    if (errno == ENOENT) return outcome::failure(file_error(Errc::not_found, what, path, "does not exist"));
    if (errno == ELOOP)
      return outcome::failure(
          file_error(Errc::failed_precondition, what, path, "is a symbolic link; give the file itself"));
    return outcome::failure(file_error(Errc::unavailable, what, path, "cannot be opened: " + errno_text()));
  }
  auto checked = check_open_file(fd, path, what);
  ::close(fd);
  return checked;
}

Result<std::string> read_secret_file(const std::filesystem::path& path, std::string_view what) {
  PLACEMENT_TRY(check_secret_file(path, what));
  const int fd = open_existing(path);
  if (fd < 0) return outcome::failure(file_error(Errc::unavailable, what, path, "cannot be opened: " + errno_text()));
  // Checked again on what was opened: the name may have been swapped since.
  if (auto checked = check_open_file(fd, path, what); !checked) {
    ::close(fd);
    return outcome::failure(checked.error());
  }
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      ::close(fd);
      return outcome::failure(file_error(Errc::unavailable, what, path, "cannot be read: " + errno_text()));
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > (1u << 20)) {
      ::close(fd);
      return outcome::failure(file_error(Errc::invalid_argument, what, path, "is larger than 1 MB"));
    }
  }
  ::close(fd);
  return text;
}

Result<bool> make_private_folder(const std::filesystem::path& folder, std::string_view what) {
  struct stat info {};
  if (::lstat(folder.c_str(), &info) != 0) {
    if (errno != ENOENT)
      return outcome::failure(file_error(Errc::unavailable, what, folder, "cannot be examined: " + errno_text()));
    std::error_code ec;
    if (folder.has_parent_path()) std::filesystem::create_directories(folder.parent_path(), ec);
    if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST)
      return outcome::failure(file_error(Errc::unavailable, what, folder, "cannot be created: " + errno_text()));
    if (::lstat(folder.c_str(), &info) != 0)
      return outcome::failure(file_error(Errc::unavailable, what, folder, "cannot be examined: " + errno_text()));
  }
  if (S_ISLNK(info.st_mode))
    return outcome::failure(
        file_error(Errc::failed_precondition, what, folder, "is a symbolic link; give the folder itself"));
  if (!S_ISDIR(info.st_mode))
    return outcome::failure(file_error(Errc::failed_precondition, what, folder, "is not a folder"));
  if ((info.st_mode & 077) == 0) return false;
  if (::chmod(folder.c_str(), 0700) != 0)
    return outcome::failure(file_error(Errc::unavailable, what, folder, "cannot be made owner-only: " + errno_text()));
  return true;
}

}  // namespace placement::files
