#include "storage/rocksdb_status.h"

#include <string>

namespace placement::storage {

Errc errc_of(const rocksdb::Status& status, StatusSource source) {
  switch (source) {
    case StatusSource::log:
      if (status.IsIOError() || status.IsNoSpace() || status.IsBusy() || status.IsTimedOut() || status.IsTryAgain() ||
          status.IsShutdownInProgress())
        return Errc::unavailable;
      if (status.IsCorruption()) return Errc::data_loss;
      return Errc::internal;
    case StatusSource::backup: return status.IsNoSpace() || status.IsIOError() ? Errc::unavailable : Errc::internal;
  }
  return Errc::internal;
}

Error from_rocksdb(const rocksdb::Status& status, std::string_view what, StatusSource source) {
  return from_rocksdb(errc_of(status, source), status, what);
}

Error from_rocksdb(Errc code, const rocksdb::Status& status, std::string_view what) {
  return Error{code, std::string(what) + ": " + status.ToString()};
}

bool is_lock_held(const rocksdb::Status& status) {
  // RocksDB gives a held lock no code or subcode of its own ("IO error: While lock file: ...:
  // Resource temporarily unavailable"), so this matches on the text: any text containing "lock"
  // counts, one naming a "block" included.
  const std::string text = status.ToString();
  return text.find("lock") != std::string::npos || text.find("Resource temporarily unavailable") != std::string::npos;
}

}  // namespace placement::storage
