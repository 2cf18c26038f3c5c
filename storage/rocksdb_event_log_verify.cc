// RocksDbEventLog, the chain check: recomputes every hash and link of a range from the stored
// bytes. Safe from any thread, concurrently with append; checks nothing past the head it read
// when it started.
#include "storage/rocksdb_event_log.h"

#include <algorithm>

#include <rocksdb/db.h>

#include "storage/hash_chain.h"
#include "storage/keys.h"
#include "storage/rocksdb_status.h"

namespace placement::storage {

Result<ChainReport> RocksDbEventLog::verify_chain(Position from, Position to) const {
  ChainReport report;
  const Head head = this->head();
  const std::uint64_t first = std::max<std::uint64_t>(from.value, 1);
  const std::uint64_t last = to.value == 0 ? head.position.value : std::min(to.value, head.position.value);
  std::string prev = genesis_hash();
  if (first > 1) {
    PLACEMENT_TRY(before, read_at(first - 1));
    prev = before.hash;
  }
  auto broken = [&](std::uint64_t position, std::string problem) {
    report.ok = false;
    report.first_bad = Position{position};
    report.problem = std::move(problem);
    return report;
  };
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
  std::uint64_t expected = first;
  for (it->Seek(event_key(first)); it->Valid() && expected <= last; it->Next(), ++expected) {
    const auto position = decode_u64(it->key().ToStringView());
    if (position != expected) return broken(expected, "event missing: next stored key is not consecutive");
    const std::string_view value = it->value().ToStringView();
    if (value.size() < kHashSize) return broken(expected, "record shorter than its hash");
    const std::string_view stored_hash = value.substr(0, kHashSize);
    const std::string_view bytes = value.substr(kHashSize);
    if (chain_hash(prev, bytes) != stored_hash) return broken(expected, "hash does not match the stored bytes");
    v1::EventEnvelope envelope;
    if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      return broken(expected, "envelope does not parse");
    if (envelope.position() != expected) return broken(expected, "envelope names another position");
    if (envelope.prev_hash() != prev)
      return broken(expected, "envelope's prev_hash does not link to the previous event");
    prev.assign(stored_hash);
    ++report.checked;
  }
  if (it->status().IsCorruption()) return broken(expected, "RocksDB cannot read it back: " + it->status().ToString());
  if (!it->status().ok()) return outcome::failure(from_rocksdb(it->status(), "cannot read the log"));
  if (expected <= last) return broken(expected, "event missing before the head");
  if (last == head.position.value && last >= first && prev != head.hash)
    return broken(last, "head record's hash differs from the last event's");
  report.head_hash = prev;
  return report;
}

}  // namespace placement::storage
