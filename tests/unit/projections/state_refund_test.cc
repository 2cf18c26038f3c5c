#include "services/projections/state_refund.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

PlacementState citizen(std::string id, std::int32_t age, std::string household = "", std::int32_t paying = 101) {
  PlacementState p;
  p.id = id;
  p.citizen = CitizenRef{"citizen-" + id, std::move(household), ""};
  p.age_at_start = age;
  p.paying_municipality = paying;
  p.requested_start = d("2013-01-01");
  return p;
}

// The whole cost of a month on its first day, so tests state monthly amounts directly.
PlacementCost month_cost(const PlacementState& p, int year, unsigned month, std::int64_t amount) {
  const Date first = Date::from_civil(year, month, 1);
  return PlacementCost{&p, {first, add_days(first, 1)}, Ore{amount}};
}

TEST(StateRefund, DomainExampleTwoMillionKronerIn2012Gives320000) {
  // 2,000,000 kr = 200,000,000 øre over 12 months, as even as øre allow:
  // 8 × 16,666,667 + 4 × 16,666,666 = 133,333,336 + 66,666,664 = 200,000,000.
  std::vector<Ore> months;
  for (int i = 0; i < 12; ++i) months.push_back(Ore{i < 8 ? 16'666'667 : 16'666'666});
  const auto tiers = default_refund_tiers().at(2012);
  // 25 % × (1,770,000 − 950,000) + 50 % × (2,000,000 − 1,770,000) = 205,000 + 115,000 = 320,000 kr
  EXPECT_EQ(refund_of_months(months, tiers), Ore{32'000'000});
}

TEST(StateRefund, MonthlyAgainstATwelfthOfTheThresholds) {
  const auto tiers = default_refund_tiers().at(2012);
  // a month of 8,000,000 øre is 96,000,000 a year: 25 % of (96,000,000 − 95,000,000) = 250,000 a year,
  // ÷ 12 = 20,833.33 → numerator 2,500 × 1,000,000 = 2,500,000,000
  EXPECT_EQ(refund_numerator(Ore{8'000'000}, tiers), 2'500'000'000);
  EXPECT_EQ(refund_numerator(Ore{7'000'000}, tiers), 0);   // 84,000,000 < 95,000,000
  EXPECT_EQ(refund_numerator(Ore{-5}, tiers), 0);          // income beyond cost: no negative cost
  const std::vector<Ore> one{Ore{8'000'000}};
  EXPECT_EQ(refund_of_months(one, tiers), Ore{20'833});    // 2,500,000,000 ÷ 120,000 = 20,833.33
}

TEST(StateRefund, ThreeTiersOf2022) {
  const auto tiers = default_refund_tiers().at(2022);
  // one month of 20,000,000 øre = 240,000,000 a year:
  // 25 % × (168 − 86) M + 50 % × (212 − 168) M + 75 % × (240 − 212) M
  // = 2,500 × 82,000,000 + 5,000 × 44,000,000 + 7,500 × 28,000,000 = 205e9 + 220e9 + 210e9 = 635e9
  EXPECT_EQ(refund_numerator(Ore{20'000'000}, tiers), 635'000'000'000);
  const std::vector<Ore> one{Ore{20'000'000}};
  EXPECT_EQ(refund_of_months(one, tiers), Ore{5'291'667});  // 635e9 ÷ 120,000 = 5,291,666.67
}

TEST(StateRefund, ChildrenOfOneHouseholdAreSummed) {
  PlanningInputs inputs = default_planning_inputs();
  const PlacementState a = citizen("a", 10, "home");
  const PlacementState b = citizen("b", 12, "home");
  std::vector<PlacementCost> costs{month_cost(a, 2013, 1, 8'000'000), month_cost(b, 2013, 1, 8'000'000)};
  // summed: 16,000,000 a month = 192,000,000 a year: 2,500 × 82,000,000 + 5,000 × 15,000,000 = 280e9
  // ÷ 120,000 = 2,333,333.33 → 2,333,333
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{2'333'333});

  const PlacementState c = citizen("c", 10);  // no household: each child on its own
  const PlacementState e = citizen("e", 12);
  costs = {month_cost(c, 2013, 1, 8'000'000), month_cost(e, 2013, 1, 8'000'000)};
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{41'666});  // 2 × 20,833
}

TEST(StateRefund, IncomeIsDeductedFirstPerPlacementAndMonth) {
  PlanningInputs inputs = default_planning_inputs();
  const PlacementState a = citizen("a", 30);
  inputs.income["a"][YearMonth{2013, 1}] = MonthIncome{Ore{500'000}, Ore{500'000}};
  const std::vector<PlacementCost> costs{month_cost(a, 2013, 1, 9'000'000)};
  // 9,000,000 − 1,000,000 = 8,000,000 → 20,833 (as above)
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{20'833});
}

TEST(StateRefund, OnlyPlacementsBegunUnder67Count) {
  PlanningInputs inputs = default_planning_inputs();
  const PlacementState old = citizen("old", 67);
  const PlacementState turning = citizen("turning", 66);  // turns 67 in 2014: still covered
  const std::vector<PlacementCost> costs{month_cost(old, 2014, 1, 20'000'000), month_cost(turning, 2014, 1, 8'000'000)};
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{20'833});
}

TEST(StateRefund, AChildLeavesTheHouseholdUnitAt18) {
  PlacementState p = citizen("p", 17, "home");
  p.requested_start = d("2013-01-15");
  EXPECT_EQ(refund_unit(p, YearMonth{2014, 1}), "household:home");  // still 17 on 2014-01-01
  EXPECT_EQ(refund_unit(p, YearMonth{2014, 2}), "citizen:citizen-p");  // 18 on 2014-02-01
}

TEST(StateRefund, EachPayingMunicipalityIsAssessedOnItsOwnCost) {
  PlanningInputs inputs = default_planning_inputs();
  const PlacementState a = citizen("a", 30, "", 101);
  PlacementState b = citizen("b", 30, "", 147);
  b.citizen = a.citizen;  // the same citizen, later paid by another municipality
  const std::vector<PlacementCost> costs{month_cost(a, 2013, 1, 8'000'000),
                                              month_cost(b, 2013, 2, 7'000'000)};
  const auto refunds = state_refunds(inputs, costs);
  EXPECT_EQ(refunds.at(101), Ore{20'833});
  EXPECT_EQ(refunds.at(147), Ore{0});
}

TEST(StateRefund, ACostRangeIsCountedPerCalendarMonth) {
  PlanningInputs inputs = default_planning_inputs();
  const PlacementState a = citizen("a", 30);
  // 2013-01-17 .. 2013-03-01 at 500,000 a day: January 15 days = 7,500,000 (90,000,000 a year: below
  // 95,000,000), February 28 days = 14,000,000 (168,000,000 a year): 2,500 × 73,000,000 = 182.5e9
  // ÷ 120,000 = 1,520,833.33 → 1,520,833. Counted as one year (21,500,000 øre) it would refund nothing.
  const std::vector<PlacementCost> costs{{&a, {d("2013-01-17"), d("2013-03-01")}, Ore{500'000}}};
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{1'520'833});
}

TEST(StateRefund, NoTiersNoRefund) {
  PlanningInputs inputs;  // nothing recorded
  const PlacementState a = citizen("a", 30);
  const std::vector<PlacementCost> costs{month_cost(a, 2013, 1, 80'000'000)};
  EXPECT_FALSE(state_refunds(inputs, costs).contains(101));
}

}  // namespace
}  // namespace placement::projections::testing
