#pragma once
// The embedded default event log, on RocksDB. Column families:
//   events   position (u64 BE)            → hash (32 bytes) || envelope bytes
//   streams  stream id 0x00 version (BE)  → position (u64 BE)
//   commands command id                   → first position || last position
//   meta     "head" → position || hash;  "format" → format version;  "log-id"
//   snapshots position (u64 BE)          → SHA-256(hash of the event at position || bytes) || bytes
//   merkle   level (1) || index (u64 BE)  → hash of a complete subtree (merkle_tree.h); meta "merkle-size"
//   checkpoints tree size (u64 BE)        → signed checkpoint note (checkpoint_store.h)
// Every append is one WriteBatch written with sync=true.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "storage/checkpoint_store.h"
#include "storage/disk_space.h"
#include "storage/event_log.h"
#include "storage/merkle_tree.h"
#include "storage/snapshot_store.h"

namespace rocksdb {
class DB;
class Env;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace placement::storage {

struct RocksDbOptions {
  // Create the folder and a new log when it does not exist. A folder that exists but is not a
  // placement ledger is refused either way.
  bool create_if_missing = true;
  // Writes are refused (Errc::unavailable) while the file system holding the log is read-only or
  // has less free space than this, so RocksDB never meets a full or read-only disk mid-write;
  // they resume by themselves once that changes. 0 disables the space check.
  std::uint64_t min_free_bytes = 64ull << 20;
  // The environment RocksDB does its file I/O through; nullptr for the real one. Tests give a
  // fault-injecting one (tests/support/power_cut_file_system.h).
  rocksdb::Env* env = nullptr;
};

class RocksDbEventLog final : public EventLog, public SnapshotStore, public CheckpointStore {
 public:
  // Opens (or creates) the log in dir. Fails with a clear message when the folder is locked by
  // another process, unreadable, foreign or of another format.
  static Result<std::unique_ptr<RocksDbEventLog>> open(const std::string& dir, const RocksDbOptions& options = {});

  ~RocksDbEventLog() override;
  RocksDbEventLog(const RocksDbEventLog&) = delete;
  RocksDbEventLog& operator=(const RocksDbEventLog&) = delete;

  AppendBatchOutcome append(std::vector<AppendRequest> requests) override;
  Result<std::vector<LoggedEvent>> read_forward(Position from, std::size_t max) const override;
  // One iterator over the events family, bounded at up_to (or the head), each record's bytes
  // handed over in place.
  Status visit_forward(Position from, Position up_to, const StoredEventVisitor& visit) const override;
  Result<std::vector<LoggedEvent>> read_stream(const std::string& stream_id, StreamVersion from,
                                               std::size_t max) const override;
  Result<StreamVersion> stream_version(const std::string& stream_id) const override;
  Result<std::optional<AppendResult>> find_command(const std::string& command_id) const override;
  Result<ChainReport> verify_chain(Position from, Position to) const override;
  Head head() const override;

  // Snapshots (snapshot_store.h). A cache, rebuilt from the log: written without the write-ahead
  // log and flushed to a table file of the snapshots family before put_snapshot returns, so the
  // next open never reads one back from a WAL. The newest kKeptSnapshots are kept.
  static constexpr std::size_t kKeptSnapshots = 2;
  Status put_snapshot(Position position, std::string_view bytes) override;
  Result<std::optional<StoredSnapshot>> snapshot_at_or_before(Position at_or_before) const override;

  // Checkpoints (checkpoint_store.h): synced, never dropped.
  Status put_checkpoint(std::uint64_t tree_size, std::string_view note) override;
  Result<std::optional<StoredCheckpoint>> checkpoint_at(std::uint64_t tree_size) const override;
  Result<std::optional<StoredCheckpoint>> latest_checkpoint() const override;
  Result<std::optional<StoredCheckpoint>> checkpoint_at_or_after(std::uint64_t tree_size) const override;

  // The Merkle tree over the log, kept in every append's batch (merkle_tree.h). Its reads are
  // safe from any thread for tree sizes up to head().position.
  const MerkleTree& merkle() const { return merkle_; }

  // A RocksDB integer property summed over the column families (e.g. "rocksdb.total-sst-files-size"),
  // for metrics; nullopt when RocksDB does not know it.
  std::optional<std::uint64_t> aggregated_property(const std::string& name) const;

  // For tests and tools that must reach below the contract (tamper tests, backups).
  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle& events_family() { return *events_; }
  rocksdb::ColumnFamilyHandle& snapshots_family() { return *snapshots_; }
  rocksdb::ColumnFamilyHandle& merkle_family() { return *merkle_family_; }
  rocksdb::ColumnFamilyHandle& meta_family() { return *meta_; }
  rocksdb::ColumnFamilyHandle& checkpoints_family() { return *checkpoints_; }

 private:
  // Each member function is defined in the file of its phase (storage/README.md).
  RocksDbEventLog() = default;
  Result<void> load_head();
  void set_head(Head head);
  Result<LoggedEvent> read_at(std::uint64_t position) const;
  // Before an append: refuses it while the disk reserve refuses writes, and asks RocksDB to
  // resume after a failed write. Writer thread only.
  Status ensure_writable();

  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* streams_ = nullptr;
  rocksdb::ColumnFamilyHandle* commands_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  rocksdb::ColumnFamilyHandle* snapshots_ = nullptr;
  rocksdb::ColumnFamilyHandle* merkle_family_ = nullptr;
  rocksdb::ColumnFamilyHandle* checkpoints_ = nullptr;
  rocksdb::ColumnFamilyHandle* default_ = nullptr;

  mutable std::mutex head_mutex_;  // guards head_ for readers; the writer is the only mutator
  Head head_;
  // Set after a write failed (disk full, I/O error): RocksDB then refuses writes until resumed,
  // so the next append first asks it to resume. Writer thread only.
  bool needs_resume_ = false;
  // The data folder's free-space reserve: check_write on the writer thread only, check_snapshot
  // from put_snapshot's thread.
  DiskReserve disk_reserve_;
  // Its frontier is writer-only; its reads are safe from any thread.
  MerkleTree merkle_;
  // Writer-only cache of stream versions, filled lazily from the streams family.
  std::unordered_map<std::string, std::uint64_t> stream_versions_;
};

// Decodes one stored record of the events family. Exposed for tests and offline tools.
Result<LoggedEvent> decode_record(std::uint64_t position, std::string_view value);

}  // namespace placement::storage
