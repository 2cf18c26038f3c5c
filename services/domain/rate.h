#pragma once
// Rates (takster): what a place-day costs, effective from a date, and how a daily rate is
// computed from its budget basis (takstberegning, serviceloven § 174).

#include <cstdint>
#include <optional>

#include "services/base/result.h"
#include "services/base/types.h"
#include "services/domain/vocabulary.h"

namespace placement::domain {

// The budget a rate is computed from. It stays stored with the rate so the rate can be explained.
struct RateBasis {
  int budget_year = 0;
  Ore direct_and_indirect_costs{0};  // budgeted operating costs, direct and indirect, for the year
  std::int32_t overhead_bp = 0;      // central overhead on those costs, 0..10000 (≈ 600 in Hovedstaden)
  Ore depreciation_and_interest{0};
  std::int32_t places = 0;
  std::int32_t assumed_occupancy_bp = 0;  // belægningsprocent, 9000..10000 (90–100 %)
  friend bool operator==(const RateBasis&, const RateBasis&) = default;
};

// Daily amounts in øre per place-day. copayment applies to BASIS offers (the paying municipality's
// usage-dependent share), vacancy to OBJEKTIV offers (the cost of one vacant place-day, split by the
// objective key); each is 0 where the model does not use it.
struct Rate {
  Ore daily_rate{0};  // per occupied place-day (TAKST, OBJEKTIV usage, MIXED usage part, BASIS full cost)
  Ore daily_copayment_rate{0};
  Ore daily_vacancy_rate{0};
  std::optional<RateBasis> basis;  // present when the daily rate was computed from a budget
  friend bool operator==(const Rate&, const Rate&) = default;
};

Status validate(const RateBasis& basis);

// Budgeted overhead in øre: direct_and_indirect_costs × overhead_bp ÷ 10000, rounded half up.
Ore overhead_amount(const RateBasis& basis);

// Total yearly cost ÷ (places × days in the budget year × assumed occupancy), in one integer
// division rounded half up to whole øre:
//   (costs × (10000 + overhead_bp) + depreciation_and_interest × 10000) ÷ (places × days × occupancy_bp).
// Overhead is not rounded separately, so the result does not depend on how the total is split.
Result<Ore> compute_daily_rate(const RateBasis& basis);

}  // namespace placement::domain
