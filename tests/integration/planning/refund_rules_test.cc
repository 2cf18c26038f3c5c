// The state refund's rules through the real placementd: thresholds by budget year with their price
// level (a planner loads a year's amounts; the view says whose were used), case costs and one-off
// expenses counted, income refused for a month without cost, and the 67-year rule by citizen
// across two placements. Bad input gets a clear status and leaves the log head where it was.

#include "placement/v1/refund_events.pb.h"
#include "tests/integration/planning/planning_fixture.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;

class RefundRulesTest : public testing::PlanningTest {
 protected:
  // A TAKST offer with one place from 2023-01-01 at `daily_ore` a day.
  void offer(const std::string& offer_id, std::int64_t daily_ore) {
    testing::OfferSpec spec;
    spec.offer_id = offer_id;
    spec.places = 1;
    spec.places_from = date(2023, 1, 1);
    ASSERT_TRUE(succeeded(testing::register_offer(api(), spec)));
    v1::SetRateRequest rate;
    rate.set_command_id("rate-" + offer_id);
    rate.set_offer_id(offer_id);
    *rate.mutable_effective_from() = date(2023, 1, 1);
    rate.set_daily_rate_ore(daily_ore);
    v1::CommandResult result;
    ASSERT_TRUE(succeeded(
        api().offers->SetRate(testing::as_operator(testing::operator_of(api(), offer_id)).get(), rate, &result)));
  }

  void stay(const std::string& cpr, const std::string& offer_id, const std::string& placement_id,
            const v1::CalendarDate& on) {
    ASSERT_TRUE(succeeded(
        testing::request_and_reserve(api(), testing::RequestSpec(cpr, offer_id).id(placement_id).starting(on))));
    ASSERT_TRUE(succeeded(testing::admit(api(), testing::Who::caseworker(101), placement_id, on)));
  }

  grpc::Status case_costs(const std::string& placement_id, int year, unsigned month, std::int64_t other,
                          std::int64_t one_off, const std::string& command_id) {
    v1::RecordCaseCostsRequest request;
    request.set_command_id(command_id);
    request.set_placement_id(placement_id);
    request.set_year(year);
    request.set_month(month);
    request.set_other_costs_ore(other);
    request.set_one_off_ore(one_off);
    v1::CommandResult result;
    return planning().RecordCaseCosts(testing::as_admin().get(), request, &result);
  }

  const v1::MunicipalityFinancing* of_101(const v1::FinancingResponse& view) {
    for (const auto& m : view.municipalities())
      if (m.municipality_code() == 101) return &m;
    return nullptr;
  }
};

