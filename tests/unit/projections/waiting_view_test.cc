#include "services/projections/waiting_view.h"

#include <gtest/gtest.h>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class WaitingViewTest : public ProjectionsTest {};

TEST_F(WaitingViewTest, LengthAndOldestRequestAge) {
  offer("full", 1);
  offer("free", 1);
  admitted("p1", "full");
  request("p2", "full");  // requested 2024-01-01 (now_), waitlisted
  advance(std::chrono::hours(24 * 3));
  request("p3", "full");  // 2024-01-04
  const auto rows = waiting_lists(index(), d("2024-01-11"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].offer_id, "full");
  EXPECT_EQ(rows[0].length, 2);
  EXPECT_EQ(rows[0].oldest_request_age_days, 10);  // 2024-01-01 → 2024-01-11
  EXPECT_EQ(rows[0].region_code, 1084);
}

TEST(WaitingView, UtcDateOfAnInstant) {
  EXPECT_EQ(utc_date_of(Instant{std::chrono::microseconds{1'704'067'200'000'000 - 1}}), d("2023-12-31"));
  EXPECT_EQ(utc_date_of(Instant{std::chrono::microseconds{1'704'067'200'000'000}}), d("2024-01-01"));
}

}  // namespace
}  // namespace placement::projections::testing
