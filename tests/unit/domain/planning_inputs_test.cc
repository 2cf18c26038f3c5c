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

TEST(RefundTiers, ShippedAreTheLawsAmountsOf2020To2022EachAtItsOwnPriceLevel) {
  const auto tables = default_refund_tables();
  ASSERT_EQ(tables.size(), 4u);
  const std::vector<RefundTier> y2020{{Ore{83'000'000}, 2'500}, {Ore{163'000'000}, 5'000}};  // 830,000 / 1,630,000 kr
  const std::vector<RefundTier> y2021{{Ore{85'000'000}, 2'500},
                                      {Ore{166'000'000}, 5'000},
                                      {Ore{209'000'000}, 7'500}};  // 850,000 / 1,660,000 / 2,090,000
  const std::vector<RefundTier> y2022{{Ore{86'000'000}, 2'500},
                                      {Ore{168'000'000}, 5'000},
                                      {Ore{212'000'000}, 7'500}};  // 860,000 / 1,680,000 / 2,120,000
  EXPECT_EQ(tables.at(2020), (RefundTable{2020, y2020}));
  EXPECT_EQ(tables.at(2021), (RefundTable{2021, y2021}));
  EXPECT_EQ(tables.at(2022), (RefundTable{2022, y2022}));
  EXPECT_EQ(tables.at(2012).price_level, 2012);
}

TEST(RefundTiers, AYearWithoutItsOwnUsesTheLatestEarlierYears) {
  const PlanningInputs inputs = default_planning_inputs();
  EXPECT_EQ(tiers_for_year(inputs, 2011), nullptr);
  EXPECT_EQ(tiers_for_year(inputs, 2018), tiers_for_year(inputs, 2012));
  EXPECT_EQ(tiers_for_year(inputs, 2021), &inputs.refund_tables.at(2021).tiers);
  EXPECT_EQ(tiers_for_year(inputs, 2030), tiers_for_year(inputs, 2022));
}

TEST(RefundTiers, AmountsSayWhoseThresholdsAYearUsesAndWhenTheLatestKnownStandIn) {
  PlanningInputs inputs = default_planning_inputs();
  EXPECT_EQ(refund_amounts_for_year(inputs, 2011), (RefundAmounts{2011, 0, 0, false}));
  EXPECT_EQ(refund_amounts_for_year(inputs, 2018), (RefundAmounts{2018, 2012, 2012, false}));
  EXPECT_EQ(refund_amounts_for_year(inputs, 2022), (RefundAmounts{2022, 2022, 2022, false}));
  EXPECT_EQ(refund_amounts_for_year(inputs, 2027), (RefundAmounts{2027, 2022, 2022, true}));
  inputs.refund_tables[2026] = RefundTable{2026, {{Ore{1}, 2'500}}};
  EXPECT_EQ(refund_amounts_for_year(inputs, 2026), (RefundAmounts{2026, 2026, 2026, false}));
  EXPECT_EQ(refund_amounts_for_year(inputs, 2025), (RefundAmounts{2025, 2022, 2022, false}));
  EXPECT_EQ(refund_amounts_for_year(inputs, 2027), (RefundAmounts{2027, 2026, 2026, true}));
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
