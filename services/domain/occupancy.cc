#include "services/domain/occupancy.h"

#include <map>

#include "services/domain/offer_index.h"

namespace placement::domain {
namespace {

// Calls f(hold) for every hold in `offer` that may overlap [from, ∞), with `replacement` standing
// in for its namesake. (Holds that ended by `from` may be skipped: the index does not list them.)
template <class F>
void for_each_hold_in(const State& state, const OfferState& offer, Date from, const PlacementState* replacement,
                      F&& f) {
  const auto visit = [&](const PlacementState& placement) {
    for (const Hold& hold : holds_of(placement)) {
      if (hold.offer_id == offer.id) f(hold);
    }
  };
  for (const PlacementState* placement : placements_to_count(state, offer, from)) {
    if (!replacement || replacement->id != placement->id) visit(*placement);
  }
  if (replacement) visit(*replacement);
}

}  // namespace

std::vector<Hold> holds_of(const PlacementState& placement) {
  std::vector<Hold> holds;
  for (const Stay& stay : placement.previous_stays) {
    holds.push_back(Hold{stay.offer_id, stay.range, HoldKind::occupied});
  }
  if (!placement.hold_from) return holds;
  const Date from = *placement.hold_from;
  switch (placement.status) {
    case PlacementStatus::reserved:
      holds.push_back(Hold{placement.offer_id, DateRange{from, Date::max()}, HoldKind::reserved});
      break;
    case PlacementStatus::admitted:
      holds.push_back(Hold{placement.offer_id, DateRange{from, Date::max()}, HoldKind::occupied});
      break;
    case PlacementStatus::discharged:
      if (placement.discharged_on && from < *placement.discharged_on) {
        holds.push_back(Hold{placement.offer_id, DateRange{from, *placement.discharged_on}, HoldKind::occupied});
      }
      break;
    default: break;
  }
  return holds;
}

PlaceCounts count_places_on(const State& state, const OfferState& offer, Date date) {
  PlaceCounts counts;
  counts.open = open_places_on(offer, date);
  for_each_hold_in(state, offer, date, nullptr, [&](const Hold& hold) {
    if (!hold.range.contains(date)) return;
    (hold.kind == HoldKind::occupied ? counts.occupied : counts.reserved) += 1;
  });
  counts.vacant = counts.open - counts.occupied - counts.reserved;
  counts.waiting = static_cast<std::int64_t>(offer.waiting_list.size());
  return counts;
}

FreePlaces min_free_from(const State& state, const OfferState& offer, Date from, const PlacementState* replacement) {
  // Held places change only where a hold starts or ends, open places only where capacity changes or
  // the offer closes: evaluating at those dates covers every date from `from` on.
  std::map<Date, std::int64_t> held_delta;
  std::int64_t held = 0;
  for_each_hold_in(state, offer, from, replacement, [&](const Hold& hold) {
    const auto clipped = overlap(hold.range, DateRange{from, Date::max()});
    if (!clipped) return;
    if (clipped->from == from) {
      ++held;
    } else {
      held_delta[clipped->from] += 1;
    }
    if (!clipped->to.is_max()) held_delta[clipped->to] -= 1;
  });
  for (const auto& [date, places] : offer.capacity.entries()) {
    if (date > from) held_delta.try_emplace(date, 0);
  }
  if (offer.closed_from && *offer.closed_from > from) held_delta.try_emplace(*offer.closed_from, 0);

  FreePlaces result{open_places_on(offer, from) - held, from};
  for (const auto& [date, delta] : held_delta) {
    held += delta;
    const std::int64_t free = open_places_on(offer, date) - held;
    if (free < result.places) result = FreePlaces{free, date};
  }
  return result;
}

}  // namespace placement::domain
