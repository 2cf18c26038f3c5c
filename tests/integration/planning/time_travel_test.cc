// Time travel: a view as of an earlier log position equals the view as it was then, and differs
// from the view now once more has happened.

#include "tests/integration/planning/planning_fixture.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;

class TimeTravelTest : public testing::PlanningTest {};

TEST_F(TimeTravelTest, AViewAsOfAnEarlierPositionIsTheViewAsItWasThen) {
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "bo-1", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 4)));
  ASSERT_TRUE(succeeded(testing::request_and_reserve(api(), testing::RequestSpec("010170-1001", "bo-1").id("p-1"))));

  const auto then = capacity(date(2031, 3, 1), {v1::GROUP_FIELD_OFFER});
  const std::uint64_t then_position = testing::head(api());
  ASSERT_EQ(then.position(), then_position);
  ASSERT_EQ(then.rows_size(), 1);
  EXPECT_EQ(then.rows(0).counts().reserved(), 1);
  const auto then_views = all_views(0, 2031);

  // More happens: the citizen is admitted, a second one requested, the capacity changes.
  ASSERT_TRUE(succeeded(testing::admit(api(), testing::Who::caseworker(101), "p-1", date(2031, 2, 1))));
  ASSERT_TRUE(succeeded(testing::request_and_reserve(api(), testing::RequestSpec("020270-1002", "bo-1").id("p-2"))));
  ASSERT_TRUE(succeeded(testing::change_capacity(api(), "bo-1", date(2031, 2, 15), 6)));

  const auto now = capacity(date(2031, 3, 1), {v1::GROUP_FIELD_OFFER});
  EXPECT_NE(now.SerializeAsString(), then.SerializeAsString());
  EXPECT_EQ(now.rows(0).counts().occupied(), 1);
  EXPECT_EQ(now.rows(0).counts().open(), 6);

  const auto as_of_then = capacity(date(2031, 3, 1), {v1::GROUP_FIELD_OFFER}, then_position);
  EXPECT_EQ(as_of_then.SerializeAsString(), then.SerializeAsString());
  EXPECT_EQ(all_views(then_position, 2031), then_views) << "every view as of the position equals the view then";

  // A position beyond the head is refused.
  v1::CapacityViewRequest beyond;
  *beyond.mutable_date() = date(2031, 3, 1);
  beyond.set_as_of_position(testing::head(api()) + 1000);
  v1::CapacityViewResponse response;
  EXPECT_EQ(planning().GetCapacity(testing::as_planner().get(), beyond, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(TimeTravelTest, PlanningInputsTravelToo) {
  ASSERT_TRUE(succeeded(set_block_grant(1084, 2031, 500'000'00, "grant-1")));
  const std::uint64_t first = testing::head(api());
  ASSERT_TRUE(succeeded(set_block_grant(1084, 2031, 900'000'00, "grant-2")));

  auto grant_of = [](const v1::FinancingResponse& view) {
    for (const auto& region : view.regions()) {
      if (region.region_code() == 1084 && region.year() == 2031) return region.block_grant_ore();
    }
    return std::int64_t{-1};
  };
  EXPECT_EQ(grant_of(financing(date(2031, 1, 1), date(2032, 1, 1))), 900'000'00);
  EXPECT_EQ(grant_of(financing(date(2031, 1, 1), date(2032, 1, 1), first)), 500'000'00);
}

}  // namespace
}  // namespace placement
