#include "services/domain/planning_inputs.h"

namespace placement::domain {

Date YearMonth::end() const { return next().first_day(); }

std::map<int, RefundTable> default_refund_tables() {
  constexpr std::int64_t kKr = 100;
  return {
      {2012, {2012, {{Ore{950'000 * kKr}, 2'500}, {Ore{1'770'000 * kKr}, 5'000}}}},
      {2020, {2020, {{Ore{830'000 * kKr}, 2'500}, {Ore{1'630'000 * kKr}, 5'000}}}},
      {2021, {2021, {{Ore{850'000 * kKr}, 2'500}, {Ore{1'660'000 * kKr}, 5'000}, {Ore{2'090'000 * kKr}, 7'500}}}},
      {2022, {2022, {{Ore{860'000 * kKr}, 2'500}, {Ore{1'680'000 * kKr}, 5'000}, {Ore{2'120'000 * kKr}, 7'500}}}},
  };
}

PlanningInputs default_planning_inputs() {
  PlanningInputs inputs;
  inputs.refund_tables = default_refund_tables();
  return inputs;
}

RefundAmounts refund_amounts_for_year(const PlanningInputs& inputs, int year) {
  RefundAmounts amounts;
  amounts.year = year;
  auto it = inputs.refund_tables.upper_bound(year);
  amounts.latest_known = it == inputs.refund_tables.end();
  if (it == inputs.refund_tables.begin()) {
    amounts.latest_known = false;
    return amounts;
  }
  --it;
  amounts.amounts_of = it->first;
  amounts.price_level = it->second.price_level;
  if (amounts.amounts_of == year) amounts.latest_known = false;
  return amounts;
}

const std::vector<RefundTier>* tiers_for_year(const PlanningInputs& inputs, int year) {
  auto it = inputs.refund_tables.upper_bound(year);
  if (it == inputs.refund_tables.begin()) return nullptr;
  return &std::prev(it)->second.tiers;
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
