#pragma once
// Grouping of offers for the capacity and occupancy views: by any combination of offer, operator,
// region (the operator's region), target group and level.
//
// An offer serving several target groups is counted in full under each group it serves when
// grouping by target group: its places are not divisible among groups (a place is taken by a
// citizen of one group or another as requests come), so any split would invent fractional places.
// Rows grouped by target group therefore do not add up to the total; every view reports its
// total separately, counting each offer once.

#include <boost/container/small_vector.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "services/domain/vocabulary.h"
#include "services/projections/planning_index.h"

namespace placement::projections {

struct GroupBy {
  bool offer = false;
  bool operator_code = false;
  bool region = false;
  bool target_group = false;
  bool level = false;
};

// The fields grouped by are set; the others keep their "not grouped" value (empty, 0, {}).
struct GroupKey {
  std::string offer_id;
  std::int32_t operator_code = 0;
  std::int32_t region_code = 0;
  domain::TargetGroup target_group{};  // {} (0) = not grouped
  domain::SpecialisationLevel level{};  // {} (0) = not grouped
  friend auto operator<=>(const GroupKey&, const GroupKey&) = default;
};

// The keys an offer counts under: one, or one per target group it serves when grouping by group.
// Inline for the usual few: a view asks this once per offer, 5 000 times a call nationally.
using GroupKeys = boost::container::small_vector<GroupKey, 3>;
GroupKeys group_keys(const OfferIndex& offer, const GroupBy& by);

}  // namespace placement::projections
