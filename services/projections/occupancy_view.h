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
  domain::DateRange period;  // the part of the view's period the row covers (grouping_periods)
  PlaceDays place_days;
  std::int64_t occupancy_bp = 0;
  std::int64_t offers = 0;
};

// Grouped by operator or region, a period crossing a change of the organisation is split at its
// date: the rows of each part (grouping_periods) in date order, each part's rows by key.
struct OccupancyView {
  domain::DateRange period;
  std::vector<OccupancyRow> rows;  // ordered by (period, key)
  OccupancyRow total;              // every offer once over the whole period, key empty
};

// Place-days of one offer over a finite period, from overlap lengths (no per-day loop).
PlaceDays place_days_of(const OfferIndex& offer, const domain::DateRange& period);

std::int64_t occupancy_bp(const PlaceDays& days);

// Errors (invalid_argument): an empty or open-ended period.
Result<OccupancyView> occupancy_over(const PlanningIndex& index, const domain::DateRange& period, const GroupBy& by);

// Shared by the views: a period must be finite and non-empty.
Status validate_period(const domain::DateRange& period);

}  // namespace placement::projections