// The case (#18), hand computed in tests/unit/projections/refund_coverage_test.cc: born
// 1956-04-15, placed at 66 on 2023-01-01 at 7,200 kr a day, discharged 2023-05-01 and admitted the
// same day, at 67, in another offer at 6,000 kr a day: 585,500.00 kr for 2023 (259,666.67 kr if the
// second placement did not count).
TEST_F(RefundRulesTest, HelpContinuedInANewPlacementAt67CountsForTheRefund) {
  ASSERT_NO_FATAL_FAILURE(offer("first", 720'000));
  ASSERT_NO_FATAL_FAILURE(offer("second", 600'000));
  ASSERT_NO_FATAL_FAILURE(stay("150456-1001", "first", "p-66", date(2023, 1, 1)));
  ASSERT_TRUE(succeeded(testing::discharge(api(), testing::Who::caseworker(101), "p-66", date(2023, 5, 1))));
  ASSERT_NO_FATAL_FAILURE(stay("150456-1001", "second", "p-67", date(2023, 5, 1)));
  const auto view = financing(date(2023, 1, 1), date(2024, 1, 1));
  const auto* m = of_101(view);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->usage_payments_ore(), 120 * 720'000 + 245 * 600'000);
  EXPECT_EQ(m->refund_ore(), 58'550'000);
  ASSERT_EQ(view.refund_amounts_size(), 1);
  EXPECT_EQ(view.refund_amounts(0).year(), 2023);
  EXPECT_EQ(view.refund_amounts(0).amounts_of_year(), 2022);
  EXPECT_EQ(view.refund_amounts(0).price_level(), 2022);
  EXPECT_TRUE(view.refund_amounts(0).latest_known());
}

TEST_F(RefundRulesTest, APlannerLoadsAYearsThresholdsWithTheirPriceLevel) {
  const auto head = testing::head(api());
  v1::SetRefundTiersRequest tiers;
  tiers.set_command_id("tiers-2023-late-level");
  tiers.set_year(2023);
  tiers.set_price_level(2024);  // a level after the budget year
  auto* tier = tiers.add_tiers();
  tier->set_threshold_per_year_ore(100'000'00);
  tier->set_percent_bp(2'500);
  v1::CommandResult result;
  const auto refused = planning().SetRefundTiers(testing::as_planner().get(), tiers, &result);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("price level"), std::string::npos) << refused.error_message();
  EXPECT_EQ(testing::head(api()), head) << "nothing was written";

  tiers.set_command_id("tiers-2023");
  tiers.set_price_level(2023);
  ASSERT_TRUE(succeeded(planning().SetRefundTiers(testing::as_planner().get(), tiers, &result)));
  const auto events = testing::read_events(api(), {"RefundTiersSet"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(testing::payload_of<v1::RefundTiersSet>(events[0]).price_level(), 2023);
  EXPECT_EQ(events[0].envelope().actor().role(), v1::ROLE_PLANNER);

  const auto view = financing(date(2022, 1, 1), date(2025, 1, 1));
  ASSERT_EQ(view.refund_amounts_size(), 3);
  EXPECT_EQ(view.refund_amounts(0).amounts_of_year(), 2022);
  EXPECT_FALSE(view.refund_amounts(0).latest_known());
  EXPECT_EQ(view.refund_amounts(1).amounts_of_year(), 2023);
  EXPECT_EQ(view.refund_amounts(1).price_level(), 2023);
  EXPECT_FALSE(view.refund_amounts(1).latest_known());
  EXPECT_EQ(view.refund_amounts(2).amounts_of_year(), 2023);
  EXPECT_TRUE(view.refund_amounts(2).latest_known());
}

TEST_F(RefundRulesTest, CaseCostsCountAndIncomeNeedsACostInItsMonth) {
  ASSERT_NO_FATAL_FAILURE(offer("first", 720'000));
  ASSERT_NO_FATAL_FAILURE(stay("010170-1001", "first", "p-1", date(2023, 1, 1)));
  const auto before = financing(date(2023, 1, 1), date(2024, 1, 1));
  const auto head = testing::head(api());

  // Refused, each with its reason, and nothing written.
  EXPECT_EQ(case_costs("no-such-placement", 2023, 7, 0, 1, "cc-unknown").error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(case_costs("p-1", 2023, 13, 0, 1, "cc-month").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(case_costs("p-1", 2023, 7, -1, 0, "cc-negative").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(case_costs("p-1", 2023, 7, 0, 1, "").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::RecordIncomeRequest income;
  income.set_command_id("income-2022-12");
  income.set_placement_id("p-1");
  income.set_year(2022);
  income.set_month(12);
  income.set_user_payments_ore(1'000'00);
  v1::CommandResult result;
  const auto no_cost = planning().RecordIncome(testing::as_admin().get(), income, &result);
  EXPECT_EQ(no_cost.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(no_cost.error_message().find("no cost in 2022-12"), std::string::npos) << no_cost.error_message();
  v1::CommandResult denied;
  EXPECT_EQ(planning().RecordCaseCosts(testing::as_planner().get(), v1::RecordCaseCostsRequest(), &denied).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(testing::head(api()), head) << "nothing was written";
  EXPECT_EQ(financing(date(2023, 1, 1), date(2024, 1, 1)).SerializeAsString(), before.SerializeAsString());

  // A one-off of 1,200,000 kr in July (100,000 kr in each of July 2023 .. June 2024) and 50,000 kr
  // other costs in March: 1,293,500 kr for 2023 (tests/unit/projections/financing_test.cc).
  ASSERT_TRUE(succeeded(case_costs("p-1", 2023, 7, 0, 120'000'000, "cc-2023-07")));
  ASSERT_TRUE(succeeded(case_costs("p-1", 2023, 3, 5'000'000, 0, "cc-2023-03")));
  const auto events = testing::read_events(api(), {"CaseCostsRecorded"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].envelope().stream_id(), "planning");
  EXPECT_EQ(testing::payload_of<v1::CaseCostsRecorded>(events[0]).one_off_ore(), 120'000'000);
  const auto view = financing(date(2023, 1, 1), date(2024, 1, 1));
  const auto* m = of_101(view);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->case_costs_ore(), 65'000'000);
  EXPECT_EQ(m->refund_ore(), 129'350'000);
  EXPECT_EQ(m->net_ore(), 262'800'000 - 129'350'000);

  const auto all = all_views(0, 2023);
  ASSERT_NO_FATAL_FAILURE(restart());
  EXPECT_EQ(all_views(0, 2023), all) << "the case costs are replayed from the log";
  EXPECT_EQ(financing(date(2023, 1, 1), date(2024, 1, 1)).SerializeAsString(), view.SerializeAsString());
}

}  // namespace
}  // namespace placement
