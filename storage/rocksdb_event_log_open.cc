// RocksDbEventLog, opening and closing: refusing folders that are not a ledger of this format,
// the column families and their options, creating a new log, reading the head back, close.
#include "storage/rocksdb_event_log.h"

#include <algorithm>
#include <filesystem>

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/listener.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/log_records.h"
#include "storage/merkle_family_options.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {
namespace {

namespace fs = std::filesystem;

constexpr const char* kEvents = "events";
constexpr const char* kStreams = "streams";
constexpr const char* kCommands = "commands";
constexpr const char* kMeta = "meta";
// Not required to exist: a ledger without it (written before snapshots existed) gains it on open.
constexpr const char* kSnapshots = "snapshots";
// Not required to exist either: a ledger written before the Merkle tree gains it, caught up from
// the events, on open.
constexpr const char* kMerkle = "merkle";
constexpr const char* kCheckpoints = "checkpoints";

rocksdb::ColumnFamilyOptions family_options(bool point_lookups) {
  rocksdb::ColumnFamilyOptions options;
  if (point_lookups) {
    // streams and commands are probed by key on every append: a bloom filter keeps misses cheap.
    rocksdb::BlockBasedTableOptions table;
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  }
  return options;
}

// Snapshots are a few large values (hundreds of MB at national scale), written whole and read
// whole. In blob files, the family's table files hold only small references: compaction never
// rewrites a snapshot (1.3 GB a time at national scale, competing with the next start), a lookup
// reads one snapshot and not its neighbours in the same data block, and nothing is decompressed
// (snappy saves 17 % of a snapshot's size for a decompression on every start).
rocksdb::ColumnFamilyOptions snapshot_family_options() {
  rocksdb::ColumnFamilyOptions options = family_options(false);
  options.enable_blob_files = true;
  options.min_blob_size = 0;
  options.blob_compression_type = rocksdb::kNoCompression;
  return options;
}

// RocksDB's background errors (a failed flush, compaction or WAL write) as they are set: one of
// fatal severity or worse never clears in this RocksDB (DB::Resume() refuses it), so the log's
// disk counts as failed at once. Called by RocksDB with its mutex held: only records and tells.
class FatalErrorListener final : public rocksdb::EventListener {
 public:
  explicit FatalErrorListener(std::function<void(const std::string&)> declare) : declare_(std::move(declare)) {}
  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) override {
    if (error && error->severity() >= rocksdb::Status::kFatalError) declare_(error->ToString());
  }

 private:
  std::function<void(const std::string&)> declare_;
};

bool folder_is_empty_or_missing(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

// Refuses a folder that is neither empty nor a placement ledger, before RocksDB touches it.
Status check_folder(const std::string& dir, bool fresh, const RocksDbOptions& opts) {
  const fs::path path(dir);
  std::error_code ec;
  if (!fresh && !fs::is_directory(path, ec))
    return fail(Errc::invalid_argument, "data folder " + dir + " is not a folder");
  if (!fresh && !fs::exists(path / "CURRENT", ec))
    return fail(Errc::failed_precondition,
                "data folder " + dir + " is not empty and holds no placement ledger; refusing to touch it");
  if (fresh && !opts.create_if_missing)
    return fail(Errc::not_found, "data folder " + dir + " holds no placement ledger");
  return ok();
}

// Only a ledger's own families may be added to (the snapshots family, to a ledger older than
// it); a RocksDB database that lacks the log's families is someone else's and stays untouched.
Result<rocksdb::DBOptions> db_options_for(const std::string& dir, bool fresh, rocksdb::Env* env) {
  rocksdb::DBOptions db_options;
  if (env) db_options.env = env;
  db_options.create_if_missing = fresh;
  db_options.create_missing_column_families = fresh;
  if (!fresh) {
    std::vector<std::string> existing;
    if (auto listed = rocksdb::DB::ListColumnFamilies(db_options, dir, &existing); listed.ok()) {
      const auto has = [&](std::string_view name) {
        return std::find(existing.begin(), existing.end(), name) != existing.end();
      };
      if (!has(kEvents) || !has(kStreams) || !has(kCommands) || !has(kMeta))
        return fail(Errc::failed_precondition,
                    "data folder " + dir +
                        " is a RocksDB database but not a placement ledger (it lacks the log's column families)");
      db_options.create_missing_column_families = true;
    }
  }
  db_options.paranoid_checks = true;
  // A torn tail record after a crash is dropped; it can only be an unacknowledged write.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  return db_options;
}

// The families in the order open() assigns the handles.
std::vector<rocksdb::ColumnFamilyDescriptor> family_descriptors() {
  return {
      {rocksdb::kDefaultColumnFamilyName, family_options(false)},
      {kEvents, family_options(false)},
      {kStreams, family_options(true)},
      {kCommands, family_options(true)},
      {kMeta, family_options(false)},
      {kSnapshots, snapshot_family_options()},
      {kMerkle, merkle_family_options()},
      {kCheckpoints, family_options(false)},
  };
}

Error open_error(const rocksdb::Status& status, const std::string& dir) {
  const std::string text = status.ToString();
  if (is_lock_held(status))
    return Error{Errc::unavailable, "data folder " + dir + " is locked: another placementd is using it (" + text + ")"};
  if (status.IsInvalidArgument())
    return Error{Errc::failed_precondition,
                 "data folder " + dir + " is a RocksDB database but not a placement ledger (" + text + ")"};
  return from_rocksdb(status, "cannot open data folder " + dir);
}

// A new log gets its format marker and log id in one synced write; an existing one must carry
// this server's format.
Status check_or_write_format(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta, const std::string& dir, bool fresh) {
  std::string format;
  rocksdb::Status got = db.Get(rocksdb::ReadOptions(), meta, std::string(kMetaFormat), &format);
  if (got.IsNotFound()) {
    if (!fresh) return fail(Errc::failed_precondition, "data folder " + dir + " has no placement ledger format marker");
    rocksdb::WriteBatch batch;
    batch.Put(meta, std::string(kMetaFormat), std::string(kFormatVersion));
    batch.Put(meta, std::string(kMetaLogId), detail::random_id());
    rocksdb::WriteOptions sync;
    sync.sync = true;
    if (auto s = db.Write(sync, &batch); !s.ok())
      return outcome::failure(from_rocksdb(s, "cannot initialise data folder " + dir));
  } else if (!got.ok()) {
    return outcome::failure(from_rocksdb(got, "cannot read format of " + dir));
  } else if (format != kFormatVersion) {
    return fail(Errc::failed_precondition, "data folder " + dir + " has format '" + format + "', this server reads '" +
                                               std::string(kFormatVersion) + "'");
  }
  return ok();
}

}  // namespace

