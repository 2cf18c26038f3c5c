#include "services/projections/occupancy_view.h"

#include <gtest/gtest.h>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class OccupancyViewTest : public ProjectionsTest {};

TEST_F(OccupancyViewTest, PlaceDaysAndBelaegningsprocent) {
  offer("o1", 3);                                           // 3 places from 2024-01-01
  stay("p1", "o1", 101, d("2024-01-01"));                   // whole of January: 31 days
  stay("p2", "o1", 101, d("2024-01-11"), d("2024-01-21"));  // 10 days
  request("p3", "o1");
  reserve("p3", d("2024-01-29"));  // reserved 3 days in January
  auto view = occupancy_over(index(), {d("2024-01-01"), d("2024-02-01")}, GroupBy{});
  ASSERT_TRUE(view);
  const OccupancyRow& total = view.value().total;
  EXPECT_EQ(total.place_days.open, 93);      // 3 × 31
  EXPECT_EQ(total.place_days.occupied, 41);  // 31 + 10
  EXPECT_EQ(total.place_days.reserved, 3);
  // 41 / 93 = 0.440860… → 4408.60 bp → 4409
  EXPECT_EQ(total.occupancy_bp, 4409);
}

TEST_F(OccupancyViewTest, NoOpenPlaceDaysIsZeroPercent) {
  offer("o1", 3);
  auto view = occupancy_over(index(), {d("2023-01-01"), d("2023-02-01")}, GroupBy{.offer = true});
  ASSERT_TRUE(view);
  EXPECT_EQ(view.value().rows[0].occupancy_bp, 0);
}

TEST_F(OccupancyViewTest, RefusesAnEmptyOrOpenPeriod) {
  EXPECT_FALSE(occupancy_over(index(), {d("2024-02-01"), d("2024-02-01")}, GroupBy{}));
  EXPECT_FALSE(occupancy_over(index(), {d("2024-02-01"), Date::max()}, GroupBy{}));
}

}  // namespace
}  // namespace placement::projections::testing
