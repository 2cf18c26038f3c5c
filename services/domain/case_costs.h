#pragma once
// What a case costs beside its place-days, for the state refund (DOMAIN.md: "One-off expenses are
// spread evenly over the 12 months"): recorded per placement and month (PlanningInputs::case_costs).
//
// - Other costs of the case count in the month they are recorded for.
// - A one-off expense recorded for month M counts 1/12 in each of M and the 11 months after it
//   (possibly into the next budget year), split by largest remainder so the twelve parts add up to
//   the expense exactly: amount ÷ 12 each, the remaining øre one each to the first months.

#include <string_view>
#include <vector>

#include "services/base/types.h"
#include "services/domain/planning_inputs.h"

namespace placement::domain {

inline constexpr int kOneOffSpreadMonths = 12;

// The twelve parts of a one-off expense (amount >= 0), first month first.
std::vector<Ore> one_off_parts(Ore amount);

// `month` moved by `months` (may be negative).
YearMonth add_months(YearMonth month, int months);

// What counts for the refund in `month` from the case costs recorded against the placement: the
// month's other costs plus the parts that fall in it of one-offs recorded in it and the 11 months before.
Ore case_cost_in_month(const PlanningInputs& inputs, std::string_view placement_id, YearMonth month);

// The months in which the placement's recorded case costs count (other costs' months and each
// one-off's twelve), ascending, each once; empty when nothing is recorded.
std::vector<YearMonth> case_cost_months(const PlanningInputs& inputs, std::string_view placement_id);

}  // namespace placement::domain
