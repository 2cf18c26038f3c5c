#pragma once
// Capacity at a date: open, occupied, reserved, vacant (= open − occupied − reserved) and waiting
// places, summed per group (grouping.h). Counts agree with domain::count_places_on per offer. An
// offer counts under the operator and region in force on the date.

#include <cstdint>
#include <vector>

#include "services/domain/dates.h"
#include "services/domain/occupancy.h"
#include "services/projections/grouping.h"
#include "services/projections/planning_index.h"

namespace placement::projections {

struct CapacityRow {
  GroupKey key;
  domain::PlaceCounts counts;
  std::int64_t offers = 0;  // offers counted in the row
};

struct CapacityView {
  domain::Date date;
  std::vector<CapacityRow> rows;  // ordered by key
  domain::PlaceCounts total;      // every offer once (see grouping.h for target groups)
};

// waiting is each offer's current waiting-list length (the domain keeps no history of it).
// Cost: one binary search per offer.
CapacityView capacity_at(const PlanningIndex& index, domain::Date date, const GroupBy& by);

}  // namespace placement::projections
