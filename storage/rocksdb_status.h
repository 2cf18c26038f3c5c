#pragma once
// The one place where a rocksdb::Status becomes our Error. Every storage call that receives a
// status from RocksDB (the log, its snapshots, backups) converts it here. The message is always
// "<what>: <RocksDB's text>"; the code depends on the status and on which calls it came from.

#include <string_view>

#include <rocksdb/status.h>

#include "services/base/result.h"

namespace placement::storage {

// Which calls a failed status came from; each classifies statuses its own way (see errc_of).
enum class StatusSource {
  // The log and its snapshot store: conditions a later retry can outlast (I/O error, no space,
  // busy, timed out, try again, shutting down) are unavailable; corruption is data_loss;
  // anything else is internal.
  log,
  // BackupEngine calls: I/O errors (no space included) are unavailable; anything else,
  // corruption of a backup included, is internal.
  backup,
};

// The code of a failed status. Only for statuses that are not ok().
Errc errc_of(const rocksdb::Status& status, StatusSource source = StatusSource::log);

// A failed status as our Error, classified by errc_of.
Error from_rocksdb(const rocksdb::Status& status, std::string_view what, StatusSource source = StatusSource::log);

// A failed status as our Error with a code the caller decides (a call whose every failure
// means one thing), in the same message format.
Error from_rocksdb(Errc code, const rocksdb::Status& status, std::string_view what);

// True when DB::Open failed because another process holds the folder's lock.
bool is_lock_held(const rocksdb::Status& status);

}  // namespace placement::storage
