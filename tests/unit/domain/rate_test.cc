#include "services/domain/rate.h"

#include <gtest/gtest.h>

namespace placement::domain {
namespace {

// DOMAIN.md: a special psychiatric place cost 1.9 million kr a year (2018).
RateBasis psychiatric_place() {
  return RateBasis{.budget_year = 2018,
                   .direct_and_indirect_costs = Ore{190'000'000},
                   .overhead_bp = 0,
                   .depreciation_and_interest = Ore{0},
                   .places = 1,
                   .assumed_occupancy_bp = 10'000};
}

TEST(RateBasis, FullOccupancyDividesByDaysOfTheYear) {
  // 190,000,000 øre ÷ 365 = 520,547.9 → 520,548 øre (5,205.48 kr) per place-day.
  EXPECT_EQ(compute_daily_rate(psychiatric_place()).value(), Ore{520'548});
}

TEST(RateBasis, LeapYearHas366Days) {
  auto basis = psychiatric_place();
  basis.budget_year = 2020;
  EXPECT_EQ(compute_daily_rate(basis).value(), Ore{519'126});  // 519,125.68
}

TEST(RateBasis, LowerAssumedOccupancyRaisesTheRate) {
  auto basis = psychiatric_place();
  basis.assumed_occupancy_bp = 9'500;
  EXPECT_EQ(compute_daily_rate(basis).value(), Ore{547'945});  // 1.9e12 ÷ (365 × 9500) = 547,945.2
}

TEST(RateBasis, OverheadAndDepreciationAreAddedBeforeDividing) {
  // 83 places, 100 M kr costs + 6 % overhead + 5 M kr depreciation, 97 % occupancy, 2024 (366 days):
  // (10,000,000,000 × 10,600 + 500,000,000 × 10,000) ÷ (83 × 366 × 9,700) = 111,000,000,000,000 ÷ 294,666,600
  // = 376,696.92 → 376,697 øre.
  const RateBasis basis{.budget_year = 2024,
                        .direct_and_indirect_costs = Ore{10'000'000'000},
                        .overhead_bp = 600,
                        .depreciation_and_interest = Ore{500'000'000},
                        .places = 83,
                        .assumed_occupancy_bp = 9'700};
  EXPECT_EQ(compute_daily_rate(basis).value(), Ore{376'697});
  EXPECT_EQ(overhead_amount(basis), Ore{600'000'000});
}

TEST(RateBasis, OccupancyBelowNinetyPercentIsRefused) {
  auto basis = psychiatric_place();
  basis.assumed_occupancy_bp = 8'999;
  const auto rate = compute_daily_rate(basis);
  ASSERT_FALSE(rate);
  EXPECT_EQ(rate.error().code, Errc::invalid_argument);
}

TEST(RateBasis, OccupancyAboveHundredPercentIsRefused) {
  auto basis = psychiatric_place();
  basis.assumed_occupancy_bp = 10'001;
  EXPECT_FALSE(compute_daily_rate(basis));
}

TEST(RateBasis, ZeroPlacesAreRefused) {
  auto basis = psychiatric_place();
  basis.places = 0;
  EXPECT_FALSE(compute_daily_rate(basis));
}

TEST(RateBasis, NegativeCostsAreRefused) {
  auto basis = psychiatric_place();
  basis.depreciation_and_interest = Ore{-1};
  EXPECT_FALSE(compute_daily_rate(basis));
}

}  // namespace
}  // namespace placement::domain
