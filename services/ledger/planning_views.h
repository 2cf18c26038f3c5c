#pragma once
// The read models the planning views answer from, held in memory: the live one (the ledger's
// published model) and one past one (time travel), each with its projections::PlanningIndex.
//
// Live: the published model with its index, rebuilt lazily when the published position moved
// since the last build. The build runs under a lock, so concurrent readers that find the cache
// stale wait for one build and share it. A build reuses the model of the build before the current
// one, with its index, when no reader holds it any more: it reads the events written since once to
// note which offers they touch (projections::TouchedOffers, against the model as it was), folds
// them in (the same fold as the ledger's, replay.h) and rebuilds only those offers' index entries
// (PlanningIndex::update). The model is folded in place, and State's maps never move or drop a
// node, so the entries kept still point at live offers and placements. Otherwise (no free model,
// or the fold failed) it copies the ledger's published model and indexes it afresh. Either way,
// cost follows the writes, not the size of the state, whenever the previous model is free.
//
// Past (as_of_position = N > 0): the model rebuilt by replaying the log up to N, from the newest
// snapshot at or before N or else from the start, through the same code path as the ledger's own
// replay (replay.h), so a view as of the head equals the live view. The last such model is kept,
// so repeated questions about one position (a planner paging through views of one past moment)
// replay once.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "services/base/result.h"
#include "services/ledger/ledger.h"
#include "services/ledger/replay.h"
#include "services/projections/planning_index.h"
#include "storage/event_log.h"
#include "storage/snapshot_store.h"

namespace placement::ledger {

// A read model with its index. Immutable while readers hold it; the index points into the model,
// which lives on the heap so that PlanningViews can take both back, once no reader holds this any
// more, and bring them up to date for the next version instead of copying the ledger's model.
class IndexedModel {
 public:
  // Indexes the model afresh.
  explicit IndexedModel(std::unique_ptr<ReadModel> m)
      : owned_(std::move(m)), index_(owned_->state), model(*owned_), index(index_) {}
  explicit IndexedModel(ReadModel m) : IndexedModel(std::make_unique<ReadModel>(std::move(m))) {}
  // Takes an index of m->state that is already up to date with it (PlanningIndex::update).
  IndexedModel(std::unique_ptr<ReadModel> m, projections::PlanningIndex up_to_date)
      : owned_(std::move(m)), index_(std::move(up_to_date)), model(*owned_), index(index_) {}
  IndexedModel(const IndexedModel&) = delete;
  IndexedModel& operator=(const IndexedModel&) = delete;

 private:
  friend class PlanningViews;
  std::unique_ptr<ReadModel> owned_;  // declared first: built before, and outlives, what points into it
  projections::PlanningIndex index_;  // points into *owned_

 public:
  const ReadModel& model;
  const projections::PlanningIndex& index;
};

class PlanningViews {
 public:
  // snapshots, when given, is where past models start from (the newest snapshot at or before the
  // position asked for) instead of the first event.
  PlanningViews(const Ledger& ledger, const storage::EventLog& log, const storage::SnapshotStore* snapshots = nullptr)
      : ledger_(ledger), log_(log), snapshots_(snapshots) {}

  // as_of_position 0: the live model. N: the model as of log position N; invalid_argument when N is
  // beyond the published position. Thread-safe.
  Result<std::shared_ptr<const IndexedModel>> at(std::uint64_t as_of_position);

  // Builds the live model and a spare at the published position, each copied from the ledger's
  // model and indexed afresh, so that neither the first view after a start nor the first one
  // after the first commit pays for a copy of the whole state: that commit folds its events into
  // the spare. Called once by the composition root before the server reports ready; costs two
  // copies of the model (the memory live() holds anyway once two versions have been built), made
  // on two threads at once. The ledger's model may be read concurrently; the copies may then be
  // at different positions, which the next live() folds forward.
  void warm();

  // How many live models were built by copying the ledger's whole model (warm() counts two); every
  // other live build folded the new events into a reclaimed one. Thread-safe.
  std::uint64_t full_builds() const { return full_builds_.load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<const IndexedModel> live();
  // The previous live model when no reader holds it any more (its ReadModel and index taken back
  // by the caller); null otherwise.
  std::shared_ptr<IndexedModel> reclaim_previous();
  // The reclaimed model brought up to `published` with its index updated; null if the log could
  // not be read or folded (the caller then copies the ledger's model).
  std::shared_ptr<IndexedModel> catch_up(IndexedModel& reclaimed, Position published);
  Result<std::shared_ptr<const IndexedModel>> past(Position position);

  const Ledger& ledger_;
  const storage::EventLog& log_;
  const storage::SnapshotStore* snapshots_;
  std::mutex build_mutex_;  // one build at a time; held while building
  std::mutex cache_mutex_;  // guards the two pointers (held only to copy them)
  std::shared_ptr<IndexedModel> live_;
  std::shared_ptr<IndexedModel> previous_;  // the live model before live_, kept for reuse
  std::shared_ptr<const IndexedModel> past_;
  std::atomic<std::uint64_t> full_builds_{0};
};

}  // namespace placement::ledger
