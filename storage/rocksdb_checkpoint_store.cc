// RocksDbEventLog as a CheckpointStore: checkpoints family, tree size (u64 BE) → signed note.
// Written synced from any thread (the checkpointer's, an RPC's), concurrently with append; they
// share no writer-only state.
#include "storage/rocksdb_event_log.h"

#include <rocksdb/db.h>

#include "storage/keys.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {
namespace {

Result<std::optional<StoredCheckpoint>> at_iterator(rocksdb::Iterator& it) {
  if (!it.status().ok()) return outcome::failure(from_rocksdb(it.status(), "cannot read the checkpoints"));
  if (!it.Valid()) return std::optional<StoredCheckpoint>();
  const auto size = decode_u64(it.key().ToStringView());
  if (!size) return fail(Errc::data_loss, "malformed key in the checkpoints family");
  return std::optional<StoredCheckpoint>(StoredCheckpoint{*size, it.value().ToString()});
}

}  // namespace

Status RocksDbEventLog::put_checkpoint(std::uint64_t tree_size, std::string_view note) {
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (const auto status = db_->Put(sync, checkpoints_, encode_u64(tree_size), rocksdb::Slice(note.data(), note.size()));
      !status.ok())
    return outcome::failure(from_rocksdb(status, "cannot store the checkpoint"));
  return ok();
}

Result<std::optional<StoredCheckpoint>> RocksDbEventLog::checkpoint_at(std::uint64_t tree_size) const {
  std::string note;
  const auto status = db_->Get(rocksdb::ReadOptions(), checkpoints_, encode_u64(tree_size), &note);
  if (status.IsNotFound()) return std::optional<StoredCheckpoint>();
  if (!status.ok()) return outcome::failure(from_rocksdb(status, "cannot read the checkpoint"));
  return std::optional<StoredCheckpoint>(StoredCheckpoint{tree_size, std::move(note)});
}

Result<std::optional<StoredCheckpoint>> RocksDbEventLog::latest_checkpoint() const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), checkpoints_));
  it->SeekToLast();
  return at_iterator(*it);
}

Result<std::optional<StoredCheckpoint>> RocksDbEventLog::checkpoint_at_or_after(std::uint64_t tree_size) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), checkpoints_));
  it->Seek(encode_u64(tree_size));
  return at_iterator(*it);
}

}  // namespace placement::storage
