#pragma once
// Monthly settlement statements (afregning): for one calendar month, what each paying municipality
// owes each operator, line by line. A line is one placement's stay in one offer within the month,
// billed at the municipality's per-occupied-place-day amount of the offer's model (financing_terms.h:
// TAKST and OBJEKTIV the daily rate, MIXED the usage part, BASIS the co-payment), one rate part per
// rate in force, on the statement of the operator in force on its days (a stay crossing an operator
// change gives one line per operator). Objective-key shares are not per placement and are not on
// statements (see financing.h).
//
// Billing limit: the paying municipality must be billed within 12 months, counted back by day from
// the billing date `as_of`: the limit date is `as_of` twelve months earlier (29 February → 28
// February), and a place-day before it is beyond the limit. Each line counts its place-days before
// the limit (place_days_beyond_billing_limit: a month can lie partly beyond it) and is flagged
// beyond_billing_limit when its whole month lies before the limit (month.end() <= billing_limit(as_of)).

#include <cstdint>
#include <string>
#include <vector>

#include "services/base/result.h"
#include "services/base/types.h"
#include "services/domain/dates.h"
#include "services/domain/planning_inputs.h"
#include "services/projections/financing_terms.h"
#include "services/projections/planning_index.h"

namespace placement::projections {

struct RatePart {
  domain::DateRange days;  // within the month
  Ore daily_amount{0};     // billed per occupied place-day
  Ore amount{0};           // daily_amount × days
  friend bool operator==(const RatePart&, const RatePart&) = default;
};

struct SettlementLine {
  std::string placement_id;
  std::string offer_id;
  domain::DateRange days;  // the stay within the month
  std::int64_t place_days = 0;
  std::int64_t unpriced_place_days = 0;  // days without a rate: not billed
  std::vector<RatePart> rates;
  Ore amount{0};
  bool beyond_billing_limit = false;                 // the whole month lies before the limit date
  std::int64_t place_days_beyond_billing_limit = 0;  // the line's place-days before the limit date
  friend bool operator==(const SettlementLine&, const SettlementLine&) = default;
};

struct SettlementStatement {
  std::int32_t paying_municipality = 0;
  std::int32_t operator_code = 0;
  std::vector<SettlementLine> lines;  // by (placement id, offer id, first day)
  Ore total{0};
  friend bool operator==(const SettlementStatement&, const SettlementStatement&) = default;
};

struct MonthlySettlement {
  domain::YearMonth month;
  domain::Date as_of;
  std::vector<SettlementStatement> statements;  // by (paying municipality, operator)
  friend bool operator==(const MonthlySettlement&, const MonthlySettlement&) = default;
};

// `as_of` twelve months earlier, the day clamped to the month's length.
domain::Date billing_limit(domain::Date as_of);

// Errors (invalid_argument): a month outside 1..12.
Result<MonthlySettlement> monthly_settlement(const PlanningIndex& index, domain::YearMonth month, domain::Date as_of,
                                             const FinancingOverrides& overrides = {});

}  // namespace placement::projections
