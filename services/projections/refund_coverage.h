#pragma once
// The 67-year rule of the state refund as a property of the citizen (serviceloven § 176; DOMAIN.md:
// "the citizen is under 67, or was covered just before turning 67").
//
// A placement counts for the refund when it was requested before the citizen turned 67
// (age_at_start < 67). A placement requested at 67 or older counts when it continues, without a
// gap, help that began in a counting placement of the same citizen (citizen_id):
// - a placement gives help over [admitted_on, discharged_on), open while admitted (transfers
//   inside it are no gap); placements never admitted give none and continue nothing;
// - "without a gap" means no day without help: the new placement is admitted on or before the
//   end (the discharge date, half-open) of counting help, so a discharge on D and an admission on
//   D continue, an admission on D + 1 does not (one day without help);
// - help continued this way is counting help itself, so a chain of placements continues as long
//   as none leaves a day out.
// Since the domain keeps only the age at the requested start, "before turning 67" is that age.

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "services/domain/state.h"

namespace placement::projections {

inline constexpr std::int32_t kRefundAgeLimit = 67;

// Which placements count for the refund. Reads the State it is given, which must outlive it and not
// change while it is used. Not thread-safe: the first question about a placement begun at 67 or
// older walks the placements once (O(placements)) to find those citizens' other placements; a view
// in which nobody is 67 or older never does.
class RefundCoverage {
 public:
  explicit RefundCoverage(const domain::State& state) : state_(&state) {}

  bool counts(const domain::PlacementState& placement) const;

 private:
  void build() const;

  const domain::State* state_;
  mutable bool built_ = false;
  mutable std::unordered_set<const domain::PlacementState*> continued_;  // begun at 67+, counting
};

}  // namespace placement::projections
