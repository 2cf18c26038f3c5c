#include "services/placementd/planning_views.h"

#include <string>

#include "services/placementd/snapshots.h"

namespace placement::placementd {

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
  std::unique_ptr<ReadModel> model = reclaim_previous();
  if (model) {
    // Fold in what was written since this model was built (a failure here only costs the copy).
    if (auto caught_up = replay_into(*model, log_, published); !caught_up || model->position != published)
      model.reset();
  }
  if (!model) model = std::make_unique<ReadModel>(ledger_.read_model([](const ReadModel& m) { return m; }));
  auto built = std::make_shared<IndexedModel>(std::move(model));
  std::lock_guard lock(cache_mutex_);
  previous_ = std::move(live_);
  live_ = built;
  return built;
}

std::unique_ptr<ReadModel> PlanningViews::reclaim_previous() {
  std::lock_guard lock(cache_mutex_);
  // Only live_ is handed out, so once the previous model's count is 1 (this cache) no reader can
  // reach it again, and its model may change.
  if (!previous_ || previous_.use_count() != 1) return nullptr;
  std::unique_ptr<ReadModel> model = std::move(previous_->owned_);
  previous_.reset();  // drops the index that points into the model before the model changes
  return model;
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
  if (auto replayed = replay_into(model, log_, position); !replayed) return outcome::failure(replayed.error());
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

}  // namespace placement::placementd
