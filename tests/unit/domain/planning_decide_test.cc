// decide and apply for the planning inputs (decide_planning.cc): one write model with every other
// command, folded into State::planning.

#include <gtest/gtest.h>

#include "tests/unit/domain/domain_fixture.h"

namespace placement::domain::testing {
namespace {

class PlanningDecideTest : public DomainTest {};

TEST_F(PlanningDecideTest, EachInputIsOneEventOnThePlanningStreamFoldedIntoTheState) {
  offer("o1", 2);
  admitted("p1", "o1");
  const std::vector<CommandBody> inputs{
      SetObjectiveKey{{{101, 1}, {147, 3}}},
      SetBlockGrant{1084, 2024, Ore{1'000'000}},
      SetRefundTiers{2024, {{Ore{100}, 2'500}}},
      RecordIncome{"p1", YearMonth{2024, 2}, MonthIncome{Ore{10}, Ore{20}}},
  };
  const std::vector<std::string_view> events{"ObjectiveKeySet", "BlockGrantSet", "RefundTiersSet", "IncomeRecorded"};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto decided = must(inputs[i]);
    ASSERT_EQ(decided.size(), 1u);
    EXPECT_EQ(event_type_name(decided.front()), events[i]);
    EXPECT_EQ(stream_of(decided.front()), kPlanningStream);
  }
  EXPECT_EQ(objective_weight(state_, state_.planning, 147), 3);
  EXPECT_EQ(block_grant(state_.planning, 1084, 2024), Ore{1'000'000});
  EXPECT_EQ(tiers_for_year(state_.planning, 2025)->size(), 1u);
  EXPECT_EQ(income_of(state_.planning, "p1", YearMonth{2024, 2}).total(), Ore{30});

  must(SetObjectiveKey{});  // an empty key restores the default
  EXPECT_EQ(objective_weight(state_, state_.planning, 147), 420474);
}

TEST_F(PlanningDecideTest, RefundThresholdsAreRecordedWithTheirPriceLevel) {
  const auto decided = must(SetRefundTiers{2024, {{Ore{100}, 2'500}}, 2023});
  EXPECT_EQ(std::get<RefundTiersSet>(decided.front()).price_level, 2023);
  EXPECT_EQ(state_.planning.refund_tables.at(2024), (RefundTable{2023, {{Ore{100}, 2'500}}}));
  must(SetRefundTiers{2025, {{Ore{100}, 2'500}}});  // no level given: the year's own
  EXPECT_EQ(state_.planning.refund_tables.at(2025).price_level, 2025);
  // An event written before the level was recorded reads as the year's own level.
  apply(state_, RefundTiersSet{2026, {{Ore{100}, 2'500}}, 0});
  EXPECT_EQ(state_.planning.refund_tables.at(2026).price_level, 2026);
}

TEST_F(PlanningDecideTest, RecordedIncomeChangesNothingOfThePlacement) {
  offer("o1", 2);
  admitted("p1", "o1");
  const PlacementState before = state_.placements.at("p1");
  const OfferState offer_before = state_.offers.at("o1");
  must(RecordIncome{"p1", YearMonth{2024, 2}, MonthIncome{Ore{10}, Ore{20}}});
  EXPECT_EQ(state_.placements.at("p1"), before);
  EXPECT_EQ(state_.offers.at("o1"), offer_before);
}

TEST_F(PlanningDecideTest, RefusesBadInputAndChangesNothing) {
  refused(SetObjectiveKey{{{999, 1}}}, Errc::invalid_argument);
  refused(SetObjectiveKey{{{101, -1}}}, Errc::invalid_argument);
  refused(SetBlockGrant{1, 2024, Ore{1}}, Errc::invalid_argument);
  refused(SetBlockGrant{1084, 2024, Ore{-1}}, Errc::invalid_argument);
  refused(SetBlockGrant{1084, 1899, Ore{1}}, Errc::invalid_argument);
  refused(SetRefundTiers{2024, {{Ore{200}, 2'500}, {Ore{100}, 5'000}}}, Errc::invalid_argument);
  refused(SetRefundTiers{2024, {{Ore{200}, 10'001}}}, Errc::invalid_argument);
  refused(SetRefundTiers{2024, {{Ore{200}, 2'500}}, 2025}, Errc::invalid_argument);  // a level after the year
  refused(SetRefundTiers{2024, {{Ore{200}, 2'500}}, 1899}, Errc::invalid_argument);
  refused(RecordIncome{"nobody", YearMonth{2024, 1}, {}}, Errc::not_found);
  offer("o1", 2);
  admitted("p1", "o1");
  refused(RecordIncome{"p1", YearMonth{2024, 13}, {}}, Errc::invalid_argument);
  refused(RecordIncome{"p1", YearMonth{2024, 1}, MonthIncome{Ore{-1}, Ore{0}}}, Errc::invalid_argument);
}

TEST(PlanningCommandNames, AreStableMetricLabels) {
  EXPECT_EQ(command_type_name(SetObjectiveKey{}), "SetObjectiveKey");
  EXPECT_EQ(command_type_name(SetBlockGrant{}), "SetBlockGrant");
  EXPECT_EQ(command_type_name(SetRefundTiers{}), "SetRefundTiers");
  EXPECT_EQ(command_type_name(RecordIncome{}), "RecordIncome");
}

}  // namespace
}  // namespace placement::domain::testing
