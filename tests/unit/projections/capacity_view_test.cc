#include "services/projections/capacity_view.h"

#include <gtest/gtest.h>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class CapacityViewTest : public ProjectionsTest {};

TEST_F(CapacityViewTest, SumsPerRegionAndLevel) {
  offer("h1", 3, SpecialisationLevel::moderat, 1084);
  offer("h2", 2, SpecialisationLevel::hojt, 1084);
  offer("m1", 4, SpecialisationLevel::moderat, 751);
  admitted("p1", "h1");
  request("p2", "m1");
  reserve("p2");
  const CapacityView view = capacity_at(index(), d("2024-02-01"), GroupBy{.region = true, .level = true});
  ASSERT_EQ(view.rows.size(), 3u);  // (1082, moderat), (1084, moderat), (1084, hojt)
  EXPECT_EQ(view.rows[0].key.region_code, 1082);
  EXPECT_EQ(view.rows[0].counts.open, 4);
  EXPECT_EQ(view.rows[0].counts.reserved, 1);
  EXPECT_EQ(view.rows[0].counts.vacant, 3);  // 4 − 0 − 1
  EXPECT_EQ(view.rows[1].key.level, SpecialisationLevel::moderat);
  EXPECT_EQ(view.rows[1].counts.occupied, 1);
  EXPECT_EQ(view.rows[1].counts.vacant, 2);  // 3 − 1
  EXPECT_EQ(view.rows[2].key.level, SpecialisationLevel::hojt);
  EXPECT_EQ(view.rows[2].counts.vacant, 2);
  // total: open 3 + 2 + 4 = 9, occupied 1, reserved 1, vacant 7
  EXPECT_EQ(view.total.open, 9);
  EXPECT_EQ(view.total.vacant, 7);
}

TEST_F(CapacityViewTest, TargetGroupRowsCountAnOfferUnderEachGroupAndTotalsCountItOnce) {
  offer("o1", 5);  // groups 1 and 6
  const CapacityView view = capacity_at(index(), d("2024-02-01"), GroupBy{.target_group = true});
  ASSERT_EQ(view.rows.size(), 2u);
  EXPECT_EQ(view.rows[0].counts.open, 5);
  EXPECT_EQ(view.rows[1].counts.open, 5);
  EXPECT_EQ(view.total.open, 5);
}

TEST_F(CapacityViewTest, WaitingIsTheListLength) {
  offer("o1", 1);
  admitted("p1", "o1");
  request("p2", "o1");  // full: waitlisted
  const CapacityView view = capacity_at(index(), d("2024-02-01"), GroupBy{.offer = true});
  ASSERT_EQ(view.rows.size(), 1u);
  EXPECT_EQ(view.rows[0].counts.waiting, 1);
  EXPECT_EQ(view.rows[0].counts.vacant, 0);
}

}  // namespace
}  // namespace placement::projections::testing