Result<std::unique_ptr<RocksDbEventLog>> RocksDbEventLog::open(const std::string& dir, const RocksDbOptions& opts) {
  const bool fresh = folder_is_empty_or_missing(fs::path(dir));
  PLACEMENT_TRY(check_folder(dir, fresh, opts));
  PLACEMENT_TRY(db_options, db_options_for(dir, fresh, opts.env));

  std::unique_ptr<RocksDbEventLog> log(new RocksDbEventLog());
  log->on_disk_failed_ = opts.on_disk_failed;
  log->error_listener_ = std::make_shared<FatalErrorListener>(
      [log = log.get()](const std::string& why) { log->declare_disk_failed(why); });
  db_options.listeners.push_back(log->error_listener_);

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(db_options, dir, family_descriptors(), &handles, &raw);
  if (!status.ok()) return outcome::failure(open_error(status, dir));
  log->db_.reset(raw);
  log->disk_reserve_ = DiskReserve(dir, opts.min_free_bytes);
  log->default_ = handles[0];
  log->events_ = handles[1];
  log->streams_ = handles[2];
  log->commands_ = handles[3];
  log->meta_ = handles[4];
  log->snapshots_ = handles[5];
  log->merkle_family_ = handles[6];
  log->checkpoints_ = handles[7];

  PLACEMENT_TRY(check_or_write_format(*log->db_, log->meta_, dir, fresh));
  PLACEMENT_TRY(log->load_head());
  PLACEMENT_TRY(log->merkle_.open(*log->db_, log->merkle_family_, log->events_, log->meta_));
  PLACEMENT_TRY(log->merkle_.catch_up(*log, log->head().position.value));
  return log;
}

RocksDbEventLog::~RocksDbEventLog() {
  if (!db_) return;
  for (auto* handle : {default_, events_, streams_, commands_, meta_, snapshots_, merkle_family_, checkpoints_})
    if (handle) (void)db_->DestroyColumnFamilyHandle(handle);
  (void)db_->Close();
}

Result<void> RocksDbEventLog::load_head() {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), meta_, std::string(kMetaHead), &value);
  Head head{Position{0}, genesis_hash()};
  if (status.ok()) {
    auto decoded = detail::decode_head_record(value);
    if (!decoded) return fail(Errc::data_loss, "the log's head record is malformed");
    head = std::move(*decoded);
  } else if (!status.IsNotFound()) {
    return outcome::failure(from_rocksdb(status, "cannot read the log's head"));
  }
  // The head record and the last event are written in the same batch; they must agree.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
  it->SeekToLast();
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read the log"));
  const std::uint64_t last = it->Valid() ? decode_u64(it->key().ToStringView()).value_or(0) : 0;
  if (last != head.position.value)
    return fail(Errc::data_loss, "the log's head record says " + std::to_string(head.position.value) +
                                     " but the last event is at " + std::to_string(last));
  set_head(std::move(head));
  return outcome::success();
}

}  // namespace placement::storage
