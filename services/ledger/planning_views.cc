#include "services/ledger/planning_views.h"

#include <future>
#include <string>

#include "services/codec/event_codec.h"
#include "services/ledger/snapshots.h"
#include "storage/envelope_view.h"

namespace placement::ledger {

std::shared_ptr<const IndexedModel> PlanningViews::live() {
  const Position published = ledger_.position();
  {
    std::lock_guard lock(cache_mutex_);
    if (live_ && live_->model.position >= published) return live_;
  }
  std::lock_guard build(build_mutex_);
  {
    // Another reader may have built it while this one waited.
    std::lock_guard lock(cache_mutex_);
    if (live_ && live_->model.position >= published) return live_;
  }
  std::shared_ptr<IndexedModel> built;
  // A failure to catch up only costs the copy.
  if (std::shared_ptr<IndexedModel> previous = reclaim_previous()) built = catch_up(*previous, published);
  if (!built) {
    built = std::make_shared<IndexedModel>(ledger_.read_model([](const ReadModel& m) { return m; }));
    full_builds_.fetch_add(1, std::memory_order_relaxed);
  }
  std::lock_guard lock(cache_mutex_);
  previous_ = std::move(live_);
  live_ = built;
  return built;
}

void PlanningViews::warm() {
  std::lock_guard build(build_mutex_);
  auto copy_of_the_ledger = [this] {
    return std::make_shared<IndexedModel>(ledger_.read_model([](const ReadModel& m) { return m; }));
  };
  // The two copies are independent: the spare is copied and indexed on a second thread while this
  // one builds the live model, so warming costs about one copy's time on a machine with two cores.
  std::future<std::shared_ptr<IndexedModel>> spare = std::async(std::launch::async, copy_of_the_ledger);
  std::shared_ptr<IndexedModel> live = copy_of_the_ledger();
  std::shared_ptr<IndexedModel> spare_model = spare.get();
  full_builds_.fetch_add(2, std::memory_order_relaxed);
  std::lock_guard lock(cache_mutex_);
  live_ = std::move(live);
  previous_ = std::move(spare_model);
}

std::shared_ptr<IndexedModel> PlanningViews::reclaim_previous() {
  std::lock_guard lock(cache_mutex_);
  // Only live_ is handed out, so once the previous model's count is 1 (this cache) no reader can
  // reach it again, and its model and index may change.
  if (!previous_ || previous_.use_count() != 1) return nullptr;
  return std::move(previous_);
}

std::shared_ptr<IndexedModel> PlanningViews::catch_up(IndexedModel& reclaimed, Position published) {
  std::unique_ptr<ReadModel> model = std::move(reclaimed.owned_);
  projections::PlanningIndex index = std::move(reclaimed.index_);
  // Which offers the new events touch, noted against the model as it still is: a placement's
  // offers before the events are part of the answer (touched_offers.h). This reads and decodes
  // the new events once more than the fold does; both cost what the writes cost.
  projections::TouchedOffers touched;
  auto noted = log_.visit_forward(Position{model->position.value + 1}, published,
                                  [&](const storage::StoredEventView& stored) -> Status {
                                    PLACEMENT_TRY(envelope, storage::view_envelope(stored.envelope_bytes));
                                    PLACEMENT_TRY(event, codec::decode_event(envelope.event_type, envelope.payload));
                                    touched.note(model->state, event);
                                    return ok();
                                  });
  if (!noted) return nullptr;
  // The index is not read while the model changes; apply keeps every node its entries point at.
  if (auto caught_up = replay_into(*model, log_, published); !caught_up || model->position != published) return nullptr;
  touched.settle(model->state);
  index.update(touched);
  return std::make_shared<IndexedModel>(std::move(model), std::move(index));
}

Result<std::shared_ptr<const IndexedModel>> PlanningViews::past(Position position) {
  {
    std::lock_guard lock(cache_mutex_);
    if (past_ && past_->model.position == position) return past_;
  }
  std::lock_guard build(build_mutex_);
  {
    std::lock_guard lock(cache_mutex_);
    if (past_ && past_->model.position == position) return past_;
  }
  ReadModel model;
  if (snapshots_) {
    if (auto snapshot = load_snapshot(*snapshots_, position)) model = std::move(*snapshot);
  }
  PLACEMENT_TRY(replay_into(model, log_, position));
  if (model.position != position)
    return fail(Errc::internal, "the log ends at " + std::to_string(model.position.value) + " before position " +
                                    std::to_string(position.value));
  auto built = std::make_shared<const IndexedModel>(std::move(model));
  std::lock_guard lock(cache_mutex_);
  past_ = built;
  return built;
}

Result<std::shared_ptr<const IndexedModel>> PlanningViews::at(std::uint64_t as_of_position) {
  if (as_of_position == 0) return live();
  const Position published = ledger_.position();
  if (as_of_position > published.value)
    return fail(Errc::invalid_argument, "as_of_position " + std::to_string(as_of_position) +
                                            " is beyond the log's head " + std::to_string(published.value));
  return past(Position{as_of_position});
}

}  // namespace placement::ledger
