#include "services/projections/objective_split.h"

#include <gtest/gtest.h>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class ObjectiveSplitTest : public ProjectionsTest {};

TEST(ObjectiveSplit, RoundingGivesTheLeftoverToTheLargestRemaindersAndSumsExactly) {
  const CatchmentKey key{{101, 147, 153}, {1, 1, 1}};
  const auto shares = split_by_key(Ore{100}, key);
  ASSERT_TRUE(shares);
  // 100 ÷ 3 = 33 r 1 each: the one øre left goes to the first (ties to the lower index)
  EXPECT_EQ(shares.value(), (std::vector<KeyShare>{{101, Ore{34}}, {147, Ore{33}}, {153, Ore{33}}}));
}

TEST(ObjectiveSplit, AZeroAmountNeedsNoWeightAndANonZeroOneDoes) {
  const CatchmentKey key{{101, 147}, {0, 0}};
  EXPECT_TRUE(split_by_key(Ore{0}, key));
  EXPECT_EQ(split_by_key(Ore{1}, key).error().code, Errc::failed_precondition);
  EXPECT_EQ(split_by_key(Ore{1}, CatchmentKey{}).error().code, Errc::failed_precondition);
}

TEST_F(ObjectiveSplitTest, CatchmentIsTheRegionsMunicipalitiesOrAll) {
  const CatchmentKey hovedstaden = catchment_key(state_, inputs_, Catchment::region(1084), d("2024-01-01"));
  EXPECT_EQ(hovedstaden.municipalities, (std::vector<std::int32_t>{101, 147}));
  EXPECT_EQ(hovedstaden.weights, (std::vector<std::int64_t>{1924641, 420474}));
  EXPECT_EQ(catchment_key(state_, inputs_, Catchment::national(), d("2024-01-01")).municipalities.size(), 4u);
  inputs_.objective_key_override = std::map<std::int32_t, std::int64_t>{{147, 2}};
  EXPECT_EQ(catchment_key(state_, inputs_, Catchment::region(1084), d("2024-01-01")).weights,
            (std::vector<std::int64_t>{0, 2}));
}

}  // namespace
}  // namespace placement::projections::testing
