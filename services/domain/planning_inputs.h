#pragma once
// The planners' own inputs, part of the State (State::planning): objective keys, block grants,
// refund tiers and income recorded against placements. Built only by apply()ing the planning
// events (events.h, stream "planning") in log order, like the rest of the State.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/base/types.h"
#include "services/domain/dates.h"

namespace placement::domain {

// A calendar month; ordered by (year, month).
struct YearMonth {
  int year = 0;
  unsigned month = 0;  // 1..12
  Date first_day() const { return Date::from_civil(year, month, 1); }
  // The first day of the next month: the month is the half-open range [first_day(), end()).
  Date end() const;
  YearMonth next() const { return month == 12 ? YearMonth{year + 1, 1} : YearMonth{year, month + 1}; }
  static YearMonth of(Date date) { return YearMonth{date.year(), date.month()}; }
  friend auto operator<=>(const YearMonth&, const YearMonth&) = default;
};

// One marginal refund tier: percent (basis points) of the part of the yearly cost above the threshold,
// up to the next tier's threshold.
struct RefundTier {
  Ore threshold_per_year{0};
  std::int32_t percent_bp = 0;
  friend bool operator==(const RefundTier&, const RefundTier&) = default;
};

// The refund thresholds of one budget year, as the law or the ministry's yearly regulation states
// them: at the price level of `price_level` (a year; the amounts of 2021 are stated at 2021 level,
// the law's own text at 2020 level).
struct RefundTable {
  int price_level = 0;
  std::vector<RefundTier> tiers;  // thresholds strictly increasing
  friend bool operator==(const RefundTable&, const RefundTable&) = default;
};

// Income recorded against a placement for a month; deducted from the month's cost before the refund.
struct MonthIncome {
  Ore user_payments{0};
  Ore other_refunds{0};
  Ore total() const { return user_payments + other_refunds; }
  friend bool operator==(const MonthIncome&, const MonthIncome&) = default;
};

// Costs of a case recorded against a placement for a month, beside its place-days (case_costs.h):
// other costs of the case in the month, and a one-off expense paid in the month, which the refund
// order spreads evenly over 12 months from it.
struct CaseCosts {
  Ore other_costs{0};
  Ore one_off{0};
  friend bool operator==(const CaseCosts&, const CaseCosts&) = default;
};

struct PlanningInputs {
  // When set, replaces the default key (the municipalities' objective_weight in the State) entirely:
  // a municipality missing from it weighs 0.
  std::optional<std::map<std::int32_t, std::int64_t>> objective_key_override;
  // Block grant (bloktilskud) per (region code, year).
  std::map<std::pair<std::int32_t, int>, Ore> block_grants;
  // The refund thresholds per budget year. A year without its own uses the latest earlier year's
  // (refund_amounts_for_year says which, so a view can say so).
  std::map<int, RefundTable> refund_tables;
  // placement id -> month -> income.
  std::map<std::string, std::map<YearMonth, MonthIncome>, std::less<>> income;
  // placement id -> month -> case costs recorded in that month.
  std::map<std::string, std::map<YearMonth, CaseCosts>, std::less<>> case_costs;

  friend bool operator==(const PlanningInputs&, const PlanningInputs&) = default;
};

// The amounts shipped with the service (DOMAIN.md, "State refund"), each at its own price level:
//   2012 (source texts):  25 % > 950,000 kr, 50 % > 1,770,000 kr
//   2020 (2020 level):    25 % > 830,000 kr, 50 % > 1,630,000 kr
//   2021 (2021 level):    25 % > 850,000 kr, 50 % > 1,660,000 kr, 75 % > 2,090,000 kr (the 75 % tier
//                         is new from 2021; the law states it at 2020 level as 2,050,000 kr)
//   2022 (2022 level):    25 % > 860,000 kr, 50 % > 1,680,000 kr, 75 % > 2,120,000 kr
// Later years' amounts are loaded by command (SetRefundTiers) as the ministry publishes them.
std::map<int, RefundTable> default_refund_tables();

// Inputs with nothing recorded but the shipped refund tables.
PlanningInputs default_planning_inputs();

// Which refund amounts apply to a budget year, for a view to show beside the refund.
struct RefundAmounts {
  int year = 0;               // the budget year asked for
  int amounts_of = 0;         // the year whose table applies; 0: none (before the first table, no refund)
  int price_level = 0;        // that table's price level
  bool latest_known = false;  // no table of `year` nor of any later year: the latest known stands in
  friend bool operator==(const RefundAmounts&, const RefundAmounts&) = default;
};
RefundAmounts refund_amounts_for_year(const PlanningInputs& inputs, int year);

// The tiers in force for `year`: its own, else the latest earlier year's; null before the first.
const std::vector<RefundTier>* tiers_for_year(const PlanningInputs& inputs, int year);

Ore block_grant(const PlanningInputs& inputs, std::int32_t region_code, int year);

// Income of a placement in a month (zero when none is recorded).
MonthIncome income_of(const PlanningInputs& inputs, std::string_view placement_id, YearMonth month);

}  // namespace placement::domain
