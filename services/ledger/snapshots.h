#pragma once
// Snapshots of the ledger's read model in the log's snapshot store (storage/snapshot_store.h), so
// a restart, or a question about a past position, replays only the events after the newest
// snapshot instead of the whole log. A snapshot is a cache: when none can be used, the log is
// replayed from its first event and the result is the same (tests/integration/planning).

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "services/base/result.h"
#include "services/ledger/ledger.h"
#include "services/ledger/replay.h"
#include "storage/snapshot_store.h"

namespace placement::ledger {

// The model of the newest usable snapshot at or before `at_or_before`; nullopt when there is none,
// or when it cannot be read or is of another format (logged; the caller then replays from the start).
std::optional<ReadModel> load_snapshot(const storage::SnapshotStore& store, Position at_or_before);

// The same for the ledger's start: the snapshot is read once and decoded twice, on two threads at
// once, into the published model and the writer's (Ledger::Start). On two cores that costs the
// wall time of one decode, where copying the decoded model for the writer cost ~45 % of a decode
// more (docs/BENCHMARKS.md §4). nullopt as for load_snapshot. The newest snapshot must match the
// log at its position; one that does not is discarded (SnapshotStore::newest_snapshot_or_discard,
// logged) and the ledger then starts from the log's first event.
std::optional<Ledger::Start> load_snapshot_for_ledger(storage::SnapshotStore& store, Position at_or_before);

// Stores a snapshot of the ledger's published model. The model is encoded under the ledger's shared
// lock (readers go on; the next publish waits for the encoding, not for the write).
// Returns the position it reflects.
Result<Position> save_snapshot(const Ledger& ledger, storage::SnapshotStore& store);

// Takes a snapshot in the background whenever the published position has moved `every_events` past
// the last one (checked every second), so a crash costs at most that many events of replay.
class SnapshotTaker {
 public:
  SnapshotTaker(const Ledger& ledger, storage::SnapshotStore& store, std::uint64_t every_events, Position last);
  ~SnapshotTaker();
  SnapshotTaker(const SnapshotTaker&) = delete;
  SnapshotTaker& operator=(const SnapshotTaker&) = delete;

  // Stops the background thread, then takes a last snapshot when the model moved since the
  // previous one (at shutdown, after the ledger's writer has drained). Idempotent.
  void stop_and_take_last();

 private:
  void run();
  void take();

  const Ledger& ledger_;
  storage::SnapshotStore& store_;
  const std::uint64_t every_events_;
  Position last_;  // background thread, then stop_and_take_last
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace placement::ledger
