#pragma once
// Which offers' PlanningIndex entries a batch of events may change, so an index can be brought up
// to date by rebuilding only those (PlanningIndex::update) instead of indexing the whole State.
//
// An offer's entry is a function of three things: which offer it is, its operator's region, and
// the holds (domain::holds_of) placements have in it. So, for a batch:
//   - an event naming an offer (offer_id, or a transfer's from/to offer) touches that offer;
//   - an event naming a placement touches every offer the placement is or was in (its current
//     offer and the offers of its previous stays), both before the batch and after it: holds_of
//     reports holds only in those offers, and apply changes only the placement an event names, so
//     a placement's holds can change only in offers it was in before or is in after. Offers it
//     passed through inside the batch hold nothing of it at either end, and neither entry has it;
//   - a region or municipality registration, a region established or ceased, or a municipality's
//     region changed may change any offer's region on some date (it is rare): every entry's
//     organisation steps are recomputed, no holds are rebuilt. An operator change names its offer.
// Other events (objective weights, erasures) touch nothing.
//
// Usage: note() every event of the batch against the state the batch is applied to (all against
// the same, unchanged state), apply the batch, then settle() with the state after it.

#include <set>
#include <string>

#include "services/domain/events.h"
#include "services/domain/state.h"

namespace placement::projections {

class TouchedOffers {
 public:
  // Records what `event` may change; `before` is the state before the whole batch.
  void note(const domain::State& before, const domain::Event& event);
  // Adds the offers the noted placements are in after the batch.
  void settle(const domain::State& after);

  // The touched offer ids (possibly of no offer, when an event named an unknown one).
  const std::set<std::string, std::less<>>& offers() const { return offers_; }
  bool regions_changed() const { return regions_changed_; }

 private:
  void add_offers_of_placement(const domain::State& state, const std::string& placement_id);

  std::set<std::string, std::less<>> offers_;
  std::set<std::string, std::less<>> placements_;
  bool regions_changed_ = false;
};

}  // namespace placement::projections
