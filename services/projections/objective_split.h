#pragma once
// Objective financing (objektiv finansiering): an amount split among all municipalities of an
// offer's catchment (its region's municipalities on the date, or all municipalities when national) in
// proportion to their objective-key weights, with largest-remainder rounding so the parts add up
// to the amount exactly.

#include <cstdint>
#include <vector>

#include "services/base/result.h"
#include "services/base/types.h"
#include "services/domain/planning_inputs.h"
#include "services/domain/state.h"
#include "services/domain/vocabulary.h"

namespace placement::projections {

struct CatchmentKey {
  std::vector<std::int32_t> municipalities;  // ascending code
  std::vector<std::int64_t> weights;         // same order
  friend bool operator==(const CatchmentKey&, const CatchmentKey&) = default;
};

// The key of the catchment in force on `date`: the municipalities of its region then (the named
// region's successor once it has ceased, domain::catchment_region_on), or all when national.
CatchmentKey catchment_key(const domain::State& state, const domain::PlanningInputs& inputs,
                           domain::Catchment catchment, domain::Date date);

struct KeyShare {
  std::int32_t municipality_code = 0;
  Ore amount{0};
  friend bool operator==(const KeyShare&, const KeyShare&) = default;
};

// Every municipality of the key with its share (zero-weight municipalities get 0). A zero amount is
// split into zeros whatever the weights.
// Errors (failed_precondition): a non-zero amount and a key without municipalities or weight.
Result<std::vector<KeyShare>> split_by_key(Ore amount, const CatchmentKey& key);

}  // namespace placement::projections
