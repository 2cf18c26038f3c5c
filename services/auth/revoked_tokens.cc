#include "services/auth/revoked_tokens.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "services/auth/claims.h"

namespace placement::auth {
namespace {

std::int64_t seconds_of(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

// How long a revocation matters: a token revoked with it has expired by then.
constexpr std::int64_t kKeepSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(kMaxLifetime).count() + 2 * kClockSkew.count();

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

auto io_error(const std::string& what, const std::filesystem::path& path) {
  return fail(Errc::unavailable, what + " " + path.string() + ": " + std::strerror(errno));
}

// Syncs the folder, so a file just created is found after a crash.
Status sync_parent(const std::filesystem::path& path) {
  const auto parent = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  const int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return io_error("cannot open the folder of", path);
  const int synced = ::fsync(dir);
  ::close(dir);
  if (synced != 0) return io_error("cannot sync the folder of", path);
  return ok();
}

}  // namespace

Result<std::unique_ptr<RevokedTokens>> RevokedTokens::open(const std::filesystem::path& path,
                                                           std::chrono::system_clock::time_point now) {
  const bool existed = std::filesystem::exists(path);
  const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return io_error("cannot open the revoked tokens file", path);
  std::unique_ptr<RevokedTokens> revoked(new RevokedTokens(path, fd));
  struct stat info {};
  if (::fstat(fd, &info) != 0) return io_error("cannot stat", path);
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return fail(Errc::invalid_argument,
                "the revoked tokens file " + path.string() + " may be written by others: chmod 600 it");
  if (!existed) {
    PLACEMENT_TRY(sync_parent(path));
  }
  std::string text;
  char buffer[4096];
  for (ssize_t got; (got = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()))) != 0;) {
    if (got < 0) return io_error("cannot read", path);
    text.append(buffer, static_cast<std::size_t>(got));
  }
  std::istringstream lines(text);
  const std::int64_t oldest = seconds_of(now) - kKeepSeconds;
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    std::istringstream fields(line);
    std::string id;
    std::int64_t at = 0;
    // A torn last line (a crash mid-append, before its sync returned) was never acknowledged.
    if (!(fields >> id >> at) || !valid_id(id)) {
      if (lines.peek() == EOF) break;
      return fail(Errc::data_loss, path.string() + " line " + std::to_string(number) + " is not `<jti> <seconds>`");
    }
    if (at >= oldest) revoked->revoked_at_[id] = at;
  }
  return revoked;
}

RevokedTokens::~RevokedTokens() { ::close(fd_); }

bool RevokedTokens::contains(std::string_view token_id) const {
  std::shared_lock lock(mutex_);
  return revoked_at_.contains(std::string(token_id));
}

std::size_t RevokedTokens::size() const {
  std::shared_lock lock(mutex_);
  return revoked_at_.size();
}

Result<bool> RevokedTokens::revoke(std::string_view token_id, std::chrono::system_clock::time_point now) {
  if (!valid_id(token_id))
    return fail(Errc::invalid_argument, "token_id must be 1 to 128 printable characters without spaces");
  std::lock_guard append(append_mutex_);
  if (contains(token_id)) return false;
  const std::int64_t at = seconds_of(now);
  const std::string line = std::string(token_id) + " " + std::to_string(at) + "\n";
  struct stat before {};
  if (::fstat(fd_, &before) != 0) return io_error("cannot stat", path_);
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    const std::string why = std::strerror(errno);
    // No torn line stays behind for the next append to follow.
    const bool truncated = ::ftruncate(fd_, before.st_size) == 0;
    return fail(Errc::unavailable, "cannot append to " + path_.string() + ": " + why +
                                       (truncated ? "" : " (and cannot cut the torn line off)"));
  }
  if (::fdatasync(fd_) != 0) return io_error("cannot sync", path_);
  std::unique_lock lock(mutex_);
  revoked_at_[std::string(token_id)] = at;
  return true;
}

}  // namespace placement::auth
