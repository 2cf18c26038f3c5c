#include "services/domain/case_costs.h"

#include <gtest/gtest.h>

#include <numeric>

#include "tests/unit/domain/domain_fixture.h"

namespace placement::domain::testing {
namespace {

TEST(CaseCosts, AOneOffIsSplitIntoTwelveExactPartsTheRemainderToTheFirstMonths) {
  // 1,200,000.05 kr = 120,000,005 øre: 10,000,000 øre each, the 5 øre left to the first five months.
  const auto parts = one_off_parts(Ore{120'000'005});
  ASSERT_EQ(parts.size(), 12u);
  for (std::size_t k = 0; k < 12; ++k) EXPECT_EQ(parts[k], Ore{k < 5 ? 10'000'001 : 10'000'000}) << k;
  EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), Ore{0}), Ore{120'000'005});
}

TEST(CaseCosts, MonthsMoveAcrossYears) {
  EXPECT_EQ(add_months(YearMonth{2023, 7}, 11), (YearMonth{2024, 6}));
  EXPECT_EQ(add_months(YearMonth{2024, 1}, -1), (YearMonth{2023, 12}));
  EXPECT_EQ(add_months(YearMonth{2024, 1}, -11), (YearMonth{2023, 2}));
}

TEST(CaseCosts, AOneOffCountsInItsMonthAndTheElevenAfterOtherCostsInTheirOwn) {
  PlanningInputs inputs;
  inputs.case_costs["p"][YearMonth{2023, 7}] = CaseCosts{Ore{0}, Ore{120'000'000}};  // 1,200,000 kr one-off
  inputs.case_costs["p"][YearMonth{2024, 3}] = CaseCosts{Ore{5'000'000}, Ore{0}};    // 50,000 kr other costs
  EXPECT_EQ(case_cost_in_month(inputs, "p", YearMonth{2023, 6}), Ore{0});
  EXPECT_EQ(case_cost_in_month(inputs, "p", YearMonth{2023, 7}), Ore{10'000'000});
  EXPECT_EQ(case_cost_in_month(inputs, "p", YearMonth{2024, 3}), Ore{15'000'000});
  EXPECT_EQ(case_cost_in_month(inputs, "p", YearMonth{2024, 6}), Ore{10'000'000});
  EXPECT_EQ(case_cost_in_month(inputs, "p", YearMonth{2024, 7}), Ore{0});
  EXPECT_EQ(case_cost_in_month(inputs, "q", YearMonth{2024, 3}), Ore{0});
  const auto months = case_cost_months(inputs, "p");
  ASSERT_EQ(months.size(), 12u);  // 2024-03 once, though both records count in it
  EXPECT_EQ(months.front(), (YearMonth{2023, 7}));
  EXPECT_EQ(months.back(), (YearMonth{2024, 6}));
}

class CaseCostsDecideTest : public DomainTest {};

TEST_F(CaseCostsDecideTest, RecordedOnThePlanningStreamReplacingTheMonthsRecord) {
  offer("o1", 2);
  admitted("p1", "o1");
  const auto decided = must(RecordCaseCosts{"p1", YearMonth{2024, 2}, CaseCosts{Ore{10}, Ore{1'200}}});
  ASSERT_EQ(decided.size(), 1u);
  EXPECT_EQ(event_type_name(decided.front()), "CaseCostsRecorded");
  EXPECT_EQ(stream_of(decided.front()), kPlanningStream);
  must(RecordCaseCosts{"p1", YearMonth{2024, 2}, CaseCosts{Ore{20}, Ore{0}}});
  EXPECT_EQ(state_.planning.case_costs.at("p1").at(YearMonth{2024, 2}), (CaseCosts{Ore{20}, Ore{0}}));
  EXPECT_EQ(command_type_name(RecordCaseCosts{}), "RecordCaseCosts");
}

TEST_F(CaseCostsDecideTest, RefusesBadCaseCostsAndChangesNothing) {
  refused(RecordCaseCosts{"nobody", YearMonth{2024, 1}, {}}, Errc::not_found);
  offer("o1", 2);
  admitted("p1", "o1");
  refused(RecordCaseCosts{"p1", YearMonth{2024, 0}, {}}, Errc::invalid_argument);
  refused(RecordCaseCosts{"p1", YearMonth{9999, 1}, {}}, Errc::invalid_argument);
  refused(RecordCaseCosts{"p1", YearMonth{2024, 1}, CaseCosts{Ore{-1}, Ore{0}}}, Errc::invalid_argument);
  refused(RecordCaseCosts{"p1", YearMonth{2024, 1}, CaseCosts{Ore{0}, Ore{-1}}}, Errc::invalid_argument);
}

TEST_F(CaseCostsDecideTest, IncomeOfAMonthWithoutCostIsRefusedWithTheReason) {
  offer("o1", 2);
  admitted("p1", "o1");  // admitted 2024-02-01: January has no place-day
  const std::string message =
      refused(RecordIncome{"p1", YearMonth{2024, 1}, MonthIncome{Ore{100}, Ore{0}}}, Errc::failed_precondition);
  EXPECT_NE(message.find("no cost in 2024-01"), std::string::npos) << message;
  EXPECT_NE(message.find("does not carry over"), std::string::npos) << message;
  must(RecordIncome{"p1", YearMonth{2024, 1}, MonthIncome{}});                  // recording nothing is not refused
  must(RecordIncome{"p1", YearMonth{2024, 2}, MonthIncome{Ore{100}, Ore{0}}});  // a month with place-days
  // A month whose cost is a case cost takes income.
  must(RecordCaseCosts{"p1", YearMonth{2024, 1}, CaseCosts{Ore{500}, Ore{0}}});
  must(RecordIncome{"p1", YearMonth{2024, 1}, MonthIncome{Ore{100}, Ore{0}}});
}

TEST_F(CaseCostsDecideTest, CaseCostsCannotLeaveRecordedIncomeWithoutACost) {
  offer("o1", 2);
  admitted("p1", "o1");
  must(RecordCaseCosts{"p1", YearMonth{2023, 3}, CaseCosts{Ore{0}, Ore{1'200}}});  // counts 2023-03 .. 2024-02
  must(RecordIncome{"p1", YearMonth{2024, 1}, MonthIncome{Ore{100}, Ore{0}}});
  refused(RecordCaseCosts{"p1", YearMonth{2023, 3}, CaseCosts{}}, Errc::failed_precondition);
  must(RecordIncome{"p1", YearMonth{2024, 1}, MonthIncome{}});
  must(RecordCaseCosts{"p1", YearMonth{2023, 3}, CaseCosts{}});
}

}  // namespace
}  // namespace placement::domain::testing
