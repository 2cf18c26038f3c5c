#pragma once
// The free-space reserve of the file system holding the data folder: writes are refused
// (Errc::unavailable) before RocksDB meets a full or read-only disk mid-write, and go through
// again by themselves once space is freed or the file system is writable.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "services/base/result.h"

namespace placement::storage {

struct DiskSpace {
  bool read_only = false;
  std::uint64_t free_bytes = 0;  // available to an unprivileged writer
};

// What the file system holding path reports; nullopt when it cannot be asked.
std::optional<DiskSpace> disk_space_of(const std::string& path);

class DiskReserve {
 public:
  using Probe = std::function<std::optional<DiskSpace>(const std::string& path)>;

  // Checks nothing: every write goes through.
  DiskReserve() = default;
  // min_free_bytes 0 disables the reserve for log writes; read-only is refused either way.
  DiskReserve(std::string dir, std::uint64_t min_free_bytes, Probe probe = disk_space_of);

  // Before a log write: refused while the file system is read-only or has less free space than
  // the reserve. Logs once when refusals start and once when they end. Lets the write through
  // when the file system cannot be asked (the write itself then decides). Writer thread only.
  Status check_write();

  // Before writing a snapshot of `bytes`: refused while the file system is read-only or has less
  // free space than the reserve plus twice the snapshot (its new file, and the one it replaces
  // until that is compacted away), so a snapshot never takes the space the log's writes need.
  // Logs nothing and changes nothing: safe from any thread, concurrently with check_write.
  Status check_snapshot(std::uint64_t bytes) const;

 private:
  std::string dir_;
  std::uint64_t min_free_bytes_ = 0;
  Probe probe_;
  bool refusing_ = false;  // writer thread only: check_write's last answer was a refusal
};

}  // namespace placement::storage
