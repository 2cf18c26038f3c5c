#pragma once
// Online backups of the RocksDB log with RocksDB's BackupEngine, and restore into a new folder.
// A backup is consistent (one point in the log) while writes go on; backups in one folder share
// unchanged files, so later backups are incremental.

#include <cstdint>
#include <string>
#include <vector>

#include "services/base/result.h"
#include "storage/rocksdb_event_log.h"

namespace placement::storage {

struct BackupSummary {
  std::uint32_t backup_id = 0;
  std::uint64_t size_bytes = 0;
  std::uint32_t files = 0;
  std::int64_t created_unix_seconds = 0;
};

// Takes a backup of the open log into backup_dir (created when missing).
Result<BackupSummary> create_backup(RocksDbEventLog& log, const std::string& backup_dir);

// Lists the backups in backup_dir, oldest first.
Result<std::vector<BackupSummary>> list_backups(const std::string& backup_dir);

// Restores the latest backup of backup_dir into data_dir, which must not exist or be empty:
// a restore never overwrites a ledger.
Status restore_latest_backup(const std::string& backup_dir, const std::string& data_dir);

}  // namespace placement::storage
