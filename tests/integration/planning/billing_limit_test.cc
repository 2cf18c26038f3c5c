// The 12-month billing limit by day through the real placementd: each settlement line says how
// many of its place-days lie before the billing date twelve months back, and each statement sums
// them for every caller (a planner's statements have no lines, but the count).

#include "tests/integration/planning/planning_fixture.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;

class BillingLimitTest : public testing::PlanningTest {
 protected:
  v1::SettlementResponse settlement(std::unique_ptr<grpc::ClientContext> as, int year, unsigned month,
                                    const v1::CalendarDate& as_of) {
    v1::SettlementRequest request;
    request.mutable_month()->set_year(year);
    request.mutable_month()->set_month(month);
    *request.mutable_as_of() = as_of;
    v1::SettlementResponse response;
    EXPECT_TRUE(succeeded(planning().GetSettlement(as.get(), request, &response)));
    return response;
  }
};

TEST_F(BillingLimitTest, ALinePartlyBeyondTheLimitCountsItsDaysBeforeIt) {
  testing::OfferSpec spec;
  spec.offer_id = "bo-1";
  spec.places = 2;
  spec.places_from = date(2024, 1, 1);
  ASSERT_TRUE(succeeded(testing::register_offer(api(), spec)));
  v1::SetRateRequest rate;
  rate.set_command_id("rate-bo-1");
  rate.set_offer_id("bo-1");
  *rate.mutable_effective_from() = date(2024, 1, 1);
  rate.set_daily_rate_ore(1'000'00);
  v1::CommandResult result;
  ASSERT_TRUE(succeeded(api().offers->SetRate(testing::as_operator(1084).get(), rate, &result)));
  ASSERT_TRUE(succeeded(testing::request_and_reserve(
      api(), testing::RequestSpec("010170-1001", "bo-1").id("p-1").starting(date(2024, 1, 1)))));
  ASSERT_TRUE(succeeded(testing::admit(api(), testing::Who::caseworker(101), "p-1", date(2024, 1, 1))));

  // Billed on 2025-02-15: the limit is 2024-02-15, so February 2024's 1st .. 14th lie beyond it.
  const auto february = settlement(testing::as_finance(101), 2024, 2, date(2025, 2, 15));
  ASSERT_EQ(february.statements_size(), 1);
  ASSERT_EQ(february.statements(0).lines_size(), 1);
  const auto& line = february.statements(0).lines(0);
  EXPECT_EQ(line.place_days(), 29);
  EXPECT_EQ(line.place_days_beyond_billing_limit(), 14);
  EXPECT_FALSE(line.beyond_billing_limit());
  EXPECT_EQ(february.statements(0).place_days_beyond_billing_limit(), 14);

  const auto planner_view = settlement(testing::as_planner(), 2024, 2, date(2025, 2, 15));
  ASSERT_EQ(planner_view.statements_size(), 1);
  EXPECT_EQ(planner_view.statements(0).lines_size(), 0);
  EXPECT_EQ(planner_view.statements(0).place_days_beyond_billing_limit(), 14);

  const auto january = settlement(testing::as_finance(101), 2024, 1, date(2025, 2, 15));
  EXPECT_EQ(january.statements(0).lines(0).place_days_beyond_billing_limit(), 31);
  EXPECT_TRUE(january.statements(0).lines(0).beyond_billing_limit());
}

}  // namespace
}  // namespace placement
