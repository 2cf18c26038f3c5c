#pragma once
// The embedded default event log, on RocksDB. Column families:
//   events   position (u64 BE)            → hash (32 bytes) || envelope bytes
//   streams  stream id 0x00 version (BE)  → position (u64 BE)
//   commands command id                   → first position || last position
//   meta     "head" → position || hash;  "format" → format version;  "log-id";
//            "verified" → position || hash of the last event whose chain was verified (integrity_check.h)
//   snapshots position (u64 BE)          → SHA-256(hash of the event at position || bytes) || bytes
//   merkle   level (1) || index (u64 BE)  → hash of a complete subtree (merkle_tree.h); meta "merkle-size"
//   checkpoints tree size (u64 BE)        → signed checkpoint note (checkpoint_store.h)
// Every append is one WriteBatch written with sync=true.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "storage/checkpoint_store.h"
#include "storage/disk_space.h"
#include "storage/event_log.h"
#include "storage/log_records.h"  // decode_record, for tests and offline tools
#include "storage/merkle_tree.h"
#include "storage/snapshot_store.h"

namespace rocksdb {
class DB;
class Env;
class ColumnFamilyHandle;
class EventListener;
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
  // Called once when the log's disk has failed for good: RocksDB reports a background or WAL
  // error it cannot recover from (severity fatal or worse), or resuming after a failed write
  // failed kMaxFailedResumes times in a row. From then on every append is refused
  // (Errc::unavailable) and nothing more is written. Runs on the thread that found the failure
  // (the writer, or a RocksDB thread holding RocksDB's own mutex): it must not block and must
  // not call into the log.
  std::function<void(const std::string& why)> on_disk_failed = nullptr;
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
  // Stores events another log already ordered and chained (the etcd log: this folder is then the
  // node's archive of it), exactly as given: the first must follow the head, each must link to
  // the one before and carry its own hash, and their stream and command records are derived from
  // the envelopes. One synced WriteBatch with the Merkle tree's nodes, as append. data_loss for
  // events that do not continue the chain (nothing is written). Writer thread only.
  Status append_replicated(std::span<const LoggedEvent> events);
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

  // After a failed write, RocksDB is asked to resume at most once per kResumeInterval; after
  // kMaxFailedResumes failures in a row the disk counts as failed (RocksDbOptions::on_disk_failed).
  static constexpr int kMaxFailedResumes = 5;
  static constexpr std::chrono::milliseconds kResumeInterval{1000};
  // Why the log's disk failed for good; nullopt while it works. Safe from any thread.
  std::optional<std::string> disk_failure() const;

  // The verified mark (meta "verified"): the last event up to which the chain was verified from
  // the first event, with the hash it had then. nullopt when never verified (a folder from
  // before the mark). put_verified_mark writes it synced, from any thread, concurrently with
  // append (it shares no key with an append's batch).
  Result<std::optional<Head>> verified_mark() const;
  Status put_verified_mark(const Head& mark);
  // The hash stored with the event at `position` (not recomputed); not_found past the log.
  Result<std::string> stored_hash_at(Position position) const;

  // The table files RocksDB holds now, every family, and a check of one file's block checksums
  // read from the file itself (its own reader: the database's block cache cannot hide a damaged
  // block). A file compaction removed since the listing verifies as gone (true). data_loss names
  // the file when a checksum does not match. Safe from any thread.
  struct TableFile {
    std::string path;
    std::string family;
    std::uint64_t bytes = 0;
    std::string smallest_key;
    std::string largest_key;
  };
  Result<std::vector<TableFile>> table_files() const;
  Status verify_table_file(const TableFile& file) const;

  // Snapshots (snapshot_store.h). A cache, rebuilt from the log: written without the write-ahead
  // log and flushed to a table file of the snapshots family before put_snapshot returns, so the
  // next open never reads one back from a WAL. The newest kKeptSnapshots are kept.
  static constexpr std::size_t kKeptSnapshots = 2;
  Status put_snapshot(Position position, std::string_view bytes) override;
  Result<std::optional<StoredSnapshot>> snapshot_at_or_before(Position at_or_before) const override;
  Result<NewestSnapshot> newest_snapshot_or_discard(Position at_or_before) override;

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
  // Marks the disk as failed for good (once; later calls change nothing) and tells
  // RocksDbOptions::on_disk_failed. Any thread.
  void declare_disk_failed(const std::string& why);

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
  // Writer thread only: failed DB::Resume() calls in a row, when the next may be tried, and the
  // error the appends meanwhile get.
  int failed_resumes_ = 0;
  std::chrono::steady_clock::time_point next_resume_;
  Error resume_error_{Errc::unavailable, ""};
  // The failure for good (declare_disk_failed); disk_failed_ is set once disk_failure_ is.
  mutable std::mutex disk_failure_mutex_;
  std::optional<std::string> disk_failure_;
  std::atomic<bool> disk_failed_{false};
  std::function<void(const std::string&)> on_disk_failed_;
  // Tells declare_disk_failed of RocksDB's background errors of fatal severity; registered with
  // the database, so it lives as long as db_.
  std::shared_ptr<rocksdb::EventListener> error_listener_;
  // The data folder's free-space reserve: check_write on the writer thread only, check_snapshot
  // from put_snapshot's thread.
  DiskReserve disk_reserve_;
  // Its frontier is writer-only; its reads are safe from any thread.
  MerkleTree merkle_;
  // Writer-only cache of stream versions, filled lazily from the streams family.
  std::unordered_map<std::string, std::uint64_t> stream_versions_;
};

}  // namespace placement::storage
