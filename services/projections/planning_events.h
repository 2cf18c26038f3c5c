#pragma once
// Planning events: the administration of objective keys, block grants, refund tiers and income.
// Plain structs (wire form: services/codec/planning_codec.h), stream "planning". The writer
// (placementd's Ledger::execute_planning) checks an event with validate() against the current state
// and inputs, appends it, then apply()s it; apply is total and deterministic, so replaying the
// planning events in order rebuilds PlanningInputs exactly.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "services/base/result.h"
#include "services/domain/state.h"
#include "services/projections/planning_inputs.h"

namespace placement::projections {

inline constexpr std::string_view kPlanningStream = "planning";

// Replaces the objective key. An empty `weights` restores the default key (the State's weights).
struct ObjectiveKeySet {
  std::map<std::int32_t, std::int64_t> weights;  // municipality code -> weight >= 0
  friend bool operator==(const ObjectiveKeySet&, const ObjectiveKeySet&) = default;
};

struct BlockGrantSet {
  std::int32_t region_code = 0;
  int year = 0;
  Ore amount{0};
  friend bool operator==(const BlockGrantSet&, const BlockGrantSet&) = default;
};

// Replaces the tiers of one year (and of later years without their own).
struct RefundTiersSet {
  int year = 0;
  std::vector<RefundTier> tiers;  // thresholds strictly increasing, percents 0..10000
  friend bool operator==(const RefundTiersSet&, const RefundTiersSet&) = default;
};

// Replaces the income recorded against a placement for a month.
struct IncomeRecorded {
  std::string placement_id;
  YearMonth month;
  MonthIncome income;
  friend bool operator==(const IncomeRecorded&, const IncomeRecorded&) = default;
};

using PlanningEvent = std::variant<ObjectiveKeySet, BlockGrantSet, RefundTiersSet, IncomeRecorded>;

// Stable type names for the envelope ("ObjectiveKeySet", …).
std::string_view event_type_name(const PlanningEvent& event);

// Errors: invalid_argument for negative weights or amounts, unknown municipalities or regions, a
// month outside 1..12, unordered tiers; not_found for an unknown placement.
Status validate(const domain::State& state, const PlanningEvent& event);

// Folds one event into the inputs. Total: never fails.
void apply(PlanningInputs& inputs, const PlanningEvent& event);

}  // namespace placement::projections
