#pragma once
// Occupancy (belægning) over a half-open period [from, to): place-day counts per group and the
// belægningsprocent = occupied ÷ open place-days × 100.

#include <cstdint>
#include <vector>

#include "services/base/result.h"
#include "services/domain/dates.h"
#include "services/projections/grouping.h"
#include "services/projections/planning_index.h"

namespace placement::projections {

struct PlaceDays {
  std::int64_t open = 0;
  std::int64_t occupied = 0;
  std::int64_t reserved = 0;
};

// The occupancy is exactly occupied ÷ open (both given); occupancy_bp is that ratio in basis points
// (10000 = 100 %), rounded half away from zero, and 0 when there are no open place-days.
struct OccupancyRow {
  GroupKey key;
  PlaceDays place_days;
  std::int64_t occupancy_bp = 0;
  std::int64_t offers = 0;
};

struct OccupancyView {
  domain::DateRange period;
  std::vector<OccupancyRow> rows;  // ordered by key
  OccupancyRow total;              // every offer once, key empty
};

// Place-days of one offer over a finite period, from overlap lengths (no per-day loop).
PlaceDays place_days_of(const OfferIndex& offer, const domain::DateRange& period);

std::int64_t occupancy_bp(const PlaceDays& days);

// Errors (invalid_argument): an empty or open-ended period.
Result<OccupancyView> occupancy_over(const PlanningIndex& index, const domain::DateRange& period, const GroupBy& by);

// Shared by the views: a period must be finite and non-empty.
Status validate_period(const domain::DateRange& period);

}  // namespace placement::projections
