#include "storage/disk_space.h"

#include <sys/statvfs.h>

#include <utility>

#include <spdlog/spdlog.h>

namespace placement::storage {

std::optional<DiskSpace> disk_space_of(const std::string& path) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) != 0) return std::nullopt;
  return DiskSpace{(fs.f_flag & ST_RDONLY) != 0, static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize};
}

DiskReserve::DiskReserve(std::string dir, std::uint64_t min_free_bytes, Probe probe)
    : dir_(std::move(dir)), min_free_bytes_(min_free_bytes), probe_(std::move(probe)) {}

Status DiskReserve::check_write() {
  if (!probe_) return ok();
  const std::optional<DiskSpace> space = probe_(dir_);
  if (!space) return ok();  // cannot tell: let the write itself decide
  if (space->read_only) {
    const std::string message = "the data folder's file system is read-only; writes resume when it is writable";
    if (!refusing_) spdlog::error("{}", message);
    refusing_ = true;
    return fail(Errc::unavailable, message);
  }
  if (min_free_bytes_ == 0 || space->free_bytes >= min_free_bytes_) {
    if (refusing_) spdlog::info("the data folder is writable with space above the reserve again; writes resume");
    refusing_ = false;
    return ok();
  }
  const std::string message = "the disk holding the data folder has " + std::to_string(space->free_bytes >> 20) +
                              " MiB free, below the reserve of " + std::to_string(min_free_bytes_ >> 20) +
                              " MiB; writes resume when space is freed";
  if (!refusing_) spdlog::error("{}", message);
  refusing_ = true;
  return fail(Errc::unavailable, message);
}

Status DiskReserve::check_snapshot(std::uint64_t bytes) const {
  if (!probe_) return ok();
  const std::optional<DiskSpace> space = probe_(dir_);
  if (!space) return ok();  // cannot tell: let the write itself decide
  if (space->read_only || space->free_bytes < min_free_bytes_ + 2 * bytes)
    return fail(Errc::unavailable, "no room for a snapshot of " + std::to_string(bytes >> 20) +
                                       " MiB beside the reserve; the log is replayed instead");
  return ok();
}

}  // namespace placement::storage
