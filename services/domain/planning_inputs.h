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

// Income recorded against a placement for a month; deducted from the month's cost before the refund.
struct MonthIncome {
  Ore user_payments{0};
  Ore other_refunds{0};
  Ore total() const { return user_payments + other_refunds; }
  friend bool operator==(const MonthIncome&, const MonthIncome&) = default;
};

struct PlanningInputs {
  // When set, replaces the default key (the municipalities' objective_weight in the State) entirely:
  // a municipality missing from it weighs 0.
  std::optional<std::map<std::int32_t, std::int64_t>> objective_key_override;
  // Block grant (bloktilskud) per (region code, year).
  std::map<std::pair<std::int32_t, int>, Ore> block_grants;
  // Tiers per year, thresholds strictly increasing. A year without its own uses the latest earlier year's.
  std::map<int, std::vector<RefundTier>> refund_tiers;
  // placement id -> month -> income.
  std::map<std::string, std::map<YearMonth, MonthIncome>, std::less<>> income;

  friend bool operator==(const PlanningInputs&, const PlanningInputs&) = default;
};

// DOMAIN.md's two tables: 2012 (25 % > 950,000 kr, 50 % > 1,770,000 kr) and
// 2022 (25 % > 860,000 kr, 50 % > 1,680,000 kr, 75 % > 2,120,000 kr).
std::map<int, std::vector<RefundTier>> default_refund_tiers();

// Inputs with nothing recorded but the default refund tiers.
PlanningInputs default_planning_inputs();

// The tiers in force for `year`: its own, else the latest earlier year's; empty before the first.
const std::vector<RefundTier>* tiers_for_year(const PlanningInputs& inputs, int year);

Ore block_grant(const PlanningInputs& inputs, std::int32_t region_code, int year);

// Income of a placement in a month (zero when none is recorded).
MonthIncome income_of(const PlanningInputs& inputs, std::string_view placement_id, YearMonth month);

}  // namespace placement::domain
