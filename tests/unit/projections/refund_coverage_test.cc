#include "services/projections/refund_coverage.h"

#include <gtest/gtest.h>

#include "services/projections/financing.h"
#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

// The case (#18): a citizen placed at 66 in one offer whose help continues in a new
// placement at 67, in 2023 (the 2022 tiers: 25 % > 860,000, 50 % > 1,680,000, 75 % > 2,120,000 kr).
//   placement a, age 66: 2023-01-01 .. 2023-05-01 at 7,200 kr a day (120 days)
//   placement b, age 67: from 2023-05-01 at 6,000 kr a day (245 days to the year's end)
// Every month is in the 75 % tier (the smallest, February at 7,200 × 28 = 201,600 kr, is 2,419,200 kr
// a year; a 30-day month of b 2,160,000 kr), where a month with cost c refunds
// (205,000 + 420,000 + 75 % × (12c − 2,120,000)) ÷ 12 = 0.75c − 97,083.33 kr. Summed:
//   a: 0.75 × 7,200 × 120 − 4 × 97,083.33 = 648,000 − 388,333.33 = 259,666.67 kr
//   b: 0.75 × 6,000 × 245 − 8 × 97,083.33 = 1,102,500 − 776,666.67 = 325,833.33 kr
//   both: 7,026,000 ÷ 12 = 585,500.00 kr exactly.
class RefundCoverageTest : public ProjectionsTest {
 protected:
  void SetUp() override {
    ProjectionsTest::SetUp();
    financed_offer("first", Financing{FinancingModel::takst, 0}, 1, d("2023-01-01"));
    rate("first", d("2023-01-01"), 720'000);
    financed_offer("second", Financing{FinancingModel::takst, 0}, 1, d("2023-01-01"));
    rate("second", d("2023-01-01"), 600'000);
  }

  Ore refund_2023() {
    const PlanningIndex idx = index();
    auto view = compute_financing(idx, inputs_, {d("2023-01-01"), d("2024-01-01")});
    EXPECT_TRUE(view) << (view ? "" : view.error().message);
    if (!view) return Ore{-1};
    for (const MunicipalityFinancing& m : view.value().municipalities) {
      if (m.municipality_code == 101) return m.refund;
    }
    return Ore{0};
  }

  bool counts(std::string_view placement_id) const {
    return RefundCoverage(state_).counts(*find_placement(state_, placement_id));
  }
};

TEST_F(RefundCoverageTest, HelpContinuingWithoutAGapInANewPlacementAt67StillCounts) {
  stay("a", "first", 101, d("2023-01-01"), d("2023-05-01"), "citizen-1", 66);
  stay("b", "second", 101, d("2023-05-01"), std::nullopt, "citizen-1", 67);
  EXPECT_TRUE(counts("b"));
  EXPECT_EQ(refund_2023(), Ore{58'550'000});
}

TEST_F(RefundCoverageTest, ADayWithoutHelpEndsTheCoverage) {
  // Discharged on 2023-05-01 (last day 30 April), admitted on 2023-05-02: 1 May without help.
  // Only a counts (259,666.67 kr): what the per-placement rule gave for the case above.
  stay("a", "first", 101, d("2023-01-01"), d("2023-05-01"), "citizen-1", 66);
  stay("b", "second", 101, d("2023-05-02"), std::nullopt, "citizen-1", 67);
  EXPECT_FALSE(counts("b"));
  EXPECT_EQ(refund_2023(), Ore{25'966'667});
}

TEST_F(RefundCoverageTest, AnotherCitizensHelpDoesNotCover) {
  stay("a", "first", 101, d("2023-01-01"), d("2023-05-01"), "citizen-1", 66);
  stay("b", "second", 101, d("2023-05-01"), std::nullopt, "citizen-2", 67);
  EXPECT_FALSE(counts("b"));
}

TEST_F(RefundCoverageTest, ACitizenFirstHelpedAt67IsNotCovered) {
  stay("b", "second", 101, d("2023-05-01"), std::nullopt, "citizen-1", 67);
  EXPECT_FALSE(counts("b"));
}

TEST_F(RefundCoverageTest, AChainOfPlacementsAfter67ContinuesWhileNoDayIsLeftOut) {
  stay("a", "first", 101, d("2023-01-01"), d("2023-05-01"), "citizen-1", 66);
  stay("b", "second", 101, d("2023-05-01"), d("2023-08-01"), "citizen-1", 67);
  stay("c", "first", 101, d("2023-08-01"), d("2023-10-01"), "citizen-1", 67);
  stay("d", "second", 101, d("2023-10-02"), std::nullopt, "citizen-1", 67);
  EXPECT_TRUE(counts("b"));
  EXPECT_TRUE(counts("c"));
  EXPECT_FALSE(counts("d"));
}

TEST_F(RefundCoverageTest, HelpStillGoingOnCoversANewPlacementBesideIt) {
  stay("a", "first", 101, d("2023-01-01"), std::nullopt, "citizen-1", 66);
  stay("b", "second", 101, d("2023-09-01"), std::nullopt, "citizen-1", 67);
  EXPECT_TRUE(counts("b"));
}

TEST_F(RefundCoverageTest, AStayOfNoDaysGivesNoHelpToContinue) {
  stay("a", "first", 101, d("2023-05-01"), d("2023-05-01"), "citizen-1", 66);
  stay("b", "second", 101, d("2023-05-01"), std::nullopt, "citizen-1", 67);
  EXPECT_FALSE(counts("b"));
}

}  // namespace
}  // namespace placement::projections::testing
