#include "services/domain/rate.h"

#include <limits>

#include "services/domain/dates.h"
#include "services/domain/money.h"

namespace placement::domain {

Status validate(const RateBasis& basis) {
  if (basis.budget_year < 1900 || basis.budget_year > 9999) {
    return fail(Errc::invalid_argument, "the budget year of a rate basis must be between 1900 and 9999");
  }
  if (basis.direct_and_indirect_costs.value < 0 || basis.depreciation_and_interest.value < 0) {
    return fail(Errc::invalid_argument, "budgeted costs in a rate basis must not be negative");
  }
  if (basis.overhead_bp < 0 || basis.overhead_bp > 10'000) {
    return fail(Errc::invalid_argument, "overhead must be 0 to 10000 basis points (0–100 %)");
  }
  if (basis.places <= 0) return fail(Errc::invalid_argument, "a rate basis needs at least one place");
  if (basis.assumed_occupancy_bp < 9'000 || basis.assumed_occupancy_bp > 10'000) {
    return fail(Errc::invalid_argument,
                "assumed occupancy (belægningsprocent) must be 9000 to 10000 basis points (90–100 %)");
  }
  return ok();
}

Ore overhead_amount(const RateBasis& basis) {
  const Int128 overhead = divide_round_half_away(
      static_cast<Int128>(basis.direct_and_indirect_costs.value) * basis.overhead_bp, kBasisPointsWhole);
  return Ore{static_cast<std::int64_t>(overhead)};
}

Result<Ore> compute_daily_rate(const RateBasis& basis) {
  PLACEMENT_TRY(validate(basis));
  const Int128 numerator =
      static_cast<Int128>(basis.direct_and_indirect_costs.value) * (kBasisPointsWhole + basis.overhead_bp) +
      static_cast<Int128>(basis.depreciation_and_interest.value) * kBasisPointsWhole;
  const Int128 denominator =
      static_cast<Int128>(basis.places) * days_in_year(basis.budget_year) * basis.assumed_occupancy_bp;
  const Int128 daily = divide_round_half_away(numerator, denominator);
  if (daily > std::numeric_limits<std::int64_t>::max()) {
    return fail(Errc::invalid_argument, "the computed daily rate is out of range");
  }
  return Ore{static_cast<std::int64_t>(daily)};
}

}  // namespace placement::domain
