#include "services/projections/planning_events.h"

#include <gtest/gtest.h>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class PlanningEventsTest : public ProjectionsTest {};

TEST_F(PlanningEventsTest, ReplayingTheEventsBuildsTheInputs) {
  offer("o1", 2);
  admitted("p1", "o1");
  const std::vector<PlanningEvent> log{
      ObjectiveKeySet{{{101, 1}, {147, 3}}},
      BlockGrantSet{1084, 2024, Ore{1'000'000}},
      RefundTiersSet{2024, {{Ore{100}, 2'500}}},
      IncomeRecorded{"p1", YearMonth{2024, 2}, MonthIncome{Ore{10}, Ore{20}}},
  };
  PlanningInputs inputs = default_planning_inputs();
  for (const PlanningEvent& event : log) {
    ASSERT_TRUE(validate(state_, event)) << event_type_name(event);
    apply(inputs, event);
  }
  EXPECT_EQ(objective_weight(state_, inputs, 147), 3);
  EXPECT_EQ(block_grant(inputs, 1084, 2024), Ore{1'000'000});
  EXPECT_EQ(tiers_for_year(inputs, 2025)->size(), 1u);
  EXPECT_EQ(income_of(inputs, "p1", YearMonth{2024, 2}).total(), Ore{30});

  apply(inputs, ObjectiveKeySet{});  // an empty key restores the default
  EXPECT_EQ(objective_weight(state_, inputs, 147), 420474);
}

TEST_F(PlanningEventsTest, RefusesBadInput) {
  EXPECT_EQ(validate(state_, ObjectiveKeySet{{{999, 1}}}).error().code, Errc::invalid_argument);
  EXPECT_EQ(validate(state_, ObjectiveKeySet{{{101, -1}}}).error().code, Errc::invalid_argument);
  EXPECT_EQ(validate(state_, BlockGrantSet{1, 2024, Ore{1}}).error().code, Errc::invalid_argument);
  EXPECT_EQ(validate(state_, BlockGrantSet{1084, 2024, Ore{-1}}).error().code, Errc::invalid_argument);
  EXPECT_EQ(validate(state_, RefundTiersSet{2024, {{Ore{200}, 2'500}, {Ore{100}, 5'000}}}).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(validate(state_, RefundTiersSet{2024, {{Ore{200}, 10'001}}}).error().code, Errc::invalid_argument);
  EXPECT_EQ(validate(state_, IncomeRecorded{"nobody", YearMonth{2024, 1}, {}}).error().code, Errc::not_found);
}

TEST(PlanningEventNames, AreStable) {
  EXPECT_EQ(event_type_name(PlanningEvent{BlockGrantSet{}}), "BlockGrantSet");
  EXPECT_EQ(event_type_name(PlanningEvent{IncomeRecorded{}}), "IncomeRecorded");
}

}  // namespace
}  // namespace placement::projections::testing
