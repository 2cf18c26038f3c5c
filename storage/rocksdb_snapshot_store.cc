// RocksDbEventLog as a SnapshotStore: snapshots in the snapshots family, each bound to the hash
// of the event at its position. A cache beside the log: written without the write-ahead log and
// flushed before put_snapshot returns. put_snapshot may run on its own thread (the snapshot
// taker) concurrently with append and the reads; it shares no writer-only state with append.
#include "storage/rocksdb_event_log.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <spdlog/spdlog.h>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {

Status RocksDbEventLog::put_snapshot(Position position, std::string_view bytes) {
  PLACEMENT_TRY(event, read_at(position.value));
  PLACEMENT_TRY(disk_reserve_.check_snapshot(bytes.size()));
  rocksdb::WriteBatch batch;
  std::string value = chain_hash(event.hash, bytes);
  value.append(bytes);
  batch.Put(snapshots_, encode_u64(position.value), value);
  // Drop all but the newest kKeptSnapshots (this one included). The iterator reads each older
  // snapshot's value, unused here: no checksum over it (see snapshot_at_or_before).
  rocksdb::ReadOptions listing;
  listing.verify_checksums = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(listing, snapshots_));
  std::size_t kept = 1;
  for (it->SeekForPrev(encode_u64(position.value)); it->Valid(); it->Prev()) {
    if (it->key().ToStringView() == encode_u64(position.value)) continue;
    if (kept++ >= kKeptSnapshots) batch.Delete(snapshots_, it->key());
  }
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot list snapshots"));
  // Not through the write-ahead log: a WAL holding the snapshot stays alive (and is read back in
  // full at the next open) until every family with data in it is flushed. The flush below makes
  // the snapshot durable instead; a crash before it loses only this cache.
  rocksdb::WriteOptions without_wal;
  without_wal.disableWAL = true;
  if (auto written = db_->Write(without_wal, &batch); !written.ok())
    return outcome::failure(from_rocksdb(written, "cannot write a snapshot"));
  if (auto flushed = db_->Flush(rocksdb::FlushOptions(), snapshots_); !flushed.ok())
    return outcome::failure(from_rocksdb(flushed, "cannot flush a snapshot"));
  // Compacting the family's small table files drops the references to the snapshots deleted
  // above, and with them their blob files, now rather than after a few more snapshots. It reads
  // no snapshot (only snapshots stored inline in the table files, once, moving them to blob files).
  if (auto compacted = db_->CompactRange(rocksdb::CompactRangeOptions(), snapshots_, nullptr, nullptr); !compacted.ok())
    return outcome::failure(from_rocksdb(compacted, "cannot compact the snapshots"));
  return ok();
}

Result<std::optional<StoredSnapshot>> RocksDbEventLog::snapshot_at_or_before(Position at_or_before) const {
  rocksdb::ReadOptions options;
  // Each snapshot carries its own SHA-256 digest, checked below over the same bytes; RocksDB's
  // crc32c over them is table-driven in Debian's portable build (~0.5 s CPU per 500 MB).
  options.verify_checksums = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, snapshots_));
  for (it->SeekForPrev(encode_u64(at_or_before.value)); it->Valid(); it->Prev()) {
    const auto position = decode_u64(it->key().ToStringView());
    const std::string_view value = it->value().ToStringView();
    if (!position || value.size() < kHashSize) continue;
    auto event = read_at(*position);
    const std::string_view bytes = value.substr(kHashSize);
    if (!event || chain_hash(event.value().hash, bytes) != value.substr(0, kHashSize)) {
      spdlog::warn("the snapshot at position {} does not match the log; ignoring it", *position);
      continue;
    }
    return std::optional<StoredSnapshot>(StoredSnapshot{Position{*position}, std::string(bytes)});
  }
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read snapshots"));
  return std::optional<StoredSnapshot>();
}

Result<SnapshotStore::NewestSnapshot> RocksDbEventLog::newest_snapshot_or_discard(Position at_or_before) {
  rocksdb::ReadOptions options;
  options.verify_checksums = false;  // the snapshot's own digest is checked (snapshot_at_or_before)
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, snapshots_));
  it->SeekForPrev(encode_u64(at_or_before.value));
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read snapshots"));
  if (!it->Valid()) return NewestSnapshot{};
  const std::string key = it->key().ToString();
  const auto position = decode_u64(key);
  const std::string_view value = it->value().ToStringView();
  if (position && value.size() >= kHashSize) {
    auto hash = stored_hash_at(Position{*position});
    const std::string_view bytes = value.substr(kHashSize);
    if (hash && chain_hash(hash.value(), bytes) == value.substr(0, kHashSize))
      return NewestSnapshot{StoredSnapshot{Position{*position}, std::string(bytes)}, std::nullopt};
    if (!hash && hash.error().code != Errc::not_found && hash.error().code != Errc::data_loss)
      return outcome::failure(hash.error());
  }
  it.reset();
  const Position discarded{position.value_or(0)};
  // Deleted like put_snapshot writes: without the WAL, then flushed. A crash before the flush
  // brings it back, and the next start discards it again.
  rocksdb::WriteOptions without_wal;
  without_wal.disableWAL = true;
  if (auto deleted = db_->Delete(without_wal, snapshots_, key); !deleted.ok())
    return outcome::failure(from_rocksdb(deleted, "cannot discard a snapshot"));
  if (auto flushed = db_->Flush(rocksdb::FlushOptions(), snapshots_); !flushed.ok())
    return outcome::failure(from_rocksdb(flushed, "cannot flush the snapshots"));
  return NewestSnapshot{std::nullopt, discarded};
}

}  // namespace placement::storage
