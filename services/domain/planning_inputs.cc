#include "services/domain/planning_inputs.h"

namespace placement::domain {

Date YearMonth::end() const { return next().first_day(); }

std::map<int, std::vector<RefundTier>> default_refund_tiers() {
  constexpr std::int64_t kKr = 100;
  return {
      {2012, {{Ore{950'000 * kKr}, 2'500}, {Ore{1'770'000 * kKr}, 5'000}}},
      {2022, {{Ore{860'000 * kKr}, 2'500}, {Ore{1'680'000 * kKr}, 5'000}, {Ore{2'120'000 * kKr}, 7'500}}},
  };
}

PlanningInputs default_planning_inputs() {
  PlanningInputs inputs;
  inputs.refund_tiers = default_refund_tiers();
  return inputs;
}

const std::vector<RefundTier>* tiers_for_year(const PlanningInputs& inputs, int year) {
  auto it = inputs.refund_tiers.upper_bound(year);
  if (it == inputs.refund_tiers.begin()) return nullptr;
  return &std::prev(it)->second;
}

Ore block_grant(const PlanningInputs& inputs, std::int32_t region_code, int year) {
  auto it = inputs.block_grants.find({region_code, year});
  return it == inputs.block_grants.end() ? Ore{0} : it->second;
}

MonthIncome income_of(const PlanningInputs& inputs, std::string_view placement_id, YearMonth month) {
  auto placement = inputs.income.find(placement_id);
  if (placement == inputs.income.end()) return {};
  auto it = placement->second.find(month);
  return it == placement->second.end() ? MonthIncome{} : it->second;
}

}  // namespace placement::domain
