#include "services/projections/planning_index.h"

#include <algorithm>
#include <map>

namespace placement::projections {

domain::PlaceCounts OfferIndex::counts_on(domain::Date date) const {
  domain::PlaceCounts counts;
  counts.open = domain::open_places_on(*offer, date);
  auto it = std::upper_bound(steps.begin(), steps.end(), date,
                             [](domain::Date d, const HeldStep& step) { return d < step.from; });
  if (it != steps.begin()) {
    counts.occupied = std::prev(it)->occupied;
    counts.reserved = std::prev(it)->reserved;
  }
  counts.vacant = counts.open - counts.occupied - counts.reserved;
  counts.waiting = static_cast<std::int64_t>(offer->waiting_list.size());
  return counts;
}

namespace {

std::vector<HeldStep> steps_of(const std::vector<IndexedHold>& holds) {
  struct Delta {
    std::int64_t occupied = 0;
    std::int64_t reserved = 0;
  };
  std::map<domain::Date, Delta> deltas;
  for (const IndexedHold& hold : holds) {
    const std::int64_t sign_occupied = hold.kind == domain::HoldKind::occupied ? 1 : 0;
    const std::int64_t sign_reserved = 1 - sign_occupied;
    Delta& start = deltas[hold.range.from];
    start.occupied += sign_occupied;
    start.reserved += sign_reserved;
    if (!hold.range.open_ended()) {
      Delta& end = deltas[hold.range.to];
      end.occupied -= sign_occupied;
      end.reserved -= sign_reserved;
    }
  }
  std::vector<HeldStep> steps;
  steps.reserve(deltas.size());
  HeldStep current;
  for (const auto& [date, delta] : deltas) {
    current.from = date;
    current.occupied += delta.occupied;
    current.reserved += delta.reserved;
    steps.push_back(current);
  }
  return steps;
}

}  // namespace

PlanningIndex::PlanningIndex(const domain::State& state) : state_(&state) {
  offers_.reserve(state.offers.size());
  for (const auto& [id, offer] : state.offers) {
    position_.emplace(std::string_view(offer.id), offers_.size());
    offers_.push_back(OfferIndex{&offer, domain::region_of_operator(state, offer.operator_code), {}, {}});
  }
  for (const auto& [id, placement] : state.placements) {
    for (const domain::Hold& hold : domain::holds_of(placement)) {
      if (hold.range.empty()) continue;
      auto it = position_.find(hold.offer_id);
      if (it == position_.end()) continue;
      offers_[it->second].holds.push_back(IndexedHold{hold.range, hold.kind, &placement});
    }
  }
  for (OfferIndex& entry : offers_) {
    // Placements are visited in id order, so a stable sort by start keeps ties in id order.
    std::stable_sort(entry.holds.begin(), entry.holds.end(),
                     [](const IndexedHold& a, const IndexedHold& b) { return a.range.from < b.range.from; });
    entry.steps = steps_of(entry.holds);
  }
}

const OfferIndex* PlanningIndex::find(std::string_view offer_id) const {
  auto it = position_.find(offer_id);
  return it == position_.end() ? nullptr : &offers_[it->second];
}

}  // namespace placement::projections
