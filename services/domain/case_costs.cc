#include "services/domain/case_costs.h"

#include <algorithm>
#include <array>

#include "services/domain/money.h"

namespace placement::domain {

std::vector<Ore> one_off_parts(Ore amount) {
  static constexpr std::array<std::int64_t, kOneOffSpreadMonths> kEven{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  auto parts = split_largest_remainder(amount, kEven);
  return parts ? std::move(parts).value() : std::vector<Ore>(kOneOffSpreadMonths, Ore{0});  // (weights are valid)
}

YearMonth add_months(YearMonth month, int months) {
  const int index = month.year * 12 + static_cast<int>(month.month) - 1 + months;
  return YearMonth{index / 12, static_cast<unsigned>(index % 12) + 1};
}

Ore case_cost_in_month(const PlanningInputs& inputs, std::string_view placement_id, YearMonth month) {
  auto placement = inputs.case_costs.find(placement_id);
  if (placement == inputs.case_costs.end()) return Ore{0};
  const auto& months = placement->second;
  Ore total{0};
  for (auto it = months.lower_bound(add_months(month, 1 - kOneOffSpreadMonths));
       it != months.end() && it->first <= month; ++it) {
    if (it->first == month) total += it->second.other_costs;
    if (it->second.one_off.value != 0) {
      const int k =
          (month.year - it->first.year) * 12 + static_cast<int>(month.month) - static_cast<int>(it->first.month);
      total += one_off_parts(it->second.one_off)[static_cast<std::size_t>(k)];
    }
  }
  return total;
}

std::vector<YearMonth> case_cost_months(const PlanningInputs& inputs, std::string_view placement_id) {
  std::vector<YearMonth> out;
  auto placement = inputs.case_costs.find(placement_id);
  if (placement == inputs.case_costs.end()) return out;
  for (const auto& [month, costs] : placement->second) {
    if (costs.other_costs.value != 0) out.push_back(month);
    if (costs.one_off.value != 0) {
      for (int k = 0; k < kOneOffSpreadMonths; ++k) out.push_back(add_months(month, k));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace placement::domain
