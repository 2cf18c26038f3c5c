#pragma once
// Which place-days placements hold in an offer, and how many places are left. This is where the
// no-overbooking invariant is computed: reserved + occupied <= open on every date.

#include <cstdint>
#include <string_view>
#include <vector>

#include "services/domain/dates.h"
#include "services/domain/state.h"

namespace placement::domain {

enum class HoldKind : std::uint8_t { reserved, occupied };

// A place held in one offer over a half-open range. Views point into the placement.
struct Hold {
  std::string_view offer_id;
  DateRange range;
  HoldKind kind;
};

// Reserved: [hold_from, open). Admitted: [stay start, open). Discharged: [stay start, discharge).
// Stays ended by transfers are occupied ranges in their old offers. Other statuses hold nothing.
std::vector<Hold> holds_of(const PlacementState& placement);

struct PlaceCounts {
  std::int64_t open = 0;
  std::int64_t occupied = 0;
  std::int64_t reserved = 0;
  std::int64_t vacant = 0;   // open − occupied − reserved
  std::int64_t waiting = 0;  // current length of the waiting list
};

PlaceCounts count_places_on(const State& state, const OfferState& offer, Date date);

// The fewest places free (open − held) on any date from `from` on, and the first date it occurs.
// `replacement`, if given, stands in for the placement with the same id (or is added if the offer
// has none), so a decision can be checked against its own outcome before it is recorded.
// Negative means the offer would be overbooked.
struct FreePlaces {
  std::int64_t places = 0;
  Date tightest_date;
};
FreePlaces min_free_from(const State& state, const OfferState& offer, Date from,
                         const PlacementState* replacement = nullptr);

}  // namespace placement::domain
