#include "services/domain/planning_inputs.h"

#include <gtest/gtest.h>

#include "tests/unit/domain/domain_fixture.h"

namespace placement::domain::testing {
namespace {

TEST(YearMonth, EndIsTheFirstDayOfTheNextMonthAcrossTheYear) {
  EXPECT_EQ((YearMonth{2024, 2}.end()), d("2024-03-01"));
  EXPECT_EQ((YearMonth{2024, 12}.end()), d("2025-01-01"));
  EXPECT_EQ(YearMonth::of(d("2024-02-29")), (YearMonth{2024, 2}));
}

TEST(RefundTiers, DefaultsAreDomainTables) {
  const PlanningInputs inputs = default_planning_inputs();
  const auto* t2012 = tiers_for_year(inputs, 2012);
  ASSERT_NE(t2012, nullptr);
  ASSERT_EQ(t2012->size(), 2u);
  EXPECT_EQ((*t2012)[0], (RefundTier{Ore{95'000'000}, 2'500}));   // 950,000 kr
  EXPECT_EQ((*t2012)[1], (RefundTier{Ore{177'000'000}, 5'000}));  // 1,770,000 kr
  const auto* t2022 = tiers_for_year(inputs, 2022);
  ASSERT_EQ(t2022->size(), 3u);
  EXPECT_EQ((*t2022)[2], (RefundTier{Ore{212'000'000}, 7'500}));  // 2,120,000 kr
}

TEST(RefundTiers, AYearWithoutItsOwnUsesTheLatestEarlierYears) {
  const PlanningInputs inputs = default_planning_inputs();
  EXPECT_EQ(tiers_for_year(inputs, 2011), nullptr);
  EXPECT_EQ(tiers_for_year(inputs, 2018), tiers_for_year(inputs, 2012));
  EXPECT_EQ(tiers_for_year(inputs, 2030), tiers_for_year(inputs, 2022));
}

TEST(PlanningInputs, AFreshStateHoldsTheDefaultTables) { EXPECT_EQ(State{}.planning, default_planning_inputs()); }

class PlanningInputsTest : public DomainTest {};

TEST_F(PlanningInputsTest, ObjectiveWeightIsTheMunicipalitysUnlessOverridden) {
  PlanningInputs inputs = default_planning_inputs();
  EXPECT_EQ(objective_weight(state_, inputs, 101), 1924641);
  inputs.objective_key_override = std::map<std::int32_t, std::int64_t>{{147, 5}};
  EXPECT_EQ(objective_weight(state_, inputs, 147), 5);
  EXPECT_EQ(objective_weight(state_, inputs, 101), 0);  // missing from the override key
}

TEST(PlanningInputs, GrantAndIncomeDefaultToZero) {
  PlanningInputs inputs = default_planning_inputs();
  EXPECT_EQ(block_grant(inputs, 1084, 2024), Ore{0});
  inputs.block_grants[{1084, 2024}] = Ore{7};
  EXPECT_EQ(block_grant(inputs, 1084, 2024), Ore{7});
  EXPECT_EQ(income_of(inputs, "p", YearMonth{2024, 1}).total(), Ore{0});
  inputs.income["p"][YearMonth{2024, 1}] = MonthIncome{Ore{3}, Ore{4}};
  EXPECT_EQ(income_of(inputs, "p", YearMonth{2024, 1}).total(), Ore{7});
}

}  // namespace
}  // namespace placement::domain::testing
