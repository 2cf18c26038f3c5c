#include "services/projections/grouping.h"

#include <gtest/gtest.h>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class GroupingTest : public ProjectionsTest {};

TEST_F(GroupingTest, UngroupedIsOneEmptyKey) {
  offer("o1", 1);
  const PlanningIndex idx = index();
  const OfferIndex& o1 = *idx.find("o1");
  const auto keys = group_keys(o1, o1.organisation_on(d("2024-01-01")), GroupBy{});
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0], GroupKey{});
}

TEST_F(GroupingTest, AnOfferCountsUnderEachTargetGroupItServes) {
  offer("o1", 1, SpecialisationLevel::moderat, 751);  // run by Aarhus, region Midtjylland
  const PlanningIndex idx = index();
  const OfferIndex& o1 = *idx.find("o1");
  const auto keys = group_keys(o1, o1.organisation_on(d("2024-01-01")), GroupBy{true, true, true, true, true});
  ASSERT_EQ(keys.size(), 2u);  // groups 1 and 6
  EXPECT_EQ(keys[0].offer_id, "o1");
  EXPECT_EQ(keys[0].operator_code, 751);
  EXPECT_EQ(keys[0].region_code, 1082);
  EXPECT_EQ(keys[0].level, SpecialisationLevel::moderat);
  EXPECT_EQ(keys[0].target_group, TargetGroup::multiple_disabilities);
  EXPECT_EQ(keys[1].target_group, TargetGroup::children_with_complex_difficulties);
}

}  // namespace
}  // namespace placement::projections::testing
